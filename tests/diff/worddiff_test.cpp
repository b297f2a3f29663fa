#include "diff/worddiff.h"
#include "diffprinters.h"

#include <gtest/gtest.h>
#include <random>

using namespace driftdeck::diff;

namespace {

QStringList tokenTexts(const QString& line) {
    QStringList out;
    for (const Range& r : wordTokens(line))
        out.append(line.mid(r.start, r.length));
    return out;
}

QStringList rangeTexts(const QString& line, const QList<Range>& ranges) {
    QStringList out;
    for (const Range& r : ranges)
        out.append(line.mid(r.start, r.length));
    return out;
}

} // namespace

TEST(WordTokens, SplitsWordsPunctuationAndWhitespaceRuns) {
    EXPECT_EQ(tokenTexts(QStringLiteral("  image: nginx:1.25")),
              (QStringList{QStringLiteral("  "), QStringLiteral("image"), QStringLiteral(":"),
                           QStringLiteral(" "), QStringLiteral("nginx"), QStringLiteral(":"),
                           QStringLiteral("1"), QStringLiteral("."), QStringLiteral("25")}));
    EXPECT_EQ(tokenTexts(QStringLiteral("a_b--c")), (QStringList{QStringLiteral("a_b"), QStringLiteral("-"),
                                                                 QStringLiteral("-"), QStringLiteral("c")}));
    EXPECT_TRUE(wordTokens(QString()).isEmpty());
}

TEST(WordTokens, KeepSurrogatePairsAndCombiningMarksWhole) {
    // "e" + combining acute, then an emoji outside the BMP (two UTF-16 units).
    const QString line = QStringLiteral("cafe\u0301 \U0001F600!");
    EXPECT_EQ(tokenTexts(line), (QStringList{QStringLiteral("cafe\u0301"), QStringLiteral(" "),
                                             QStringLiteral("\U0001F600"), QStringLiteral("!")}));
}

TEST(WordTokens, CoverTheLineExactly) {
    const QString lines[] = {QStringLiteral("  - name: \u65e5\u672c\u8a9e-x  y\t"),
                             QStringLiteral("\U0001F600\U0001F600"), QStringLiteral("{a: [1, 2]}"),
                             QStringLiteral("\xd8"),
                             QString(QChar(0xD800)) + QStringLiteral("x")}; // a lone surrogate
    for (const QString& line : lines) {
        int at = 0;
        for (const Range& r : wordTokens(line)) {
            EXPECT_EQ(r.start, at);
            EXPECT_GT(r.length, 0);
            at = r.end();
        }
        EXPECT_EQ(at, line.size()) << line.toStdString();
    }
}

TEST(WordDiff, ImageTagChangeHighlightsOnlyTheTag) {
    const QString left = QStringLiteral("        image: nginx:1.25");
    const QString right = QStringLiteral("        image: nginx:1.27.3");
    const auto words = diffWords(left, right);
    ASSERT_TRUE(words);
    EXPECT_EQ(rangeTexts(left, words->left), QStringList{QStringLiteral("25")});
    EXPECT_EQ(rangeTexts(right, words->right), QStringList{QStringLiteral("27.3")});
}

TEST(WordDiff, ReplicaCount) {
    const auto words = diffWords(QStringLiteral("  replicas: 3"), QStringLiteral("  replicas: 12"));
    ASSERT_TRUE(words);
    EXPECT_EQ(words->left, (QList<Range>{{12, 1}}));
    EXPECT_EQ(words->right, (QList<Range>{{12, 2}}));
}

TEST(WordDiff, WhitespaceOnlyChangeIsHighlighted) {
    const auto words = diffWords(QStringLiteral("cmd: sleep  10"), QStringLiteral("cmd: sleep 10"));
    ASSERT_TRUE(words);
    EXPECT_EQ(words->left, (QList<Range>{{10, 2}}));
    EXPECT_EQ(words->right, (QList<Range>{{10, 1}}));

    const auto blank = diffWords(QString(), QStringLiteral("   "));
    ASSERT_TRUE(blank);
    EXPECT_TRUE(blank->left.isEmpty());
    EXPECT_EQ(blank->right, (QList<Range>{{0, 3}}));
}

