#include "testsupport.h"
#include "yaml/yamlcodec.h"
#include "yamltestdata.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::yaml;
using namespace driftdeck::yaml::testdata;

namespace {

// Strings whose canonical spelling is easy to get wrong: each must mean the same to kubectl.
QJsonObject trickyStrings() {
    const char* values[] = {"yes",
                            "No",
                            "y",
                            "n",
                            "on",
                            "OFF",
                            "true",
                            "null",
                            "~",
                            "",
                            "1",
                            "-1",
                            "+12",
                            "1.0",
                            "1.",
                            ".5",
                            "0x10",
                            "0o17",
                            "017",
                            "08",
                            "0b11",
                            "1e3",
                            "1_000",
                            ".inf",
                            "-.Inf",
                            ".nan",
                            "<<",
                            "9223372036854775808",
                            "a: b",
                            "a #b",
                            "#x",
                            "ends:",
                            " lead",
                            "trail ",
                            "-",
                            "- x",
                            "---",
                            "...",
                            "@x",
                            "`x`",
                            "*x",
                            "&x",
                            "!x",
                            "%x",
                            "|",
                            ">",
                            "{x}",
                            "[x]",
                            ",x",
                            "?x",
                            ":x",
                            "\"x",
                            "it's",
                            "'q'",
                            "a\tb",
                            "-x",
                            "--flag=1",
                            "1:30",
                            "2001-12-14",
                            "1.2.3",
                            "a,b",
                            "key:value",
                            "tRUE",
                            "a#b",
                            "café",
                            "1e400",
                            "0x",
                            "x\ny\n",
                            "x\n\n",
                            "x\ny",
                            " x\ny",
                            "x \ny",
                            "\n",
                            "a\r\nb",
                            "\xef\xbb\xbf"
                            "bom",
                            "a\xc2\x85"
                            "b",
                            "a\xe2\x80\xa8"
                            "b"};
    QJsonObject data;
    int i = 0;
    for (const char* v : values)
        data.insert(QStringLiteral("k%1").arg(i++, 3, 10, QLatin1Char('0')), QString::fromUtf8(v));
    return data;
}

} // namespace

// The canonical YAML we write (for diffs, for apply) must read back in kubectl as the same objects.
TEST(YamlWriterReferee, KubectlReadsOurOutputAsTheSameObjects) {
    DRIFTDECK_REQUIRE_KUBECTL();
    QList<QJsonValue> documents;
    QJsonObject tricky{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("tricky")}}},
        {QStringLiteral("data"), trickyStrings()}};
    // Keys get the same treatment as values.
    QJsonObject keys;
    for (const QJsonValue& v : trickyStrings())
        keys.insert(v.toString(), QStringLiteral("v"));
    keys.insert(QString(1500, QLatin1Char('k')),
                QJsonObject{{QString(1100, QLatin1Char('j')), QJsonArray{1}}});
    tricky.insert(QStringLiteral("keys"), keys);
    documents.append(tricky);
    for (const std::string& name : caseNames(QStringLiteral("cases"))) {
        for (const QJsonValue& doc : expectedDocuments(name))
            documents.append(doc);
    }
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("canonical.yaml"));
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(toYamlStream(documents));
    file.close();
    const RefereeResult referee = runReferee(path);
    ASSERT_TRUE(referee.ok) << referee.error.toStdString();
    ASSERT_EQ(referee.documents.size(), documents.size());
    for (qsizetype i = 0; i < documents.size(); ++i) {
        EXPECT_TRUE(sameJson(referee.documents.at(i), documents.at(i)))
            << "kubectl: " << compact(referee.documents.at(i)).toStdString()
            << "\nours:    " << compact(documents.at(i)).toStdString() << "\n"
            << toYaml(documents.at(i)).toStdString();
    }
}
