// Desktop conventions of the main window: the shortcuts the issue names, window geometry and the
// last workspace kept in QSettings (the test main points QSettings at a directory of the run), the
// About box with the library versions, and a window that stays responsive while a cluster answers
// every request after 5 s.
#include "fleet/aboutdialog.h"
#include "git/gittypes.h"
#include "kubesim/faults.h"
#include "kubesim/simulatedcluster.h"
#include "mainwindowfixture.h"
#include "workspace/workspace.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSettings>
#include <QTimer>

#include <cstdio>

using namespace driftdeck::test::mainwindow;

namespace {

QAction* actionWithShortcut(QWidget* window, const QKeySequence& keys) {
    for (QAction* action : window->findChildren<QAction*>())
        if (action->shortcuts().contains(keys))
            return action;
    return nullptr;
}

} // namespace

TEST(MainWindowDesktop, ShortcutsAreTheOnesTheIssueNames) {
    MainWindow window;
    attachModelTesters(&window);
    for (const QKeySequence& keys :
         {QKeySequence(Qt::Key_F5), QKeySequence(Qt::SHIFT | Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_F),
          QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), QKeySequence(Qt::CTRL | Qt::Key_D)})
        EXPECT_NE(actionWithShortcut(&window, keys), nullptr) << keys.toString().toStdString();
    // Ctrl+S is not sync (a save key that starts an apply would surprise).
    EXPECT_EQ(actionWithShortcut(&window, QKeySequence(Qt::CTRL | Qt::Key_S)), nullptr);
    // Ctrl+D shows the Diff tab.
    window.tabs()->setCurrentWidget(window.historyPane());
    actionWithShortcut(&window, QKeySequence(Qt::CTRL | Qt::Key_D))->trigger();
    EXPECT_EQ(window.tabs()->currentWidget(), window.diffPane());
}

TEST(MainWindowDesktop, GeometryIsSavedOnCloseAndRestored) {
    QSettings().remove(u"mainWindow"_s);
    {
        MainWindow window;
        window.resize(1210, 790);
        window.show();
        ASSERT_TRUE(waitUntil([&] { return window.size() == QSize(1210, 790); }))
            << window.width() << 'x' << window.height();
        window.close();
    }
    EXPECT_TRUE(QSettings().contains(u"mainWindow/geometry"_s));
    MainWindow reopened;
    EXPECT_EQ(reopened.size(), QSize(1210, 790));
    QSettings().remove(u"mainWindow"_s);
}

TEST(MainWindowDesktop, AboutNamesQtLibgit2AndYamlCppVersions) {
    const QString text = ui::aboutText();
    EXPECT_TRUE(text.contains(QString::fromLatin1(qVersion()))) << text.toStdString();
    const QString libgit2 = git::libgit2Version();
    EXPECT_TRUE(QRegularExpression(u"^1\\.\\d+\\.\\d+$"_s).match(libgit2).hasMatch())
        << libgit2.toStdString();
    EXPECT_TRUE(text.contains(u"libgit2</td><td>"_s + libgit2)) << text.toStdString();
    EXPECT_TRUE(QRegularExpression(u"yaml-cpp</td><td>0\\.\\d+"_s).match(text).hasMatch())
        << text.toStdString();
    // Help → About opens it without blocking.
    MainWindow window;
    QAction* about = window.findChild<QAction*>(u"about"_s);
    ASSERT_NE(about, nullptr);
    about->trigger();
    auto* box = window.findChild<QMessageBox*>(u"aboutDialog"_s);
    ASSERT_NE(box, nullptr);
    EXPECT_EQ(box->text(), text);
    box->close();
}

TEST_F(MainWindowTest, TheLastWorkspaceThatOpenedIsRemembered) {
    QSettings().remove(u"workspace"_s);
    const QString path = history.filePath(u"workspace.yaml"_s);
    ASSERT_TRUE(workspace::saveWorkspace(fleet.workspace({fleet.appSpec(u"shop"_s, u"c0"_s)}), path).ok());
    EXPECT_TRUE(MainWindow::lastWorkspacePath().isEmpty());
    window = std::make_unique<MainWindow>();
    attachModelTesters(window.get());
    window->setRemembersWorkspace(true);
    EngineSettings settings = fleet.settings();
    settings.historyPath = history.filePath(u"history.sqlite"_s);
    // A file that does not open is not remembered.
    window->openWorkspace(history.filePath(u"missing.yaml"_s), settings);
    ASSERT_TRUE(waitUntil([&] { return window->isShowingEmptyState(); }, kWait));
    EXPECT_TRUE(MainWindow::lastWorkspacePath().isEmpty());
    window->openWorkspace(path, settings);
    ASSERT_TRUE(waitUntil([&] { return MainWindow::lastWorkspacePath() == path; }, kWait));
    ASSERT_TRUE(waitUntil([&] { return app(u"shop"_s) != nullptr; }, kWait));
    QSettings().remove(u"workspace"_s);
}

// The UI thread never waits on the network: with every answer of c0 held back 5 s, a 10 ms timer on
// the UI thread keeps firing while the window starts and until c0's applications have a status.
TEST_F(MainWindowTest, TheWindowStaysResponsiveWhileAClusterAnswersAfterFiveSeconds) {
    kubesim::FaultSettings slow;
    slow.latencyMs = 5000;
    fleet.cluster(0)->setFaults(slow);
    QElapsedTimer clock;
    qint64 lastTick = 0;
    qint64 longestGap = 0;
    QTimer probe;
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        longestGap = std::max(longestGap, now - lastTick);
        lastTick = now;
    });
    clock.start();
    probe.start();
    startWindow();
    ASSERT_TRUE(waitUntil(
        [&] {
            return app(u"shop"_s) && app(u"shop"_s)->sync == SyncStatus::OutOfSync && app(u"blog"_s) &&
                   app(u"blog"_s)->sync == SyncStatus::OutOfSync;
        },
        std::chrono::seconds(120)))
        << window->connectionSummary().toStdString();
    const qint64 waited = clock.elapsed();
    // The last stretch counts too.
    longestGap = std::max(longestGap, waited - lastTick);
    probe.stop();
    std::printf(
        "UI event-loop latency with a cluster answering after 5 s: longest gap %lld ms over %lld ms\n",
        static_cast<long long>(longestGap), static_cast<long long>(waited));
    // The slow cluster was really in the way (its status took at least one held-back answer) ...
    EXPECT_GE(waited, 5000);
    // ... and no wait on it ever reached the UI thread: a blocking call would stall it for 5 s.
    EXPECT_LT(longestGap, 1000);
}
