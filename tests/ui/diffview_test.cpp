#include "difftestdata.h"
#include "diffview/diffview.h"
#include "testsupport.h"

#include <QApplication>
#include <QClipboard>
#include <QHelpEvent>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace Qt::StringLiterals;
using driftdeck::test::sectionWithChanges;
using ui::DiffView;
using ui::DisplayRow;

namespace {

// Three resources of `lines` lines: two changes in the first (rows 1-2 and lines - 3), none in the
// second, one in the third (lines - 5).
ui::DiffDocument threeSections(int lines = 60) {
    ui::DiffDocument document;
    document.addSection(sectionWithChanges(0, lines, {1, 2, lines - 3}));
    document.addSection(sectionWithChanges(1, lines, {}));
    document.addSection(sectionWithChanges(2, lines, {lines - 5}));
    document.expandAllFolds(); // long enough to need scrolling to reach the last change
    return document;
}

// A view on screen (offscreen platform) with a real geometry.
class DiffViewTest : public ::testing::Test {
protected:
    void show(ui::DiffDocument document, QSize size = {1000, 300}) {
        view.setDocument(std::move(document));
        view.resize(size);
        view.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    }

    QPoint centreOf(int row, diff::Side side, DiffView::Column column) const {
        const QRect cell = view.cellRect(row, side, column);
        EXPECT_FALSE(cell.isEmpty()) << "row " << row << " is not in view";
        return cell.center();
    }

    DiffView view;
};

TEST_F(DiffViewTest, NAndPMoveBetweenChangesAndScrollThemIntoView) {
    show(threeSections());
    QSignalSpy changes(&view, &DiffView::currentChangeChanged);
    const ui::DiffDocument& document = view.document();
    ASSERT_EQ(document.changeCount(), 3);
    ASSERT_GT(document.displayRowOfChange(2), view.visibleRowCount()) << "the last change starts out of view";

    for (int expected : {0, 1, 2}) {
        QTest::keyClick(&view, Qt::Key_N);
        EXPECT_EQ(view.currentChange(), expected);
        EXPECT_EQ(view.currentRow(), document.displayRowOfChange(expected));
        EXPECT_TRUE(view.isRowVisible(view.currentRow())) << "change " << expected;
    }
    EXPECT_GT(view.firstVisibleRow(), 0);
    EXPECT_EQ(view.currentSection(), 2);
    QTest::keyClick(&view, Qt::Key_N); // past the last change: stays
    EXPECT_EQ(view.currentChange(), 2);

    QTest::keyClick(&view, Qt::Key_P);
    EXPECT_EQ(view.currentChange(), 1);
    QTest::keyClick(&view, Qt::Key_F7, Qt::ShiftModifier);
    EXPECT_EQ(view.currentChange(), 0);
    EXPECT_TRUE(view.isRowVisible(document.displayRowOfChange(0)));
    EXPECT_EQ(view.currentSection(), 0);
    QTest::keyClick(&view, Qt::Key_F7);
    EXPECT_EQ(view.currentChange(), 1);

    ASSERT_EQ(changes.size(), 6);
    EXPECT_EQ(changes.at(2).at(0).toInt(), 2);
    EXPECT_EQ(changes.at(2).at(1).toInt(), 3);
}

TEST_F(DiffViewTest, ClickOnAFoldShowsItsLines) {
    ui::DiffDocument document;
    document.addSection(sectionWithChanges(0, 40, {20}));
    show(std::move(document));
    ASSERT_EQ(view.document().displayRow(1).type, DisplayRow::Type::Fold);
    const int hidden = view.document().hiddenLineCount();

    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      centreOf(1, diff::Side::Right, DiffView::Column::Text));
    EXPECT_EQ(view.document().foldCount(), 1);
    EXPECT_EQ(view.document().hiddenLineCount(), hidden - 17);
    EXPECT_EQ(view.document().displayRow(1).type, DisplayRow::Type::Line);
    EXPECT_EQ(view.document().rowAt(view.document().displayRow(1)).left().number, 1);
    EXPECT_EQ(view.currentRow(), 1);

    // The keyboard opens the other fold.
    const int lastFold = view.document().displayRowCount() - 1;
    view.setCurrentRow(lastFold, diff::Side::Left);
    QTest::keyClick(&view, Qt::Key_Return);
    EXPECT_EQ(view.document().foldCount(), 0);
}

TEST_F(DiffViewTest, ClickOnAHeaderCollapsesItsResource) {
    show(threeSections(10));
    const int rows = view.document().displayRowCount();
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.rowRect(0).center());
    EXPECT_TRUE(view.document().isSectionCollapsed(0));
    EXPECT_EQ(view.document().displayRowCount(), rows - 10);
}

