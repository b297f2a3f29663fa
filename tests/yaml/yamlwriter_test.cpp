#include "yaml/yamlcodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>
#include <limits>

using namespace driftdeck::yaml;

namespace {

QJsonValue fromJson(const char* text) {
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0);
}

std::string yamlOf(const QJsonValue& v) {
    return toYaml(v).toStdString();
}

// The text a string value gets after "v:", without the key and the final newline.
std::string scalarOf(const QString& s) {
    const std::string text = yamlOf(QJsonObject{{QStringLiteral("v"), s}});
    return text.substr(3, text.size() - 4);
}

QJsonValue readBack(const QByteArray& yaml) {
    ParseOptions options;
    options.allowNonFiniteNumbers = true;
    auto result = parseDocument(yaml, QStringLiteral("written.yaml"), options);
    EXPECT_TRUE(result.ok()) << (result.ok() ? std::string() : result.error().message.toStdString()) << "\n"
                             << yaml.toStdString();
    return result.ok() ? *result : QJsonValue(QJsonValue::Undefined);
}

} // namespace

TEST(YamlWriter, LaysOutObjectsLikeKubectl) {
    const QJsonValue deployment = fromJson(R"({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web", "tier": "front"}},
        "spec": {"replicas": 3, "template": {"spec": {"containers": [
            {"name": "web", "image": "nginx:1.25", "args": ["--port", "8080"],
             "ports": [{"containerPort": 80}], "env": []}]}}}})");
    EXPECT_EQ(yamlOf(deployment), "apiVersion: apps/v1\n"
                                  "kind: Deployment\n"
                                  "metadata:\n"
                                  "  labels:\n"
                                  "    app: web\n"
                                  "    tier: front\n"
                                  "  name: web\n"
                                  "spec:\n"
                                  "  replicas: 3\n"
                                  "  template:\n"
                                  "    spec:\n"
                                  "      containers:\n"
                                  "      - args:\n"
                                  "        - --port\n"
                                  "        - '8080'\n"
                                  "        env: []\n"
                                  "        image: nginx:1.25\n"
                                  "        name: web\n"
                                  "        ports:\n"
                                  "        - containerPort: 80\n");
}

TEST(YamlWriter, NestedSequencesAndEmptyCollections) {
    EXPECT_EQ(yamlOf(fromJson(R"([[1, 2], [], {}, [{"a": 1, "b": [true]}], null])")), "- - 1\n"
                                                                                      "  - 2\n"
                                                                                      "- []\n"
                                                                                      "- {}\n"
                                                                                      "- - a: 1\n"
                                                                                      "    b:\n"
                                                                                      "    - true\n"
                                                                                      "- null\n");
    EXPECT_EQ(yamlOf(QJsonObject{}), "{}\n");
    EXPECT_EQ(yamlOf(QJsonArray{}), "[]\n");
    EXPECT_EQ(yamlOf(QJsonValue(QJsonValue::Null)), "null\n");
    EXPECT_EQ(yamlOf(QJsonValue(QStringLiteral("text"))), "text\n");
    EXPECT_EQ(yamlOf(QJsonValue(42)), "42\n");
}

TEST(YamlWriter, QuotesStringsThatWouldReadBackAsAnotherType) {
    for (const char* s : {"yes",
                          "No",
                          "y",
                          "N",
                          "on",
                          "OFF",
                          "true",
                          "False",
                          "null",
                          "Null",
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
                          "99999999999999999999"}) {
        const std::string quoted = scalarOf(QString::fromUtf8(s));
        EXPECT_EQ(quoted, std::string("'") + s + "'") << s;
    }
}

