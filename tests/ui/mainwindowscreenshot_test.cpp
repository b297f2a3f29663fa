// Screenshots of the main window (tree + diff), the History tab and the sync dialog, in a light and
// a dark palette (Fusion). Written next to the test binary and, when DRIFTDECK_SCREENSHOT_DIR is
// set, there too (docs/screenshots: the README shows them). Each image must actually be light or
// dark: a pane that ignored the palette would fail.
#include "mainwindowfixture.h"

#include <QApplication>
#include <QImage>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

using namespace driftdeck::test::mainwindow;

namespace {

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xdc, 0xdd, 0xde);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8c, 0x90));
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xc4));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x45, 0x47, 0x4c));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3c, 0x40));
    p.setColor(QPalette::Mid, QColor(0x25, 0x26, 0x29));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    for (const QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x7a, 0x7c, 0x80));
    return p;
}

// Fusion with the given palette for the test's lifetime; the previous style and palette after.
class ScopedLook {
public:
    explicit ScopedLook(bool dark)
        : m_style(QApplication::style()->name())
        , m_palette(QApplication::palette()) {
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
    }
    ~ScopedLook() {
        QApplication::setStyle(QStyleFactory::create(m_style));
        QApplication::setPalette(m_palette);
    }

private:
    QString m_style;
    QPalette m_palette;
};

// Mean lightness (0..1) over a grid of pixels: what makes an image read as light or dark.
double meanLightness(const QImage& image) {
    double sum = 0;
    int count = 0;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4, ++count)
            sum += QColor(image.pixel(x, y)).lightnessF();
    return count == 0 ? 0 : sum / count;
}

void saveShot(QWidget* widget, const QString& name, bool dark) {
    const QImage image = widget->grab().toImage();
    ASSERT_FALSE(image.isNull()) << name.toStdString();
    const double lightness = meanLightness(image);
    if (dark)
        EXPECT_LT(lightness, 0.4) << name.toStdString();
    else
        EXPECT_GT(lightness, 0.6) << name.toStdString();
    QStringList dirs{outputDir()};
    if (const QString docs = qEnvironmentVariable("DRIFTDECK_SCREENSHOT_DIR"); !docs.isEmpty())
        dirs << docs;
    for (const QString& dir : dirs) {
        QDir().mkpath(dir);
        const QString path = QDir(dir).filePath(name);
        EXPECT_TRUE(image.save(path)) << path.toStdString();
    }
}

} // namespace

class MainWindowScreenshots : public MainWindowTest, public ::testing::WithParamInterface<bool> {};

TEST_P(MainWindowScreenshots, TreeDiffHistoryAndSyncDialog) {
    const bool dark = GetParam();
    const QString look = dark ? u"dark"_s : u"light"_s;
    ScopedLook scopedLook(dark);
    startWindow();
    ASSERT_TRUE(waitUntil(
        [&] {
            return app(u"shop"_s) && app(u"shop"_s)->sync == SyncStatus::OutOfSync && app(u"blog"_s) &&
                   app(u"blog"_s)->sync == SyncStatus::OutOfSync && app(u"far"_s) &&
                   app(u"far"_s)->sync == SyncStatus::Error;
        },
        kWait));
    ASSERT_TRUE(window->selectApplication(u"shop"_s));
    window->tabs()->setCurrentWidget(window->diffPane());
    ASSERT_TRUE(waitUntil([&] { return !window->diffPane()->isBuilding(); }, kWait));
    ASSERT_TRUE(waitUntil([&] { return window->diffPane()->pendingProvenance() == 0; }, kWait));
    ASSERT_GT(window->diffPane()->view()->document().sectionCount(), 0);
    saveShot(window.get(), u"mainwindow-%1.png"_s.arg(look), dark);

    window->tabs()->setCurrentWidget(window->historyPane());
    QTreeWidget* commits = window->historyPane()->commitsTable();
    ASSERT_TRUE(waitUntil([&] { return commits->topLevelItemCount() == 1; }, kWait));
    commits->setCurrentItem(commits->topLevelItem(0));
    ASSERT_TRUE(waitUntil(
        [&] { return window->historyPane()->commitDiffView()->document().sectionCount() == 3; }, kWait));
    saveShot(window.get(), u"history-%1.png"_s.arg(look), dark);

    SyncDialog* dialog = window->openSyncDialog();
    ASSERT_NE(dialog, nullptr);
    ASSERT_TRUE(waitUntil([&] { return dialog->isPlanReady(); }, kWait));
    saveShot(dialog, u"syncdialog-%1.png"_s.arg(look), dark);
    dialog->reject();
}

INSTANTIATE_TEST_SUITE_P(Palettes, MainWindowScreenshots, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                             return info.param ? std::string("Dark") : std::string("Light");
                         });
