#include "testsupport.h"
#include "yaml/yamlcodec.h"
#include "yamltestdata.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include <gtest/gtest.h>

// Hostile YAML: alias bombs, deep nesting, huge streams. Each must be refused with an error that
// names the file, the line and the limit; what kubectl accepts must still read the same.
using namespace driftdeck;
using namespace driftdeck::yaml;

namespace {

QString errorOf(const QByteArray& text, const ParseOptions& options = {}) {
    auto result = parseStream(text, QStringLiteral("t.yaml"), options);
    EXPECT_FALSE(result.ok()) << "accepted a document of " << text.size() << " bytes";
    return result.ok() ? QString() : result.error().message;
}

// The classic "billion laughs": nine levels of nine aliases to the level below, 1e9 strings when
// expanded. The reader shares aliased subtrees, so without a limit it returns at once and the
// damage happens later, in whatever walks the value (toYaml, diff, the apply body).
QByteArray billionLaughs() {
    QByteArray text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
    for (char level = 'b'; level <= 'i'; ++level) {
        const char below = char(level - 1);
        text += QByteArray(1, level) + ": &" + level + " [";
        for (int i = 0; i < 9; ++i)
            text += QByteArray(i ? "," : "") + "*" + below;
        text += "]\n";
    }
    return text;
}

// A list of 200 strings anchored once, then `copies` aliases to it. go-yaml counts 206 + 202 per
// copy decodes, 201 per copy of them from aliases: 199 copies are 98.998%, 200 are 99.0001%, just
// over the 99% it allows.
QByteArray repeatedList(int copies) {
    QByteArray text = "base: &base [";
    for (int i = 0; i < 200; ++i)
        text += (i ? ",s" : "s") + QByteArray::number(i);
    text += "]\ncopies:\n";
    for (int i = 0; i < copies; ++i)
        text += "- *base\n";
    return text;
}

} // namespace