TEST(YamlWriter, QuotesStringsThatAreNotPlainYaml) {
    EXPECT_EQ(scalarOf(QStringLiteral("a: b")), "'a: b'");
    EXPECT_EQ(scalarOf(QStringLiteral("a #b")), "'a #b'");
    EXPECT_EQ(scalarOf(QStringLiteral("#x")), "'#x'");
    EXPECT_EQ(scalarOf(QStringLiteral("ends:")), "'ends:'");
    EXPECT_EQ(scalarOf(QStringLiteral(" lead")), "' lead'");
    EXPECT_EQ(scalarOf(QStringLiteral("trail ")), "'trail '");
    EXPECT_EQ(scalarOf(QStringLiteral("-")), "'-'");
    EXPECT_EQ(scalarOf(QStringLiteral("- x")), "'- x'");
    EXPECT_EQ(scalarOf(QStringLiteral("---")), "'---'");
    EXPECT_EQ(scalarOf(QStringLiteral("...")), "'...'");
    for (const char* s :
         {"@x", "`x`", "*x", "&x", "!x", "%x", "|", ">", "{x}", "[x]", ",x", "?x", ":x", "\"x"})
        EXPECT_EQ(scalarOf(QString::fromUtf8(s)), std::string("'") + s + "'") << s;
    EXPECT_EQ(scalarOf(QStringLiteral("it's")), "it's");
    EXPECT_EQ(scalarOf(QStringLiteral("'quoted'")), "'''quoted'''");
    EXPECT_EQ(scalarOf(QStringLiteral("a\tb")), "\"a\\tb\"");
    EXPECT_EQ(scalarOf(QStringLiteral("bell\a")), "\"bell\\u0007\"");
    EXPECT_EQ(scalarOf(QString(QChar(0xFEFF)) + QStringLiteral("x")), "\"\\ufeffx\"");
    EXPECT_EQ(scalarOf(QStringLiteral("a") + QChar(0x2028) + QStringLiteral("b")), "\"a\\u2028b\"");
}

TEST(YamlWriter, LeavesOrdinaryStringsPlain) {
    for (const char* s : {"hello",      "nginx:1.25", "http://example.com:80/a?b=c#frag",
                          "-x",         "--flag=1",   "1:30",
                          "2001-12-14", "1.2.3",      "a,b",
                          "yes please", "key:value",  "tRUE",
                          "a\"b",       "10.0.0.1",   "a#b",
                          "café",       "日本語",     "1e400",
                          "0x",         "500m",       "128Mi"}) {
        EXPECT_EQ(scalarOf(QString::fromUtf8(s)), s) << s;
    }
}

TEST(YamlWriter, MultiLineStringsBecomeLiteralBlocksThatKeepTrailingNewlines) {
    const QJsonObject object{{QStringLiteral("clip"), QStringLiteral("a\nb\n")},
                             {QStringLiteral("keep"), QStringLiteral("a\n\n\n")},
                             {QStringLiteral("strip"), QStringLiteral("a\n  b")},
                             {QStringLiteral("inner"), QStringLiteral("a\n\nb\n")}};
    EXPECT_EQ(yamlOf(object), "clip: |\n"
                              "  a\n"
                              "  b\n"
                              "inner: |\n"
                              "  a\n"
                              "\n"
                              "  b\n"
                              "keep: |+\n"
                              "  a\n"
                              "\n"
                              "\n"
                              "strip: |-\n"
                              "  a\n"
                              "    b\n");
    EXPECT_EQ(readBack(toYaml(object)), QJsonValue(object));
    const QJsonArray list{QStringLiteral("x\ny\n")};
    EXPECT_EQ(yamlOf(QJsonObject{{QStringLiteral("l"), list}}), "l:\n- |\n  x\n  y\n");
}

TEST(YamlWriter, FallsBackToDoubleQuotesWhenALiteralBlockCannotHoldTheText) {
    EXPECT_EQ(scalarOf(QStringLiteral("trailing \nspace")), "\"trailing \\nspace\"");
    EXPECT_EQ(scalarOf(QStringLiteral("  leading\nspace")), "\"  leading\\nspace\"");
    EXPECT_EQ(scalarOf(QStringLiteral("\n")), "\"\\n\"");
    EXPECT_EQ(scalarOf(QStringLiteral("\nfirst line empty")), "\"\\nfirst line empty\"");
    EXPECT_EQ(scalarOf(QStringLiteral("windows\r\nline")), "\"windows\\r\\nline\"");
}

TEST(YamlWriter, NumbersReadBackEqual) {
    EXPECT_EQ(scalarOf(QString()), "''");
    const QJsonArray numbers{0,
                             -1,
                             1.5,
                             0.1,
                             1e-7,
                             1e20,
                             1e21,
                             3.141592653589793,
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::denorm_min(),
                             qint64(9223372036854775807LL),
                             qint64(-9223372036854775807LL - 1),
                             9223372036854775808.0,
                             3.0};
    const QByteArray yaml = toYaml(numbers);
    EXPECT_EQ(yaml.toStdString(), "- 0\n- -1\n- 1.5\n- 0.1\n- 1e-07\n- 1e+20\n- 1e+21\n- 3.141592653589793\n"
                                  "- 1.7976931348623157e+308\n- 5e-324\n- 9223372036854775807\n"
                                  "- -9223372036854775808\n- 9.223372036854776e+18\n- 3\n");
    const QJsonArray back = readBack(yaml).toArray();
    ASSERT_EQ(back.size(), numbers.size());
    for (qsizetype i = 0; i < numbers.size(); ++i)
        EXPECT_EQ(back.at(i).toDouble(), numbers.at(i).toDouble()) << i;
    EXPECT_EQ(back.at(10).toInteger(), 9223372036854775807LL);
}

