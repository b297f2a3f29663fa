#include "diff/sidebyside.h"
#include "diffprinters.h"
#include "sidebysidechecks.h"
#include "testsupport.h"
#include "yaml/yamlcodec.h"

#include <QDir>
#include <QFile>
#include <QVariant>

#include <gtest/gtest.h>
#include <random>

using namespace driftdeck;
using namespace driftdeck::diff;

namespace {

QString goldenDir() {
    return test::testDataPath(QStringLiteral("diff/sidebyside"));
}

std::vector<std::string> goldenCases() {
    std::vector<std::string> out;
    const QStringList names = QDir(goldenDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString& name : names)
        out.push_back(name.toStdString());
    return out;
}

// The canonical YAML the diff sees in the product: parsed, then written by the YAML codec.
QStringList canonicalLines(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ADD_FAILURE() << "cannot read " << path.toStdString();
        return {};
    }
    auto documents = yaml::parseStream(file.readAll(), path);
    if (!documents.ok()) {
        ADD_FAILURE() << documents.error().toString().toStdString();
        return {};
    }
    QList<QJsonValue> values;
    for (const yaml::Document& document : *documents)
        values.append(document.value);
    return splitLines(QString::fromUtf8(yaml::toYamlStream(values)));
}

// A case may set its context width in a file named `context`.
SideBySideOptions caseOptions(const QDir& dir) {
    SideBySideOptions options;
    QFile file(dir.filePath(QStringLiteral("context")));
    if (file.open(QIODevice::ReadOnly))
        options.context = QString::fromUtf8(file.readAll()).trimmed().toInt();
    return options;
}

class SideBySideGolden : public ::testing::TestWithParam<std::string> {};

} // namespace

TEST(SideBySideGoldenCases, AreAllThere) {
    const std::vector<std::string> cases = goldenCases();
    EXPECT_GE(cases.size(), 15u) << "no golden cases under " << goldenDir().toStdString();
}

// Set DRIFTDECK_REGENERATE_GOLDEN=1 (or run tests/data/diff/sidebyside/regenerate.sh) to rewrite
// expected.txt from the current output; review the change with git diff before committing it.
TEST_P(SideBySideGolden, MatchesExpectedText) {
    const QDir dir(goldenDir() + QLatin1Char('/') + QString::fromStdString(GetParam()));
    const QStringList left = canonicalLines(dir.filePath(QStringLiteral("left.yaml")));
    const QStringList right = canonicalLines(dir.filePath(QStringLiteral("right.yaml")));
    const SideBySide model = buildSideBySide(left, right, caseOptions(dir));
    EXPECT_TRUE(modelFits(model, left, right));
    const QString actual = goldenText(model);

    const QString expectedPath = dir.filePath(QStringLiteral("expected.txt"));
    if (qEnvironmentVariableIntValue("DRIFTDECK_REGENERATE_GOLDEN") == 1) {
        QFile out(expectedPath);
        ASSERT_TRUE(out.open(QIODevice::WriteOnly | QIODevice::Truncate)) << expectedPath.toStdString();
        out.write(actual.toUtf8());
        return;
    }
    const QString expected = QString::fromUtf8(test::readFile(expectedPath));
    // On a mismatch, show what changed as a unified diff (made by the code under test, but the
    // verdict is the plain comparison).
    EXPECT_TRUE(actual == expected)
        << "golden " << GetParam() << " differs:\n"
        << unifiedText(buildSideBySide(splitLines(expected), splitLines(actual)),
                       {QStringLiteral("expected.txt"), QStringLiteral("actual")})
               .toStdString()
        << "to accept the new output run tests/data/diff/sidebyside/regenerate.sh "
           "and review the change";
}

INSTANTIATE_TEST_SUITE_P(Cases, SideBySideGolden, ::testing::ValuesIn(goldenCases()), [](const auto& info) {
    std::string name = info.param;
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
});

TEST(SideBySide, EmptyInputsGiveNoRows) {
    const SideBySide model = buildSideBySide({}, {});
    EXPECT_TRUE(model.chunks.isEmpty());
    EXPECT_TRUE(model.identical());
}