TEST_F(DiffViewTest, CopyPutsTheCurrentPanesYamlOnTheClipboard) {
    show(threeSections(10));
    QApplication::clipboard()->clear();
    const int row = view.document().displayRowOf(1, 0, 2);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      centreOf(row, diff::Side::Left, DiffView::Column::Text));
    EXPECT_EQ(view.currentSection(), 1);
    QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
    EXPECT_EQ(QApplication::clipboard()->text(), view.document().yaml(1, diff::Side::Left));

    const int inThird = view.document().displayRowOfChange(2);
    view.scrollToRow(inThird);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      centreOf(inThird, diff::Side::Right, DiffView::Column::Text));
    QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
    const QString live = QApplication::clipboard()->text();
    EXPECT_EQ(live, view.document().yaml(2, diff::Side::Right));
    EXPECT_TRUE(live.contains(u"key5: changed 5\n"_s));

    QTest::keyClick(&view, Qt::Key_Left);
    view.copyAsYaml();
    EXPECT_EQ(QApplication::clipboard()->text(), view.document().yaml(2, diff::Side::Left));
}

TEST_F(DiffViewTest, ClickOnDesiredProvenanceOpensTheCommit) {
    show(threeSections(10));
    const ui::Provenance commit{u"9f8e7d6"_s, u"Bob Builder"_s, QDateTime::currentDateTimeUtc(),
                                u"9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"_s};
    view.setDesiredProvenance(0, QHash<int, ui::Provenance>{{3, commit}});
    QSignalSpy opened(&view, &DiffView::commitActivated);
    const int line3 = view.document().displayRowOf(0, 0, 2);
    ASSERT_EQ(view.document().rowAt(view.document().displayRow(line3)).left().number, 3);

    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      centreOf(line3 + 1, diff::Side::Left, DiffView::Column::Provenance));
    EXPECT_EQ(opened.size(), 0) << "line 4 has no provenance";
    // No field manager is known: live's side has no provenance column, its text starts there.
    EXPECT_TRUE(view.cellRect(line3, diff::Side::Right, DiffView::Column::Provenance).isEmpty());
    EXPECT_LT(view.cellRect(line3, diff::Side::Right, DiffView::Column::Text).x() -
                  view.cellRect(line3, diff::Side::Right, DiffView::Column::LineNumber).x(),
              view.cellRect(line3, diff::Side::Left, DiffView::Column::Text).x());
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      centreOf(line3, diff::Side::Right, DiffView::Column::Text));
    EXPECT_EQ(opened.size(), 0) << "live cells name a manager, not a commit";
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      centreOf(line3, diff::Side::Left, DiffView::Column::Text));
    EXPECT_EQ(opened.size(), 0) << "the text is not the provenance cell";

    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      centreOf(line3, diff::Side::Left, DiffView::Column::Provenance));
    ASSERT_EQ(opened.size(), 1);
    EXPECT_EQ(opened.at(0).at(0).toString(), commit.commitId);

    // Keyboard: the current desired line's commit opens with Return.
    QTest::keyClick(&view, Qt::Key_Return);
    ASSERT_EQ(opened.size(), 2);
    EXPECT_EQ(opened.at(1).at(0).toString(), commit.commitId);
}

TEST_F(DiffViewTest, SingleResourceModeShowsOneSectionWithoutHeader) {
    show(threeSections(10));
    QSignalSpy sections(&view, &DiffView::currentSectionChanged);
    view.setMode(DiffView::Mode::SingleResource);
    view.showSection(2);
    EXPECT_EQ(view.currentSection(), 2);
    EXPECT_EQ(view.document().displayRowCount(), 10);
    EXPECT_EQ(view.document().displayRow(0).type, DisplayRow::Type::Line);
    ASSERT_FALSE(sections.isEmpty());
    EXPECT_EQ(sections.last().at(0).toInt(), 2);
    QTest::keyClick(&view, Qt::Key_P);
    EXPECT_EQ(view.currentChange(), -1) << "no change before the first in this resource";
    QTest::keyClick(&view, Qt::Key_N);
    EXPECT_EQ(view.currentChange(), 2);

    view.setMode(DiffView::Mode::Application);
    EXPECT_EQ(view.document().displayRowCount(), 3 * 11);
    EXPECT_EQ(view.currentSection(), 2);
}

TEST_F(DiffViewTest, LargeDocumentPaintsOnlyTheRowsInView) {
    ui::DiffDocument document;
    for (int s = 0; s < 200; ++s)
        document.addSection(sectionWithChanges(s, 60, {10, 40}));
    document.expandAllFolds();
    ASSERT_EQ(document.displayRowCount(), 200 * 61);
    show(std::move(document), {1200, 600});

    const int inView = view.visibleRowCount();
    ASSERT_GT(inView, 10);
    ASSERT_LT(inView, 100);
    for (int row : {0, 6000, 200 * 61 - inView}) {
        view.scrollToRow(row);
        (void)view.grab(); // a full paint of the viewport
        EXPECT_GT(view.lastPaintedRowCount(), 0);
        EXPECT_LE(view.lastPaintedRowCount(), inView) << "at row " << row;
    }
    EXPECT_TRUE(view.viewport()->findChildren<QWidget*>().isEmpty()) << "rows are painted, not widgets";

    // n walks the whole document without building anything either.
    for (int i = 0; i < 5; ++i)
        QTest::keyClick(&view, Qt::Key_N);
    EXPECT_EQ(view.currentChange(), 4);
    EXPECT_EQ(view.currentSection(), 2);
}