// Found by fuzz/yaml_roundtrip: -9223372036854775809 reads as the double -2^63 (as in kubectl),
// which toInteger() also accepts; written as an integer it came back an integer.
TEST(YamlWriter, TheDoubleMinusTwoToTheSixtyThreeStaysADouble) {
    const QJsonValue asDouble(-9223372036854775808.0);
    const QByteArray yaml = toYaml(QJsonArray{asDouble, qint64(std::numeric_limits<qint64>::min())});
    EXPECT_EQ(yaml.toStdString(), "- -9.223372036854776e+18\n- -9223372036854775808\n");
    const QJsonArray back = readBack(yaml).toArray();
    ASSERT_EQ(back.size(), 2);
    EXPECT_EQ(back.at(0).toVariant().typeId(), QMetaType::Double);
    EXPECT_EQ(back.at(1).toVariant().typeId(), QMetaType::LongLong);
    EXPECT_EQ(parseDocument("v: -9223372036854775809\n")->toObject().value(QStringLiteral("v")), asDouble);
}

TEST(YamlWriter, NonFiniteNumbersUseYamlSpellings) {
    const QJsonArray special{std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()};
    const QByteArray yaml = toYaml(special);
    EXPECT_EQ(yaml.toStdString(), "- .inf\n- -.inf\n- .nan\n");
    EXPECT_FALSE(parseDocument(yaml).ok()); // as kubectl, unless asked
    const QJsonArray back = readBack(yaml).toArray();
    ASSERT_EQ(back.size(), 3);
    EXPECT_EQ(back.at(0).toDouble(), std::numeric_limits<double>::infinity());
    EXPECT_EQ(back.at(1).toDouble(), -std::numeric_limits<double>::infinity());
    EXPECT_TRUE(std::isnan(back.at(2).toDouble()));
}

TEST(YamlWriter, KeysAreQuotedByTheSameRules) {
    const QJsonObject object{{QStringLiteral("true"), 1},  {QStringLiteral("1"), 2},
                             {QStringLiteral("<<"), 3},    {QStringLiteral("a: b"), 4},
                             {QStringLiteral("plain"), 5}, {QString(), 6},
                             {QStringLiteral("x\ny"), 7}};
    const QByteArray yaml = toYaml(object);
    EXPECT_EQ(yaml.toStdString(), "'': 6\n'1': 2\n'<<': 3\n'a: b': 4\nplain: 5\n'true': 1\n\"x\\ny\": 7\n");
    EXPECT_EQ(readBack(yaml), QJsonValue(object));
}

TEST(YamlWriter, StreamJoinsDocumentsWithSeparators) {
    const QList<QJsonValue> documents{QJsonObject{{QStringLiteral("a"), 1}},
                                      QJsonObject{{QStringLiteral("b"), 2}}};
    const QByteArray stream = toYamlStream(documents);
    EXPECT_EQ(stream.toStdString(), "a: 1\n---\nb: 2\n");
    auto back = parseStream(stream);
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(back->size(), 2);
    EXPECT_EQ(back->at(1).value, documents.at(1));
    EXPECT_EQ(back->at(1).line, 3);
}

TEST(YamlWriter, LongKeysUseTheExplicitKeyForm) {
    const QString longKey(1500, QLatin1Char('k'));
    const QJsonObject object{
        {longKey, QStringLiteral("v")},
        {QStringLiteral("list"),
         QJsonArray{QJsonObject{{longKey, QJsonArray{1, 2}}, {QStringLiteral("a"), 1}}}},
        {QStringLiteral("map"), QJsonObject{{longKey, QJsonObject{{QStringLiteral("x"), 1}}}}}};
    const QByteArray yaml = toYaml(object);
    EXPECT_TRUE(yaml.startsWith(QByteArray("? " + longKey.toUtf8() + "\n: v\n")))
        << yaml.left(40).toStdString();
    EXPECT_EQ(readBack(yaml), QJsonValue(object)) << yaml.toStdString();
}