TEST(SideBySide, ReplacedBlockPairsSimilarLinesAndFillsTheShortSide) {
    const QStringList left{QStringLiteral("  a: 1"), QStringLiteral("  image: nginx:1.25"),
                           QStringLiteral("  z: 9")};
    const QStringList right{QStringLiteral("  a: 1"), QStringLiteral("  command: [sh]"),
                            QStringLiteral("  image: nginx:1.26"), QStringLiteral("  z: 9")};
    const SideBySide model = buildSideBySide(left, right);
    ASSERT_TRUE(modelFits(model, left, right));
    const QList<Row> rows = model.rows();
    ASSERT_EQ(rows.size(), 4);
    EXPECT_EQ(rows[1].left().kind, LineKind::Filler);
    EXPECT_EQ(rows[1].right().kind, LineKind::Added);
    EXPECT_EQ(rows[2].left().kind, LineKind::Changed);
    EXPECT_EQ(rows[2].left().changed, (QList<Range>{{17, 2}}));
    EXPECT_EQ(rows[2].right().changed, (QList<Range>{{17, 2}}));
    EXPECT_EQ(model.removedLines, 1);
    EXPECT_EQ(model.addedLines, 2);
}

TEST(SideBySide, AnnotationsFollowTheirLines) {
    QStringList left, right;
    QStringList provenance;
    QList<LineOwner> owners;
    const QDateTime time(QDate(2026, 11, 30), QTime(10, 0), Qt::UTC);
    for (int i = 0; i < 40; ++i) {
        left.append(QStringLiteral("key%1: %2").arg(i).arg(i % 5 == 0 ? 0 : i));
        provenance.append(QStringLiteral("base/deploy.yaml:%1").arg(i + 1));
        if (i % 7 == 3)
            continue; // absent live
        right.append(QStringLiteral("key%1: %2").arg(i).arg(i));
        owners.append({QStringLiteral("manager-%1").arg(right.size()), QStringLiteral("Apply"), time});
    }
    right.append(QStringLiteral("status: {}"));
    owners.append({QStringLiteral("kube-controller-manager"), QStringLiteral("Update"), time});
    provenance.removeLast(); // fewer annotations than lines is allowed

    const SideBySide model = buildSideBySide(left, right, {}, {provenance, owners});
    ASSERT_TRUE(modelFits(model, left, right));
    for (const Row& row : model.rows()) {
        if (!row.left().isFiller() && row.left().number < left.size())
            EXPECT_EQ(row.left().provenance, QStringLiteral("base/deploy.yaml:%1").arg(row.left().number));
        else
            EXPECT_TRUE(row.left().provenance.isEmpty());
        if (!row.right().isFiller())
            EXPECT_EQ(row.right().owner, owners[row.right().number - 1]);
        else
            EXPECT_TRUE(row.right().owner.isNull());
        EXPECT_TRUE(row.left().owner.isNull());
        EXPECT_TRUE(row.right().provenance.isEmpty());
    }
}

TEST(SideBySide, FoldsKeepContextAndCountHiddenRows) {
    QStringList left;
    for (int i = 1; i <= 30; ++i)
        left.append(QStringLiteral("line %1").arg(i));
    QStringList right = left;
    right[9] = QStringLiteral("line ten");     // row 10
    right[19] = QStringLiteral("line twenty"); // row 20

    SideBySideOptions options;
    options.context = 2;
    const SideBySide model = buildSideBySide(left, right, options);
    ASSERT_TRUE(modelFits(model, left, right));
    // 1-7 folded, 8-12 shown, 13-17 folded, 18-22 shown, 23-30 folded.
    ASSERT_EQ(model.chunks.size(), 5);
    const int hidden[] = {7, 0, 5, 0, 8};
    for (int c = 0; c < 5; ++c)
        EXPECT_EQ(model.chunks[c].hiddenRows(), hidden[c]) << "chunk " << c;
    EXPECT_EQ(model.chunks[1].rows.first().left().number, 8);
    EXPECT_EQ(model.chunks[3].rows.last().left().number, 22);

    // A run no longer than 2 * context stays visible.
    options.context = 5;
    const SideBySide wide = buildSideBySide(left, right, options);
    ASSERT_EQ(wide.chunks.size(), 3);
    EXPECT_EQ(wide.chunks[1].rows.size(), 21);

    options.fold = false;
    const SideBySide unfolded = buildSideBySide(left, right, options);
    ASSERT_EQ(unfolded.chunks.size(), 1);
    EXPECT_EQ(unfolded.rowCount(), 30);
}

