#include "diff/linediff.h"
#include "diffprinters.h"

#include <gtest/gtest.h>
#include <random>
#include <vector>

using namespace driftdeck::diff;

namespace {

QStringList lines(std::initializer_list<const char*> items) {
    QStringList out;
    for (const char* item : items)
        out.append(QString::fromUtf8(item));
    return out;
}

// Checks every promise EditScript makes, then that replaying it on `left` gives `right`.
::testing::AssertionResult validScript(const QStringList& left, const QStringList& right,
                                       const EditScript& script) {
    int x = 0, y = 0;
    QStringList rebuilt;
    for (qsizetype i = 0; i < script.size(); ++i) {
        const EditRange& run = script[i];
        if (run.count <= 0)
            return ::testing::AssertionFailure() << "empty run at " << i;
        if (run.leftStart != x || run.rightStart != y)
            return ::testing::AssertionFailure()
                   << "run " << i << " starts at (" << run.leftStart << ", " << run.rightStart
                   << "), expected (" << x << ", " << y << ")";
        if (i > 0 && script[i - 1].kind == run.kind)
            return ::testing::AssertionFailure() << "two " << kindName(run.kind) << " runs in a row at " << i;
        if (i > 0 && script[i - 1].kind == EditKind::Insert && run.kind == EditKind::Delete)
            return ::testing::AssertionFailure() << "Insert before Delete at " << i;
        switch (run.kind) {
        case EditKind::Equal:
            for (int k = 0; k < run.count; ++k) {
                if (x + k >= left.size() || y + k >= right.size() || left[x + k] != right[y + k])
                    return ::testing::AssertionFailure() << "Equal run " << i << " pairs different lines";
                rebuilt.append(left[x + k]);
            }
            x += run.count;
            y += run.count;
            break;
        case EditKind::Delete:
            x += run.count;
            break;
        case EditKind::Insert:
            for (int k = 0; k < run.count && y + k < right.size(); ++k)
                rebuilt.append(right[y + k]);
            y += run.count;
            break;
        }
    }
    if (x != left.size() || y != right.size())
        return ::testing::AssertionFailure() << "script ends at (" << x << ", " << y << "), inputs have ("
                                             << left.size() << ", " << right.size() << ")";
    if (rebuilt != right)
        return ::testing::AssertionFailure() << "replaying the script does not give the right side";
    return ::testing::AssertionSuccess();
}

// Length of the longest common subsequence, by the textbook O(NM) table: the referee for minimality.
int lcsLength(const QStringList& a, const QStringList& b) {
    std::vector<int> row(size_t(b.size()) + 1, 0), previous(size_t(b.size()) + 1, 0);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        std::swap(row, previous);
        for (qsizetype j = 1; j <= b.size(); ++j)
            row[size_t(j)] = a[i - 1] == b[j - 1] ? previous[size_t(j - 1)] + 1
                                                  : std::max(previous[size_t(j)], row[size_t(j - 1)]);
    }
    return row[size_t(b.size())];
}

// A random list over a small alphabet (so lines repeat, as YAML lines do) and a random edit of it.
struct RandomPair {
    QStringList left;
    QStringList right;
};

RandomPair randomPair(std::mt19937& rng, int maxLines, int alphabet) {
    std::uniform_int_distribution<int> length(0, maxLines);
    std::uniform_int_distribution<int> symbol(0, alphabet - 1);
    std::uniform_int_distribution<int> percent(0, 99);
    RandomPair pair;
    const int n = length(rng);
    for (int i = 0; i < n; ++i)
        pair.left.append(QStringLiteral("line %1").arg(symbol(rng)));
    const int editRate = percent(rng);
    for (const QString& line : std::as_const(pair.left)) {
        const int p = percent(rng);
        if (p >= editRate) {
            pair.right.append(line);
        } else if (p % 3 == 0) {
            pair.right.append(QStringLiteral("line %1").arg(symbol(rng))); // replaced
        } else if (p % 3 == 1) {
            pair.right.append(line); // kept, with an insertion after it
            pair.right.append(QStringLiteral("new %1").arg(symbol(rng)));
        } // else deleted
    }
    return pair;
}

} // namespace

TEST(LineDiff, EmptyInputsGiveAnEmptyScript) {
    EXPECT_TRUE(diffLines({}, {}).isEmpty());
}

TEST(LineDiff, OneEmptySideIsOneRun) {
    const QStringList text = lines({"a", "b", "c"});
    EXPECT_EQ(diffLines({}, text), (EditScript{{EditKind::Insert, 0, 0, 3}}));
    EXPECT_EQ(diffLines(text, {}), (EditScript{{EditKind::Delete, 0, 0, 3}}));
}

TEST(LineDiff, IdenticalInputsAreOneEqualRun) {
    const QStringList text = lines({"a", "b", "c"});
    EXPECT_EQ(diffLines(text, text), (EditScript{{EditKind::Equal, 0, 0, 3}}));
}

TEST(LineDiff, ReplacementIsDeleteThenInsertBetweenEqualRuns) {
    const QStringList left = lines({"a", "b", "c", "d"});
    const QStringList right = lines({"a", "x", "y", "d"});
    const EditScript expected{{EditKind::Equal, 0, 0, 1},
                              {EditKind::Delete, 1, 1, 2},
                              {EditKind::Insert, 3, 1, 2},
                              {EditKind::Equal, 3, 3, 1}};
    EXPECT_EQ(diffLines(left, right), expected);
}