TEST(WordDiff, NeighbouringChangesAcrossWhitespaceAreOneRange) {
    const QString left = QStringLiteral("msg: hello brave world");
    const QString right = QStringLiteral("msg: hello cruel new world");
    const auto words = diffWords(left, right);
    ASSERT_TRUE(words);
    EXPECT_EQ(rangeTexts(left, words->left), QStringList{QStringLiteral("brave")});
    EXPECT_EQ(rangeTexts(right, words->right), QStringList{QStringLiteral("cruel new")});
}

TEST(WordDiff, IdenticalLinesHaveNoRanges) {
    const auto words = diffWords(QStringLiteral("a: b"), QStringLiteral("a: b"));
    ASSERT_TRUE(words);
    EXPECT_TRUE(words->left.isEmpty());
    EXPECT_TRUE(words->right.isEmpty());
}

TEST(WordDiff, UnrelatedLinesAreNotHighlighted) {
    EXPECT_FALSE(diffWords(QStringLiteral("  serviceAccountName: builder"),
                           QStringLiteral("  terminationGracePeriodSeconds: 30")));
}

TEST(WordDiff, OverlongLinesAreNotHighlighted) {
    WordDiffOptions options;
    options.maxLineLength = 50;
    const QString base = QStringLiteral("data: ") + QString(60, QLatin1Char('a'));
    EXPECT_FALSE(diffWords(base, base + QLatin1Char('b'), options));

    WordDiffOptions fewTokens;
    fewTokens.maxTokens = 5;
    EXPECT_FALSE(diffWords(QStringLiteral("a b c d e f"), QStringLiteral("a b c d e g"), fewTokens));
}

TEST(WordDiff, UnicodeRangesCountUtf16Units) {
    const QString left = QStringLiteral("name: \U0001F600 caf\u00e9");
    const QString right = QStringLiteral("name: \U0001F603 caf\u00e9");
    const auto words = diffWords(left, right);
    ASSERT_TRUE(words);
    EXPECT_EQ(words->left, (QList<Range>{{6, 2}}));
    EXPECT_EQ(words->right, (QList<Range>{{6, 2}}));
}

// Property: random text with every awkward kind of character gives ranges inside the lines, in
// order and disjoint, and equal lines give none.
TEST(WordDiff, RandomUnicodeGivesWellFormedRanges) {
    const QString pool =
        QStringLiteral("ab1_ \t:.-\u00e9\u0301\u65e5\u3053\U0001F600") + QChar(0xD800) + QChar(0xDC00);
    std::mt19937 rng(99);
    std::uniform_int_distribution<int> pick(0, int(pool.size()) - 1), length(0, 30);
    auto randomText = [&] {
        QString out;
        const int n = length(rng);
        for (int i = 0; i < n; ++i)
            out += pool.at(pick(rng));
        return out;
    };
    auto wellFormed = [](const QString& line, const QList<Range>& ranges) {
        int at = 0;
        for (const Range& r : ranges) {
            if (r.length <= 0 || r.start < at || r.end() > line.size())
                return false;
            at = r.end() + 1; // joined ranges never touch
        }
        return true;
    };
    WordDiffOptions options;
    options.minUnchangedShare = 0; // always highlight, to check every result
    for (int round = 0; round < 2000; ++round) {
        const QString left = randomText();
        const QString right = round % 10 == 0 ? left : randomText();
        const auto words = diffWords(left, right, options);
        ASSERT_TRUE(words);
        ASSERT_TRUE(wellFormed(left, words->left)) << left.toStdString();
        ASSERT_TRUE(wellFormed(right, words->right)) << right.toStdString();
        if (left == right) {
            ASSERT_TRUE(words->left.isEmpty() && words->right.isEmpty());
        } else {
            ASSERT_FALSE(words->left.isEmpty() && words->right.isEmpty()) << "a change without a range";
        }
    }
}
