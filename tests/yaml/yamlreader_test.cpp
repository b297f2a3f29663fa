#include "yaml/yamlcodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

using namespace driftdeck::yaml;

namespace {

QJsonValue json(const char* text) {
    return QJsonDocument::fromJson(QByteArray(text)).object().value(QStringLiteral("v"));
}

QJsonValue read(const char* text) {
    auto result = parseDocument(QByteArray(text), QStringLiteral("t.yaml"));
    EXPECT_TRUE(result.ok()) << (result.ok() ? std::string() : result.error().message.toStdString());
    return result.ok() ? *result : QJsonValue(QJsonValue::Undefined);
}

QString errorOf(const char* text) {
    auto result = parseStream(QByteArray(text), QStringLiteral("t.yaml"));
    EXPECT_FALSE(result.ok());
    return result.ok() ? QString() : result.error().message;
}

} // namespace

TEST(YamlReader, ReadsAnOrdinaryManifest) {
    const QJsonValue v = read("apiVersion: apps/v1\n"
                              "kind: Deployment\n"
                              "metadata:\n"
                              "  name: web\n"
                              "  labels: {app: web}\n"
                              "spec:\n"
                              "  replicas: 3\n"
                              "  paused: false\n"
                              "  template:\n"
                              "    spec:\n"
                              "      containers:\n"
                              "      - name: web\n"
                              "        image: nginx:1.25\n"
                              "        args: [\"--port\", '8080']\n"
                              "        env:\n"
                              "        - name: EMPTY\n"
                              "          value:\n");
    EXPECT_EQ(v, json(R"({"v": {"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {"replicas": 3, "paused": false, "template": {"spec": {"containers": [
          {"name": "web", "image": "nginx:1.25", "args": ["--port", "8080"],
           "env": [{"name": "EMPTY", "value": null}]}]}}}}})"));
}

TEST(YamlReader, StreamSkipsEmptyDocumentsAndNumbersTheRest) {
    auto result = parseStream("# leading comment\n"
                              "---\n"
                              "a: 1\n"
                              "---\n"
                              "---\n"
                              "# only a comment\n"
                              "---\n"
                              "null\n"
                              "---\n"
                              "\n"
                              "b: 2\n");
    ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
    ASSERT_EQ(result->size(), 2);
    EXPECT_EQ(result->at(0).index, 0);
    EXPECT_EQ(result->at(0).line, 3);
    EXPECT_EQ(result->at(0).value, json(R"({"v": {"a": 1}})"));
    EXPECT_EQ(result->at(1).index, 1);
    EXPECT_EQ(result->at(1).line, 11);
    EXPECT_EQ(result->at(1).value, json(R"({"v": {"b": 2}})"));
}

TEST(YamlReader, ParseDocumentOfEmptyTextIsNullAndOfTwoDocumentsIsAnError) {
    EXPECT_TRUE(read("").isNull());
    EXPECT_TRUE(read("# nothing\n").isNull());
    auto two = parseDocument("a: 1\n---\nb: 2\n", QStringLiteral("two.yaml"));
    ASSERT_FALSE(two.ok());
    EXPECT_TRUE(two.error().message.startsWith(QStringLiteral("two.yaml:3:")))
        << two.error().message.toStdString();
}

TEST(YamlReader, DuplicateKeyNamesFileLineAndKeyButNotTheValue) {
    const QString message = errorOf("a: 1\nmetadata:\n  name: x\n  name: secret-value\n");
    EXPECT_EQ(message, QStringLiteral("t.yaml:4: duplicate key \"name\""));
    ParseOptions lenient;
    lenient.allowDuplicateKeys = true;
    auto result = parseDocument("name: first\nname: second\n", {}, lenient);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->toObject().value(QStringLiteral("name")).toString(), QStringLiteral("second"));
}

TEST(YamlReader, SyntaxErrorNamesLineAndColumnWithoutContent) {
    const QString message = errorOf("a: 1\nb: [secret-token, \n");
    EXPECT_TRUE(message.startsWith(QStringLiteral("t.yaml:"))) << message.toStdString();
    EXPECT_FALSE(message.contains(QStringLiteral("secret-token"))) << message.toStdString();
    const QString badIndent = errorOf("a:\n  b: secret-token\n c: 1\n");
    EXPECT_TRUE(badIndent.startsWith(QStringLiteral("t.yaml:3:"))) << badIndent.toStdString();
    EXPECT_FALSE(badIndent.contains(QStringLiteral("secret-token"))) << badIndent.toStdString();
}

// Large streams are read on several threads; order, numbering and the first error must not change.
TEST(YamlReader, LargeStreamKeepsOrderLinesAndFirstError) {
    QByteArray text;
    const int count = 3000;
    for (int i = 0; i < count; ++i) {
        text += "---\n";
        text += "# document " + QByteArray::number(i) + "\n";
        if (i % 100 == 7)
            text += "null\n"; // skipped, as kubectl does
        else
            text += "kind: ConfigMap\nmetadata:\n  name: cm-" + QByteArray::number(i) +
                    "\ndata:\n  padding: \"" + QByteArray(80, 'x') + "\"\n";
    }
    ASSERT_GT(text.size(), 256 * 1024);
    auto result = parseStream(text, QStringLiteral("big.yaml"));
    ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
    ASSERT_EQ(result->size(), count - count / 100);
    int line = 1;
    int expectedIndex = 0;
    for (int i = 0; i < count; ++i) {
        if (i % 100 == 7) {
            line += 3;
            continue;
        }
        const Document& doc = result->at(expectedIndex);
        EXPECT_EQ(doc.index, expectedIndex);
        EXPECT_EQ(doc.line, line + 2);
        EXPECT_EQ(
            doc.value.toObject().value(QStringLiteral("metadata")).toObject().value(QStringLiteral("name")),
            QJsonValue(QStringLiteral("cm-") + QString::number(i)));
        ++expectedIndex;
        line += 7;
    }

    QByteArray broken = text;
    broken.replace("name: cm-2500\n", "name: [cm-2500\n");
    broken.replace("name: cm-1200\n", "name: cm-1200\n  name: again\n");
    auto failure = parseStream(broken, QStringLiteral("big.yaml"));
    ASSERT_FALSE(failure.ok());
    EXPECT_TRUE(failure.error().message.contains(QStringLiteral("duplicate key \"name\"")))
        << failure.error().message.toStdString();
}

TEST(YamlReader, CarriageReturnEndingTheStreamIsALineBreak) {
    auto result = parseDocument("a: |\r\n  x\r\n  y\r");
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->toObject().value(QStringLiteral("a")).toString(), QStringLiteral("x\ny\n"));
}

// Found by fuzz/workspace_reader: a float key beyond float32's range overran the digits of "inf".
// sigs.k8s.io/yaml formats float keys as float32, where such a key is +Inf, spelled ".inf".
TEST(YamlReader, FloatKeysBeyondFloat32AreInfinite) {
    const QJsonValue v = read("v: {1e300: a, -1e39: b, 3.4e38: c}\n");
    EXPECT_EQ(v.toObject().value(QStringLiteral("v")).toObject(),
              (QJsonObject{{QStringLiteral(".inf"), QStringLiteral("a")},
                           {QStringLiteral("-.inf"), QStringLiteral("b")},
                           {QStringLiteral("3.4e+38"), QStringLiteral("c")}}));
}