// The example of Myers' paper: ABCABBA to CBABAC takes five edits.
TEST(LineDiff, PaperExampleIsMinimal) {
    const QStringList left = lines({"A", "B", "C", "A", "B", "B", "A"});
    const QStringList right = lines({"C", "B", "A", "B", "A", "C"});
    const EditScript script = diffLines(left, right);
    EXPECT_TRUE(validScript(left, right, script));
    const EditCounts counts = editCounts(script);
    EXPECT_EQ(counts.deleted + counts.inserted, 5);
}

TEST(LineDiff, InsertedListItemStartsAtItsLeastIndentedLine) {
    const QStringList left = lines({"containers:", "- name: a", "  image: x", "- name: c", "  image: x"});
    const QStringList right = lines(
        {"containers:", "- name: a", "  image: x", "- name: b", "  image: x", "- name: c", "  image: x"});
    const EditScript script = diffLines(left, right);
    ASSERT_TRUE(validScript(left, right, script));
    ASSERT_EQ(script.size(), 3);
    EXPECT_EQ(script[1], (EditRange{EditKind::Insert, 3, 3, 2}));

    LineDiffOptions unslid;
    unslid.slideToIndentation = false;
    EXPECT_TRUE(validScript(left, right, diffLines(left, right, unslid)));
}

TEST(LineDiff, DeletedListItemStartsAtItsLeastIndentedLine) {
    const QStringList left = lines({"- name: a", "  image: x", "- name: b", "  image: x", "- name: c"});
    const QStringList right = lines({"- name: a", "  image: x", "- name: c"});
    const EditScript script = diffLines(left, right);
    ASSERT_TRUE(validScript(left, right, script));
    ASSERT_EQ(script.size(), 3);
    EXPECT_EQ(script[1], (EditRange{EditKind::Delete, 2, 2, 2}));
}

TEST(LineDiff, InsertedDocumentEndsAtItsSeparator) {
    const QStringList left = lines({"apiVersion: v1", "kind: Service"});
    const QStringList right =
        lines({"apiVersion: v1", "kind: ConfigMap", "---", "apiVersion: v1", "kind: Service"});
    const EditScript script = diffLines(left, right);
    ASSERT_TRUE(validScript(left, right, script));
    EXPECT_EQ(script.first(), (EditRange{EditKind::Insert, 0, 0, 3}));
}

// Property: for random edits of random lists the script replays to the right side and is minimal.
TEST(LineDiff, RandomEditsReplayAndAreMinimal) {
    std::mt19937 rng(20261130);
    for (int round = 0; round < 600; ++round) {
        const RandomPair pair = randomPair(rng, 60, round % 2 ? 4 : 30);
        const EditScript script = diffLines(pair.left, pair.right);
        ASSERT_TRUE(validScript(pair.left, pair.right, script)) << "round " << round;
        const EditCounts counts = editCounts(script);
        const int lcs = lcsLength(pair.left, pair.right);
        ASSERT_EQ(counts.deleted + counts.inserted, pair.left.size() + pair.right.size() - 2 * lcs)
            << "round " << round << ": not a shortest edit script";
    }
}

// With the cost bound forced low the search takes shortcuts; the script must stay correct.
TEST(LineDiff, CostBoundKeepsScriptsCorrect) {
    std::mt19937 rng(7);
    LineDiffOptions options;
    options.maxEditCost = 2;
    int longer = 0;
    for (int round = 0; round < 300; ++round) {
        const RandomPair pair = randomPair(rng, 200, 6);
        const EditScript script = diffLines(pair.left, pair.right, options);
        ASSERT_TRUE(validScript(pair.left, pair.right, script)) << "round " << round;
        const EditCounts counts = editCounts(script);
        const int minimal = int(pair.left.size() + pair.right.size()) - 2 * lcsLength(pair.left, pair.right);
        ASSERT_GE(counts.deleted + counts.inserted, minimal);
        longer += counts.deleted + counts.inserted > minimal ? 1 : 0;
    }
    // Otherwise the bound was never reached and this test would test nothing.
    EXPECT_GT(longer, 0);
}

TEST(LineDiff, TenThousandLinesWithScatteredChanges) {
    QStringList left, right;
    for (int i = 0; i < 10000; ++i) {
        left.append(QStringLiteral("  key%1: value %2").arg(i % 97).arg(i));
        right.append(i % 100 == 50 ? QStringLiteral("  changed: %1").arg(i) : left.last());
        if (i % 250 == 0)
            right.append(QStringLiteral("  inserted: %1").arg(i));
    }
    const EditScript script = diffLines(left, right);
    ASSERT_TRUE(validScript(left, right, script));
    const EditCounts counts = editCounts(script);
    EXPECT_EQ(counts.deleted, 100);
    EXPECT_EQ(counts.inserted, 140);
}

TEST(LineDiff, UnrelatedLargeInputsStayCorrect) {
    QStringList left, right;
    for (int i = 0; i < 5000; ++i) {
        left.append(QStringLiteral("left %1").arg(i % 13));
        right.append(QStringLiteral("right %1").arg(i % 7));
    }
    right[2500] = left[100];
    const EditScript script = diffLines(left, right);
    EXPECT_TRUE(validScript(left, right, script));
}

TEST(LineDiff, SymbolsAreDiffedDirectly) {
    const std::vector<int> a{1, 2, 3, 4, 5};
    const std::vector<int> b{1, 3, 4, 6, 5};
    const EditScript expected{{EditKind::Equal, 0, 0, 1},
                              {EditKind::Delete, 1, 1, 1},
                              {EditKind::Equal, 2, 1, 2},
                              {EditKind::Insert, 4, 3, 1},
                              {EditKind::Equal, 4, 4, 1}};
    EXPECT_EQ(diffSymbols(a, b), expected);
}
