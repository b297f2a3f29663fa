#include "diff/worddiff.h"
#include "diffprinters.h"

#include <gtest/gtest.h>

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
