#include "diff/sidebyside.h"
#include "diffprinters.h"
#include "testsupport.h"

#include <QStandardPaths>
#include <QTemporaryDir>

#include <gtest/gtest.h>
#include <random>

using namespace driftdeck;
using namespace driftdeck::diff;

namespace {

QStringList numbered(int count, const QString& prefix = QStringLiteral("line")) {
    QStringList out;
    for (int i = 1; i <= count; ++i)
        out.append(QStringLiteral("%1 %2").arg(prefix).arg(i));
    return out;
}

bool writeLines(const QString& path, const QStringList& lines) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    for (const QString& line : lines)
        file.write(line.toUtf8() + '\n');
    return true;
}

// GNU patch is the referee: applied to the left text, our unified diff must give the right text.
::testing::AssertionResult patchGivesRight(const QStringList& left, const QStringList& right,
                                           const SideBySideOptions& options) {
    const QString patch = QStandardPaths::findExecutable(QStringLiteral("patch"));
    if (patch.isEmpty())
        return ::testing::AssertionFailure() << "GNU patch is not on PATH: it referees unifiedText";
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("target.yaml"));
    if (!writeLines(target, left))
        return ::testing::AssertionFailure() << "cannot write " << target.toStdString();
    const QString diff = unifiedText(buildSideBySide(left, right, options));
    if (diff.isEmpty())
        return left == right ? ::testing::AssertionSuccess()
                             : ::testing::AssertionFailure() << "empty diff for different inputs";
    const auto result = test::runProcess(patch,
                                         {QStringLiteral("--force"), QStringLiteral("--silent"),
                                          QStringLiteral("--no-backup-if-mismatch"), target},
                                         diff.toUtf8());
    if (result.exitCode != 0)
        return ::testing::AssertionFailure()
               << "patch failed: " << result.out.toStdString() << result.err.toStdString() << "\n"
               << diff.toStdString();
    QStringList expected;
    for (const QString& line : right)
        expected.append(line);
    const QStringList patched = splitLines(QString::fromUtf8(test::readFile(target)));
    if (patched != expected)
        return ::testing::AssertionFailure() << "patched text differs from the right side\n"
                                             << diff.toStdString();
    return ::testing::AssertionSuccess();
}

int displayColumns(const QString& line) {
    int n = 0;
    for (qsizetype i = 0; i < line.size(); ++i) {
        if (line.at(i).isLowSurrogate())
            continue;
        const char32_t c = line.at(i).isHighSurrogate() && i + 1 < line.size()
                               ? QChar::surrogateToUcs4(line.at(i), line.at(i + 1))
                               : line.at(i).unicode();
        n += (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x1F300 && c <= 0x1F64F) ? 2 : 1;
    }
    return n;
}

} // namespace

TEST(UnifiedText, MatchesDiffUFormat) {
    const QStringList left = numbered(10);
    QStringList right = left;
    right[4] = QStringLiteral("line five");
    right.insert(8, QStringLiteral("inserted"));
    right.removeLast();
    SideBySideOptions options;
    options.context = 1;
    const QString expected = QStringLiteral("--- a.yaml\n+++ b.yaml\n"
                                            "@@ -4,3 +4,3 @@\n line 4\n-line 5\n+line five\n line 6\n"
                                            "@@ -8,3 +8,3 @@\n line 8\n+inserted\n line 9\n-line 10\n");
    EXPECT_EQ(unifiedText(buildSideBySide(left, right, options),
                          {QStringLiteral("a.yaml"), QStringLiteral("b.yaml")}),
              expected);
}

TEST(UnifiedText, EmptyRangesNameTheLineBefore) {
    const QString created = unifiedText(buildSideBySide({}, numbered(2)));
    EXPECT_EQ(created, QStringLiteral("--- desired\n+++ live\n@@ -0,0 +1,2 @@\n+line 1\n+line 2\n"));
    const QString deleted = unifiedText(buildSideBySide(numbered(1), {}));
    EXPECT_EQ(deleted, QStringLiteral("--- desired\n+++ live\n@@ -1 +0,0 @@\n-line 1\n"));
    EXPECT_TRUE(unifiedText(buildSideBySide(numbered(3), numbered(3))).isEmpty());
}

