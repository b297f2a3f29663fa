// Where values sit: the reader's JSON pointer -> source line (for blame of desired lines) and the
// writer's pointer per canonical line. Both sides of the provenance gutter rest on these.

#include "yaml/yamlcodec.h"

#include <QJsonArray>
#include <QJsonObject>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::yaml;

namespace {

Document readOne(const QByteArray& text, int index = 0) {
    ParseOptions options;
    options.recordLines = true;
    Result<QList<Document>> documents = parseStream(text, QStringLiteral("t.yaml"), options);
    EXPECT_TRUE(documents.ok()) << documents.error().message.toStdString();
    if (!documents.ok() || documents->size() <= index)
        return {};
    return documents->at(index);
}

const QByteArray kDeployment = "# web\n"                // 1
                               "apiVersion: apps/v1\n"  // 2
                               "kind: Deployment\n"     // 3
                               "metadata:\n"            // 4
                               "  name: web\n"          // 5
                               "spec:\n"                // 6
                               "  replicas: 3\n"        // 7
                               "  template:\n"          // 8
                               "    spec:\n"            // 9
                               "      containers:\n"    // 10
                               "      - name: web\n"    // 11
                               "        image: nginx\n" // 12
                               "        args:\n"        // 13
                               "          - --a\n"      // 14
                               "          - --b\n"      // 15
                               "      - name: side\n"   // 16
                               "        command: |\n"   // 17
                               "          run\n"        // 18
                               "          more\n";      // 19

void expectDeploymentLines(const Document& doc) {
    const QHash<QString, int>& at = doc.pointerLines;
    EXPECT_EQ(at.value(QStringLiteral("")), 2);
    EXPECT_EQ(at.value(QStringLiteral("/kind")), 3);
    EXPECT_EQ(at.value(QStringLiteral("/metadata")), 4);
    EXPECT_EQ(at.value(QStringLiteral("/metadata/name")), 5);
    EXPECT_EQ(at.value(QStringLiteral("/spec/replicas")), 7);
    EXPECT_EQ(at.value(QStringLiteral("/spec/template/spec/containers")), 10);
    EXPECT_EQ(at.value(QStringLiteral("/spec/template/spec/containers/0")), 11);
    EXPECT_EQ(at.value(QStringLiteral("/spec/template/spec/containers/0/name")), 11);
    EXPECT_EQ(at.value(QStringLiteral("/spec/template/spec/containers/0/image")), 12);
    EXPECT_EQ(at.value(QStringLiteral("/spec/template/spec/containers/0/args/1")), 15);
    EXPECT_EQ(at.value(QStringLiteral("/spec/template/spec/containers/1/name")), 16);
    EXPECT_EQ(at.value(QStringLiteral("/spec/template/spec/containers/1/command")), 17);
    EXPECT_FALSE(at.contains(QStringLiteral("/spec/template/spec/containers/2")));
    EXPECT_EQ(doc.line, 2);
    EXPECT_EQ(doc.lastLine, 19);
}

TEST(YamlLines, ReaderRecordsTheLineOfEveryValueByPointer) {
    expectDeploymentLines(readOne(kDeployment));
    // The same document forced through yaml-cpp (a flow value elsewhere makes the simple block
    // scanner give up) records the same lines.
    Document flow = readOne(kDeployment + "extra: {a: 1}\n");
    expectDeploymentLines(Document{flow.value, flow.index, flow.line, 19, flow.pointerLines});
    EXPECT_EQ(flow.pointerLines.value(QStringLiteral("/extra/a")), 20);
}

TEST(YamlLines, RecordsNothingUnlessAsked) {
    Result<QList<Document>> documents = parseStream(kDeployment);
    ASSERT_TRUE(documents.ok());
    EXPECT_TRUE(documents->at(0).pointerLines.isEmpty());
}

TEST(YamlLines, LinesCountFromTheStreamInLaterDocuments) {
    const QByteArray text = "a: 1\n"    // 1
                            "---\n"     // 2
                            "# empty\n" // 3
                            "---\n"     // 4
                            "\n"        // 5
                            "b:\n"      // 6
                            "  c: 2\n"  // 7
                            "# tail\n"; // 8
    const Document second = readOne(text, 1);
    EXPECT_EQ(second.index, 1);
    EXPECT_EQ(second.line, 6);
    EXPECT_EQ(second.lastLine, 8);
    EXPECT_EQ(second.pointerLines.value(QStringLiteral("/b/c")), 7);
    EXPECT_EQ(readOne(text, 0).lastLine, 1);
}

TEST(YamlLines, AnEmptyLastValueIsPlacedInsideItsDocument) {
    // yaml-cpp marks the null item at the token after it: past the end of the document. (The
    // DEL in the comment makes the simple block scanner hand the document to yaml-cpp.)
    const QByteArray text = "a: 1\n"             // 1
                            "---\n"              // 2
                            "- # nothing \x7f\n" // 3
                            "---\n"              // 4
                            "b: 2\n";            // 5
    const Document second = readOne(text, 1);
    EXPECT_EQ(second.line, 3);
    EXPECT_EQ(second.lastLine, 3);
    EXPECT_EQ(second.pointerLines.value(QStringLiteral("/0")), 3);
}

TEST(YamlLines, KeysAreEscapedAndMergedOrAliasedValuesAreNotPlaced) {
    const QByteArray text = "base: &b\n"      // 1
                            "  x: 1\n"        // 2
                            "use:\n"          // 3
                            "  <<: *b\n"      // 4
                            "  z: 2\n"        // 5
                            "copy: *b\n"      // 6
                            "\"a/b~c\": 3\n"; // 7
    const Document doc = readOne(text);
    EXPECT_EQ(doc.pointerLines.value(QStringLiteral("/base/x")), 2);
    EXPECT_EQ(doc.pointerLines.value(QStringLiteral("/use/z")), 5);
    EXPECT_FALSE(doc.pointerLines.contains(QStringLiteral("/use/x"))); // written on line 2, under base
    EXPECT_EQ(doc.pointerLines.value(QStringLiteral("/copy")), 6);
    EXPECT_FALSE(doc.pointerLines.contains(QStringLiteral("/copy/x")));
    EXPECT_EQ(doc.pointerLines.value(QStringLiteral("/a~1b~0c")), 7);
    for (auto it = doc.pointerLines.cbegin(); it != doc.pointerLines.cend(); ++it)
        EXPECT_FALSE(it.key().contains(QStringLiteral("<<"))) << it.key().toStdString();
}

TEST(YamlLines, WriterGivesOnePointerPerCanonicalLine) {
    const QJsonObject object{
        {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
        {QStringLiteral("data"), QJsonObject{{QStringLiteral("script"), QStringLiteral("one\ntwo\n")},
                                             {QStringLiteral("a/b"), QStringLiteral("x")}}},
        {QStringLiteral("list"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("n")}, {QStringLiteral("v"), 1}},
                    QJsonArray{1, 2}, QStringLiteral("s"), QJsonArray{}}},
    };
    const QStringList text = QString::fromUtf8(toYaml(object)).chopped(1).split(QLatin1Char('\n'));
    const QStringList pointers = canonicalLinePointers(object);
    ASSERT_EQ(pointers.size(), text.size()) << toYaml(object).toStdString();
    const QStringList expected{
        QStringLiteral("/data"),        // data:
        QStringLiteral("/data/a~1b"),   //   a/b: x
        QStringLiteral("/data/script"), //   script: |
        QStringLiteral("/data/script"), //     one
        QStringLiteral("/data/script"), //     two
        QStringLiteral("/kind"),        // kind: ConfigMap
        QStringLiteral("/list"),        // list:
        QStringLiteral("/list/0/name"), // - name: n
        QStringLiteral("/list/0/v"),    //   v: 1
        QStringLiteral("/list/1/0"),    // - - 1
        QStringLiteral("/list/1/1"),    //   - 2
        QStringLiteral("/list/2"),      // - s
        QStringLiteral("/list/3"),      // - []
    };
    EXPECT_EQ(pointers, expected) << toYaml(object).toStdString();

    EXPECT_EQ(canonicalLinePointers(QJsonValue(5)), QStringList{QString()});
    EXPECT_EQ(canonicalLinePointers(QJsonObject{}), QStringList{QString()});
}

TEST(YamlLines, WriterPointersFindTheReadersLinesForTheSameText) {
    // Canonical text read back: every line's pointer is recorded on that very line.
    Result<QJsonValue> value = parseDocument(kDeployment);
    ASSERT_TRUE(value.ok());
    const QByteArray canonical = toYaml(*value);
    const QStringList pointers = canonicalLinePointers(*value);
    const Document doc = readOne(canonical);
    for (qsizetype i = 0; i < pointers.size(); ++i) {
        if (i > 0 && pointers.at(i) == pointers.at(i - 1))
            continue; // a block scalar's continuation line
        EXPECT_EQ(doc.pointerLines.value(pointers.at(i), -1), int(i) + 1) << pointers.at(i).toStdString();
    }
}

} // namespace