TEST_F(DiffViewTest, ToolTipsNameTheCommitAndTheFieldManager) {
    show(threeSections(10));
    const ui::Provenance commit{u"9f8e7d6"_s, u"Bob Builder"_s, QDateTime::currentDateTimeUtc(),
                                u"9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"_s};
    view.setDesiredProvenance(0, QList<ui::Provenance>{commit});
    const diff::LineOwner owner{u"kubectl-edit"_s, u"Update"_s, QDateTime::currentDateTimeUtc()};
    view.setLiveOwners(0, QList<diff::LineOwner>{owner});
    auto tipAt = [this](QPoint pos) {
        QHelpEvent help(QEvent::ToolTip, pos, view.viewport()->mapToGlobal(pos));
        QApplication::sendEvent(view.viewport(), &help);
        // Hiding a tip takes a moment; showing one is immediate.
        driftdeck::test::waitUntil([] { return !QToolTip::isVisible() || !QToolTip::text().isEmpty(); });
        return QToolTip::isVisible() ? QToolTip::text() : QString();
    };
    const int line1 = view.document().displayRowOf(0, 0, 0);
    EXPECT_TRUE(
        tipAt(centreOf(line1, diff::Side::Left, DiffView::Column::Provenance)).contains(commit.commitId));
    const QString live = tipAt(centreOf(line1, diff::Side::Right, DiffView::Column::Provenance));
    EXPECT_TRUE(live.contains(u"kubectl-edit"_s)) << live.toStdString();
    EXPECT_TRUE(live.contains(u"Update"_s));
    QToolTip::hideText();
    ASSERT_TRUE(driftdeck::test::waitUntil([] { return !QToolTip::isVisible(); }));
    EXPECT_EQ(tipAt(centreOf(line1 + 1, diff::Side::Left, DiffView::Column::Provenance)), QString());
}

TEST_F(DiffViewTest, LongLinesScrollSidewaysAndHugeOnesAreCut) {
    ui::DiffDocument document;
    const QString huge = u"data: "_s + QString(1'000'000, u'x');
    document.addSection(ui::makeDiffSection({u""_s, u"ConfigMap"_s, u"shop"_s, u"blob"_s},
                                            diff::ObjectDiff::State::OutOfSync, {u"a: 1"_s, huge},
                                            {u"a: 2"_s, huge + u'y'}));
    EXPECT_EQ(document.longestLine(), ui::DiffDocument::kMaxPaintedChars);
    show(std::move(document));
    QScrollBar* sideways = view.horizontalScrollBar();
    EXPECT_GT(sideways->maximum(), 0);
    sideways->setValue(sideways->maximum());
    (void)view.grab();
    EXPECT_EQ(view.lastPaintedRowCount(), 3); // the header and both lines
}

TEST_F(DiffViewTest, ArrowKeysMoveTheCurrentRowAndPane) {
    show(threeSections(10));
    QSignalSpy sections(&view, &DiffView::currentSectionChanged);
    QTest::keyClick(&view, Qt::Key_Down);
    EXPECT_EQ(view.currentRow(), 1);
    QTest::keyClick(&view, Qt::Key_Right);
    EXPECT_EQ(view.currentSide(), diff::Side::Right);
    QTest::keyClick(&view, Qt::Key_End);
    EXPECT_EQ(view.currentRow(), view.document().displayRowCount() - 1);
    EXPECT_TRUE(view.isRowVisible(view.currentRow()));
    EXPECT_EQ(view.currentSection(), 2);
    ASSERT_EQ(sections.size(), 1);
    QTest::keyClick(&view, Qt::Key_Home);
    EXPECT_EQ(view.currentRow(), 0);
    EXPECT_EQ(view.firstVisibleRow(), 0);
    EXPECT_TRUE(view.accessibleDescription().contains(u"config-0"_s)) << "the header row is read out";
    QTest::keyClick(&view, Qt::Key_PageDown);
    EXPECT_GT(view.currentRow(), 5);
}

TEST_F(DiffViewTest, AnEmptyDocumentIsHarmless) {
    show(ui::DiffDocument());
    QTest::keyClick(&view, Qt::Key_N);
    QTest::keyClick(&view, Qt::Key_Down);
    QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(10, 10));
    view.setMode(DiffView::Mode::SingleResource);
    (void)view.grab();
    EXPECT_EQ(view.currentChange(), -1);
    EXPECT_EQ(view.currentSection(), -1);
    EXPECT_EQ(view.lastPaintedRowCount(), 0);
}

} // namespace
