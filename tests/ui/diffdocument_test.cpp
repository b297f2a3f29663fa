#include "difftestdata.h"
#include "diffview/diffdocument.h"

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace Qt::StringLiterals;
using driftdeck::test::numberedLines;
using driftdeck::test::sectionWithChanges;
using ui::DiffDocument;
using ui::DisplayRow;

namespace {

// One row as "left kind right": numbers, '.' for a filler; kinds = context, - removed, + added,
// ~ changed.
QString rowText(const diff::Row& row) {
    auto number = [](const diff::SideLine& line) {
        return line.isFiller() ? u"."_s : QString::number(line.number);
    };
    QString kind = u"="_s;
    if (row.left().kind == diff::LineKind::Changed)
        kind = u"~"_s;
    else if (row.left().kind == diff::LineKind::Removed && row.right().isFiller())
        kind = u"-"_s;
    else if (row.right().kind == diff::LineKind::Added && row.left().isFiller())
        kind = u"+"_s;
    else if (!row.isContext())
        kind = u"-+"_s;
    return number(row.left()) + u' ' + kind + u' ' + number(row.right());
}

QStringList laidOutRows(const DiffDocument& document) {
    QStringList out;
    for (int i = 0; i < document.displayRowCount(); ++i) {
        const DisplayRow& row = document.displayRow(i);
        if (row.type == DisplayRow::Type::Header)
            out.append(u"header "_s + document.section(row.section).key.name);
        else if (row.type == DisplayRow::Type::Fold)
            out.append(u"fold "_s + QString::number(document.hiddenRowsOfFold(row)));
        else
            out.append(rowText(document.rowAt(row)));
    }
    return out;
}

TEST(DiffDocument, RowsOfAKnownPairAlignWithFillers) {
    const QStringList desired = {u"apiVersion: apps/v1"_s,
                                 u"kind: Deployment"_s,
                                 u"metadata:"_s,
                                 u"  name: web"_s,
                                 u"spec:"_s,
                                 u"  replicas: 2"_s,
                                 u"  revisionHistoryLimit: 5"_s,
                                 u"  template:"_s,
                                 u"    spec: {}"_s};
    const QStringList live = {
        u"apiVersion: apps/v1"_s, u"kind: Deployment"_s, u"metadata:"_s, u"  labels:"_s,
        u"    owner: ops"_s,      u"  name: web"_s,      u"spec:"_s,     u"  replicas: 3"_s,
        u"  template:"_s,         u"    spec: {}"_s};
    DiffDocument document;
    document.addSection(ui::makeDiffSection({u"apps"_s, u"Deployment"_s, u"shop"_s, u"web"_s},
                                            diff::ObjectDiff::State::OutOfSync, desired, live));
    EXPECT_EQ(laidOutRows(document),
              QStringList({u"header web"_s, u"1 = 1"_s, u"2 = 2"_s, u"3 = 3"_s, u". + 4"_s, u". + 5"_s,
                           u"4 = 6"_s, u"5 = 7"_s, u"6 ~ 8"_s, u"7 - ."_s, u"8 = 9"_s, u"9 = 10"_s}));
    // The changed row carries the intra-line ranges: just the digit.
    const diff::Row& replicas = document.rowAt(document.displayRow(8));
    ASSERT_EQ(replicas.left().changed.size(), 1);
    EXPECT_EQ(replicas.left().text.mid(replicas.left().changed[0].start, replicas.left().changed[0].length),
              u"2"_s);
    EXPECT_EQ(
        replicas.right().text.mid(replicas.right().changed[0].start, replicas.right().changed[0].length),
        u"3"_s);
    EXPECT_EQ(document.changeCount(), 2) << "the added labels and the replicas/revisionHistoryLimit run";
}

TEST(DiffDocument, FoldsHideUnchangedRunsAndOpenOnRequest) {
    DiffDocument document;
    document.addSection(sectionWithChanges(0, 40, {20}));
    // Context 3: rows 0..16 fold (17), rows 17..23 show, rows 24..39 fold (16).
    EXPECT_EQ(document.foldCount(), 2);
    EXPECT_EQ(document.hiddenLineCount(), 33);
    EXPECT_EQ(document.displayRowCount(), 1 + 1 + 7 + 1);
    EXPECT_EQ(laidOutRows(document).mid(0, 3),
              QStringList({u"header config-0"_s, u"fold 17"_s, u"18 = 18"_s}));

    document.setFoldExpanded(0, 0, true);
    EXPECT_EQ(document.foldCount(), 1);
    EXPECT_EQ(document.hiddenLineCount(), 16);
    EXPECT_EQ(document.displayRowCount(), 1 + 17 + 7 + 1);
    EXPECT_FALSE(document.isFolded(0, 0));
    EXPECT_TRUE(document.isFolded(0, 2));

    document.expandAllFolds();
    EXPECT_EQ(document.foldCount(), 0);
    EXPECT_EQ(document.displayRowCount(), 41);
    document.collapseAllFolds();
    EXPECT_EQ(document.foldCount(), 2);
    EXPECT_EQ(document.displayRowCount(), 10);

    // A fold shorter than the minimum stays open: 16 rows < 17 <= 17 rows.
    document.setMinimumFoldRows(17);
    EXPECT_EQ(document.foldCount(), 1);
    EXPECT_EQ(document.hiddenLineCount(), 17);
    EXPECT_EQ(document.displayRowCount(), 1 + 1 + 7 + 16);
}

TEST(DiffDocument, DisplayRowOfAFoldedLineIsItsFold) {
    DiffDocument document;
    document.addSection(sectionWithChanges(0, 40, {20}));
    EXPECT_EQ(document.displayRowOf(0, 0, 5), 1);
    EXPECT_EQ(document.displayRowOf(0, 1, 3), 5);
    EXPECT_EQ(document.headerRowOf(0), 0);
    EXPECT_EQ(document.displayRowOf(0, 7, 0), -1);
    EXPECT_EQ(document.displayRowOf(3, 0, 0), -1);
}

TEST(DiffDocument, ChangesAreVisitedInDocumentOrderAcrossSections) {
    DiffDocument document;
    document.addSection(sectionWithChanges(0, 40, {5, 6, 30}));
    document.addSection(sectionWithChanges(1, 40, {}));
    document.addSection(sectionWithChanges(2, 40, {10}));
    ASSERT_EQ(document.changeCount(), 3);
    EXPECT_EQ(document.change(0), (ui::ChangeLocation{0, 1, 3, 2})) << "rows 5 and 6 are one change";
    EXPECT_EQ(document.change(2).section, 2);

    QList<int> forward;
    for (int c = document.nextChange(-1); c >= 0; c = document.nextChange(document.displayRowOfChange(c)))
        forward.append(c);
    EXPECT_EQ(forward, QList<int>({0, 1, 2}));
    QList<int> backward;
    for (int c = document.previousChange(document.displayRowCount()); c >= 0;
         c = document.previousChange(document.displayRowOfChange(c)))
        backward.append(c);
    EXPECT_EQ(backward, QList<int>({2, 1, 0}));

    // Each change's rows map back to it; a context row belongs to none.
    const int second = document.displayRowOfChange(0) + 1;
    EXPECT_EQ(document.changeAt(second), 0);
    EXPECT_EQ(document.changeAt(second + 1), -1);
    EXPECT_EQ(document.changeAt(document.displayRowOfChange(2)), 2);

    // A collapsed section's changes are not laid out, so navigation skips them.
    document.setSectionCollapsed(0, true);
    EXPECT_EQ(document.nextChange(-1), 2);
    EXPECT_EQ(document.displayRowOfChange(0), -1);
    document.setSectionCollapsed(0, false);

    // The single-resource view lays out one section without a header.
    document.setSingleSection(2);
    EXPECT_EQ(document.nextChange(-1), 2);
    EXPECT_EQ(document.previousChange(document.displayRowOfChange(2)), -1);
    EXPECT_NE(document.displayRow(0).type, DisplayRow::Type::Header);
    EXPECT_EQ(document.headerRowOf(2), -1);
    for (int i = 0; i < document.displayRowCount(); ++i)
        EXPECT_EQ(document.displayRow(i).section, 2);
}

TEST(DiffDocument, ProvenanceByLineNumberOrByIndex) {
    DiffDocument document;
    document.addSection(sectionWithChanges(0, 10, {3}));
    const ui::Provenance commit{u"1a2b3c4"_s, u"Alice"_s,
                                QDateTime::fromSecsSinceEpoch(1'700'000'000, Qt::UTC), u"1a2b3c4d5e6f"_s};
    document.setDesiredProvenance(0, QHash<int, ui::Provenance>{{4, commit}, {0, commit}, {11, commit}});
    EXPECT_EQ(document.desiredProvenance(0, 4), commit);
    EXPECT_TRUE(document.desiredProvenance(0, 3).isNull());
    EXPECT_TRUE(document.desiredProvenance(0, 11).isNull()) << "beyond the last line: ignored";
    EXPECT_TRUE(document.desiredProvenance(5, 4).isNull()) << "no such section";

    document.setDesiredProvenance(0, QList<ui::Provenance>{commit});
    EXPECT_EQ(document.desiredProvenance(0, 1), commit);
    EXPECT_TRUE(document.desiredProvenance(0, 4).isNull());

    const diff::LineOwner owner{u"kubectl-edit"_s, u"Update"_s,
                                QDateTime::fromSecsSinceEpoch(1'700'000'000, Qt::UTC)};
    document.setLiveOwners(0, QList<diff::LineOwner>{{}, {}, {}, owner});
    const diff::Row& changed = document.rowAt(document.displayRow(document.displayRowOfChange(0)));
    EXPECT_EQ(document.liveOwner(0, changed.right()), owner);
}

TEST(DiffDocument, YamlOfEitherSideForTheClipboard) {
    DiffDocument document;
    document.addSection(sectionWithChanges(0, 3, {1}));
    EXPECT_EQ(document.yaml(0, diff::Side::Left), u"key0: value 0\nkey1: value 1\nkey2: value 2\n"_s);
    EXPECT_EQ(document.yaml(0, diff::Side::Right), u"key0: value 0\nkey1: changed 1\nkey2: value 2\n"_s);
    EXPECT_EQ(document.yaml(1, diff::Side::Left), QString());
    document.addSection(ui::makeDiffSection({u""_s, u"Secret"_s, u"shop"_s, u"gone"_s},
                                            diff::ObjectDiff::State::Missing, {u"kind: Secret"_s}, {}));
    EXPECT_EQ(document.yaml(1, diff::Side::Right), QString()) << "nothing live";
}

TEST(DiffDocument, BlockScalarBodies) {
    const QStringList lines = {u"data:"_s,     u"  script: |"_s, u"    echo a: b"_s, u""_s,
                               u"    - x"_s,   u"  other: x"_s,  u"- >-"_s,          u"  folded"_s,
                               u"note: a |"_s, u"  not: body"_s};
    EXPECT_EQ(ui::blockScalarBodyLines(lines),
              QList<bool>({false, false, true, true, true, false, false, true, false, false}));
}

} // namespace