TEST(SideBySide, IdenticalInputsAreOneFold) {
    const QStringList text{QStringLiteral("a"), QStringLiteral("b")};
    const SideBySide model = buildSideBySide(text, text);
    ASSERT_EQ(model.chunks.size(), 1);
    EXPECT_TRUE(model.chunks[0].folded);
    EXPECT_EQ(model.chunks[0].hiddenRows(), 2);
    EXPECT_TRUE(model.identical());
}

// 5,000-line manifests with scattered edits: the model is built and every invariant holds.
TEST(SideBySide, FiveThousandLinesAlign) {
    std::mt19937 rng(5000);
    std::uniform_int_distribution<int> percent(0, 99);
    QStringList left, right;
    for (int i = 0; i < 5000; ++i) {
        const QString line =
            QStringLiteral("      - name: item-%1\n        value: \"%2\"").arg(i / 2).arg(i % 11);
        left.append(line.split(QLatin1Char('\n'))[i % 2]);
    }
    for (const QString& line : std::as_const(left)) {
        const int p = percent(rng);
        if (p == 0)
            continue;
        right.append(p == 1 ? line + QStringLiteral("x") : line);
        if (p == 2)
            right.append(QStringLiteral("        added: true"));
    }
    const SideBySide model = buildSideBySide(left, right);
    EXPECT_TRUE(modelFits(model, left, right));
    EXPECT_FALSE(model.identical());
    EXPECT_GT(model.chunks.size(), 10);
}

// Property: random edits of random line lists always give a model that fits its inputs.
TEST(SideBySide, RandomEditsAlwaysAlign) {
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> length(0, 40), symbol(0, 5), percent(0, 99);
    for (int round = 0; round < 400; ++round) {
        QStringList left, right;
        const int n = length(rng);
        for (int i = 0; i < n; ++i)
            left.append(QStringLiteral("  key%1: v%2").arg(symbol(rng)).arg(symbol(rng)));
        for (const QString& line : std::as_const(left)) {
            const int p = percent(rng);
            if (p < 10)
                continue;
            right.append(p < 20 ? line + QStringLiteral("9") : line);
            if (p >= 95)
                right.append(QStringLiteral("  new: %1").arg(symbol(rng)));
        }
        SideBySideOptions options;
        options.context = round % 4;
        const SideBySide model = buildSideBySide(left, right, options);
        ASSERT_TRUE(modelFits(model, left, right)) << "round " << round;
    }
}

// The model travels from the diff worker to the GUI thread inside queued signals.
TEST(SideBySide, TravelsAsAVariant) {
    const SideBySide model =
        buildSideBySide({QStringLiteral("replicas: 3")}, {QStringLiteral("replicas: 4")});
    const QVariant variant = QVariant::fromValue(model);
    ASSERT_TRUE(variant.canConvert<SideBySide>());
    EXPECT_EQ(variant.value<SideBySide>(), model);
}

TEST(SplitLines, FinalNewlineEndsTheLastLine) {
    EXPECT_EQ(splitLines(QString()), QStringList());
    EXPECT_EQ(splitLines(QStringLiteral("a\nb\n")), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    EXPECT_EQ(splitLines(QStringLiteral("a\n\nb")),
              (QStringList{QStringLiteral("a"), QString(), QStringLiteral("b")}));
    EXPECT_EQ(splitLines(QStringLiteral("\n")), QStringList{QString()});
}