TEST(UnifiedText, PatchAppliesItToTheLeftText) {
    std::mt19937 rng(1234);
    std::uniform_int_distribution<int> length(0, 80), symbol(0, 9), percent(0, 99);
    for (int round = 0; round < 40; ++round) {
        QStringList left, right;
        const int n = length(rng);
        for (int i = 0; i < n; ++i)
            left.append(QStringLiteral("  key%1: %2").arg(symbol(rng)).arg(i));
        for (const QString& line : std::as_const(left)) {
            const int p = percent(rng);
            if (p < 5)
                continue;
            right.append(p < 12 ? line + QStringLiteral(" # changed") : line);
            if (p >= 96)
                right.append(QStringLiteral("  new%1: x").arg(symbol(rng)));
        }
        SideBySideOptions options;
        options.context = round % 4;
        ASSERT_TRUE(patchGivesRight(left, right, options)) << "round " << round;
    }
}

TEST(SideBySideText, ColumnsAlignAndFoldsAreOneRow) {
    const QStringList left = numbered(20);
    QStringList right = left;
    right[10] =
        QStringLiteral("line eleven, now with a much longer text than fits into one column of the view");
    SideBySideTextOptions options;
    options.width = 60;
    const QString text = sideBySideText(buildSideBySide(left, right), options);
    const QStringList lines = splitLines(text);
    ASSERT_EQ(lines.size(), 9) << text.toStdString(); // fold, 3 context + 1 changed + 3 context rows, fold
    EXPECT_EQ(lines.first().trimmed(), QStringLiteral("\u2026 7 unchanged lines \u2026"));
    EXPECT_EQ(lines.last().trimmed(), QStringLiteral("\u2026 6 unchanged lines \u2026"));
    for (const QString& line : lines)
        EXPECT_LE(displayColumns(line), 60) << line.toStdString();
    // 28 columns a side; the unrelated long line is cut with an ellipsis in its last column.
    EXPECT_EQ(lines[1], QStringLiteral(" 8   line 8                  |  8   line 8"));
    EXPECT_EQ(lines[4], QStringLiteral("11 - line 11                 | 11 + line eleven, now with \u2026"));
}

TEST(SideBySideText, WideCharactersAndControlCharactersAreSafe) {
    const QStringList left{QStringLiteral("name: \u65e5\u672c\u8a9e\u65e5\u672c\u8a9e\u65e5\u672c\u8a9e\u65e5"
                                          "\u672c\u8a9e\u65e5\u672c\u8a9e")};
    const QStringList right{QStringLiteral("name: \x1b]0;pwned\x07\U0001F600")};
    SideBySideTextOptions options;
    options.width = 40;
    const QString text = sideBySideText(buildSideBySide(left, right), options);
    EXPECT_FALSE(text.contains(QChar(0x1b))) << text.toStdString();
    EXPECT_FALSE(text.contains(QChar(0x07)));
    for (const QString& line : splitLines(text))
        EXPECT_LE(displayColumns(line), 40) << line.toStdString();

    options.ansiColour = true;
    const QString coloured = sideBySideText(buildSideBySide(left, right), options);
    // Only our own colour sequences: every ESC starts a CSI "[...m".
    for (qsizetype i = coloured.indexOf(QChar(0x1b)); i >= 0; i = coloured.indexOf(QChar(0x1b), i + 1))
        EXPECT_EQ(coloured.at(i + 1), QLatin1Char('['));
    EXPECT_TRUE(coloured.contains(QStringLiteral("\x1b[31m")));
    EXPECT_TRUE(coloured.contains(QStringLiteral("\x1b[32m")));
}

TEST(SideBySideText, IntraLineChangesAreInverseInColour) {
    SideBySideTextOptions options;
    options.ansiColour = true;
    const QString text = sideBySideText(
        buildSideBySide({QStringLiteral("replicas: 3")}, {QStringLiteral("replicas: 5")}), options);
    EXPECT_TRUE(text.contains(QStringLiteral("replicas: \x1b[7m3"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("replicas: \x1b[7m5"))) << text.toStdString();
}

// Any width, even one too small for two columns, gives whole rows no wider than the minimum that
// fits a number, a marker and one character a side.
TEST(SideBySideText, AnyWidthGivesBoundedRows) {
    const QStringList left{QStringLiteral("a: \u65e5\u672c"), QStringLiteral("b: 1"), QStringLiteral("c: 2")};
    const QStringList right{QStringLiteral("a: \u65e5\u672c\u8a9e"), QStringLiteral("c: 2"),
                            QStringLiteral("d")};
    const SideBySide model = buildSideBySide(left, right);
    const int minimum = 2 * (1 + 4) + 3;
    for (int width = -1; width <= 40; ++width) {
        const QStringList lines = splitLines(sideBySideText(model, {width, false}));
        ASSERT_EQ(lines.size(), model.rowCount()) << "width " << width;
        for (const QString& line : lines)
            EXPECT_LE(displayColumns(line), std::max(width, minimum))
                << "width " << width << ": " << line.toStdString();
    }
}