TEST(YamlLimits, BillionLaughsIsRefusedLikeKubectl) {
    const QByteArray text = billionLaughs();
    ASSERT_LT(text.size(), 600);
    const QString message = errorOf(text);
    EXPECT_TRUE(message.startsWith(QStringLiteral("t.yaml:"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("excessive aliasing"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("99% allowed"))) << message.toStdString();
}

TEST(YamlLimits, AliasShareFollowsGoYamlsRatio) {
    auto under = parseDocument(repeatedList(199), QStringLiteral("t.yaml"));
    ASSERT_TRUE(under.ok()) << under.error().message.toStdString();
    const QJsonArray copies = under->toObject().value(QStringLiteral("copies")).toArray();
    ASSERT_EQ(copies.size(), 199);
    EXPECT_EQ(copies.at(198).toArray().at(199), QJsonValue(QStringLiteral("s199")));

    const QString message = errorOf(repeatedList(200));
    // the alias that tips the balance is the last one, on line 202
    EXPECT_TRUE(message.startsWith(QStringLiteral("t.yaml:202:3:"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("excessive aliasing"))) << message.toStdString();
}

TEST(YamlLimits, KubectlDrawsTheAliasLineAtTheSamePlace) {
    DRIFTDECK_REQUIRE_KUBECTL();
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const auto referee = [&](const QByteArray& document) {
        const QString path = dir.filePath(QStringLiteral("case.yaml"));
        QFile file(path);
        EXPECT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n" + document);
        file.close();
        return yaml::testdata::runReferee(path);
    };
    // In a ConfigMap the eight nodes of the header move the boundary: 207 copies are 98.9997%
    // from aliases, 208 are 99.0002%. kubectl must draw the line exactly where we do.
    for (const int copies : {150, 207, 208, 400}) {
        const QByteArray document =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n" + repeatedList(copies);
        const bool ours = parseDocument(document, QStringLiteral("t.yaml")).ok();
        const auto theirs = referee(repeatedList(copies));
        EXPECT_EQ(ours, theirs.ok) << copies << " copies; kubectl: " << theirs.error.toStdString();
    }
    const auto bomb = referee(billionLaughs());
    EXPECT_FALSE(bomb.ok);
    EXPECT_TRUE(bomb.error.contains(QStringLiteral("excessive aliasing"))) << bomb.error.toStdString();
}

// Anchors and merge keys as values files and kustomize patches use them stay readable.
TEST(YamlLimits, MergeKeysInOrdinaryFilesAreStillRead) {
    QByteArray text = "defaults: &defaults\n  image: nginx:1.25\n  resources: {limits: {cpu: 100m}}\n"
                      "  env: &env\n  - {name: A, value: \"1\"}\n  - {name: B, value: \"2\"}\n"
                      "containers:\n";
    for (int i = 0; i < 300; ++i) {
        text += "- <<: *defaults\n  name: c" + QByteArray::number(i) + "\n  extraEnv: *env\n";
        if (i % 2)
            text += "  <<: [{image: busybox}, {port: 80}]\n";
    }
    auto result = parseDocument(text, QStringLiteral("values.yaml"));
    ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
    const QJsonArray containers = result->toObject().value(QStringLiteral("containers")).toArray();
    ASSERT_EQ(containers.size(), 300);
    const QJsonObject odd = containers.at(299).toObject();
    EXPECT_EQ(odd.value(QStringLiteral("name")), QJsonValue(QStringLiteral("c299")));
    EXPECT_EQ(odd.value(QStringLiteral("image")), QJsonValue(QStringLiteral("busybox")));
    EXPECT_EQ(odd.value(QStringLiteral("port")), QJsonValue(80));
    EXPECT_EQ(containers.at(0).toObject().value(QStringLiteral("extraEnv")).toArray().size(), 2);
    EXPECT_EQ(containers.at(0).toObject().value(QStringLiteral("image")),
              QJsonValue(QStringLiteral("nginx:1.25")));
}

TEST(YamlLimits, DeepFlowNestingIsRefusedWithTheLimit) {
    for (const QByteArray& open : {QByteArray("["), QByteArray("{a: ")}) {
        const int depth = 100'000;
        const QByteArray close = open == "[" ? "]" : "}";
        const QByteArray text = "a: " + open.repeated(depth) + "x" + close.repeated(depth) + "\n";
        const QString message = errorOf(text);
        EXPECT_TRUE(message.startsWith(QStringLiteral("t.yaml:1:"))) << message.toStdString();
        EXPECT_TRUE(message.contains(QStringLiteral("deeper than 400 levels"))) << message.toStdString();
    }
}

TEST(YamlLimits, DeepBlockNestingIsRefusedWithTheLimit) {
    const QString compact = errorOf("- " + QByteArray("- ").repeated(100'000) + "x\n");
    EXPECT_TRUE(compact.contains(QStringLiteral("deeper than 400 levels"))) << compact.toStdString();

    // Indented maps, the way the simple scanner reads them: 600 levels, one a line.
    QByteArray text;
    for (int level = 0; level < 600; ++level)
        text += QByteArray(level, ' ') + "k:\n";
    const QString indented = errorOf(text);
    EXPECT_TRUE(indented.startsWith(QStringLiteral("t.yaml:"))) << indented.toStdString();
    EXPECT_TRUE(indented.contains(QStringLiteral("deeper than 400 levels"))) << indented.toStdString();
}

TEST(YamlLimits, NestingBeyondTheFastScannerStillReads) {
    // 150 levels: past the simple scanner's own limit, so yaml-cpp reads it, with the same result.
    const QByteArray flow =
        "a: " + QByteArray("[").repeated(150) + "x" + QByteArray("]").repeated(150) + "\n";
    auto result = parseDocument(flow, QStringLiteral("t.yaml"));
    ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
    QJsonValue value = result->toObject().value(QStringLiteral("a"));
    for (int level = 0; level < 150; ++level) {
        ASSERT_TRUE(value.isArray()) << level;
        value = value.toArray().at(0);
    }
    EXPECT_EQ(value, QJsonValue(QStringLiteral("x")));

    QByteArray block;
    for (int level = 0; level < 150; ++level)
        block += QByteArray(level, ' ') + "k:\n";
    block += QByteArray(150, ' ') + "leaf: 1\n";
    auto nested = parseDocument(block, QStringLiteral("t.yaml"));
    ASSERT_TRUE(nested.ok()) << nested.error().message.toStdString();
    QJsonValue node = *nested;
    for (int level = 0; level < 150; ++level)
        node = node.toObject().value(QStringLiteral("k"));
    EXPECT_EQ(node.toObject().value(QStringLiteral("leaf")), QJsonValue(1));
}

TEST(YamlLimits, StreamSizeIsLimited) {
    const QByteArray big = "# " + QByteArray(32 * 1024 * 1024, 'x') + "\na: 1\n";
    const QString message = errorOf(big);
    EXPECT_TRUE(message.startsWith(QStringLiteral("t.yaml:1:"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("larger than 32 MiB"))) << message.toStdString();

    ParseOptions small;
    small.maxStreamBytes = 64;
    EXPECT_TRUE(parseStream(QByteArray("#234\n").repeated(12), {}, small).ok()); // 60 bytes
    EXPECT_TRUE(
        errorOf(QByteArray("#234\n").repeated(13), small).contains(QStringLiteral("larger than 64 bytes")));
}

TEST(YamlLimits, DocumentSizeIsLimited) {
    const QByteArray fine = "kind: ConfigMap\n---\ndata: {k: \"" + QByteArray(1024 * 1024, 'x') + "\"}\n";
    EXPECT_TRUE(parseStream(fine, {}).ok());
    const QByteArray huge = "kind: ConfigMap\n---\ndata: {k: \"" + QByteArray(3 * 1024 * 1024, 'x') + "\"}\n";
    const QString message = errorOf(huge);
    EXPECT_TRUE(message.startsWith(QStringLiteral("t.yaml:3:"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("larger than 3 MiB"))) << message.toStdString();
}

TEST(YamlLimits, DocumentCountIsLimited) {
    auto atLimit = parseStream(QByteArray("a: 1\n---\n").repeated(10'000), {});
    ASSERT_TRUE(atLimit.ok()) << atLimit.error().message.toStdString();
    EXPECT_EQ(atLimit->size(), 10'000);
    const QString message = errorOf(QByteArray("a: 1\n---\n").repeated(10'001));
    EXPECT_TRUE(message.startsWith(QStringLiteral("t.yaml:20001:"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("more than 10000 documents"))) << message.toStdString();
}
