#include "testsupport.h"
#include "yaml/yamlcodec.h"
#include "yamltestdata.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::yaml;
using namespace driftdeck::yaml::testdata;

namespace {

QJsonArray parseCase(const std::string& name) {
    const QString path = casePath(QStringLiteral("cases"), name, QStringLiteral(".yaml"));
    auto result = parseStream(test::readFile(path), QString::fromStdString(name) + QStringLiteral(".yaml"));
    EXPECT_TRUE(result.ok()) << (result.ok() ? std::string() : result.error().message.toStdString());
    QJsonArray out;
    if (result.ok()) {
        for (const Document& doc : *result)
            out.append(doc.value);
    }
    return out;
}

class YamlCase : public ::testing::TestWithParam<std::string> {};
class YamlError : public ::testing::TestWithParam<std::string> {};

} // namespace

TEST(YamlCases, ThereAreEnoughCases) {
    EXPECT_GE(caseNames(QStringLiteral("cases")).size(), 40u);
    EXPECT_GE(caseNames(QStringLiteral("errors")).size(), 10u);
}

TEST_P(YamlCase, ParsesToTheExpectedJson) {
    const QJsonArray expected = expectedDocuments(GetParam());
    ASSERT_FALSE(expected.isEmpty()) << "missing or invalid " << GetParam() << ".json";
    const QJsonArray actual = parseCase(GetParam());
    EXPECT_TRUE(sameJson(actual, expected))
        << "actual:   " << compact(actual).toStdString() << "\nexpected: " << compact(expected).toStdString();
}

TEST_P(YamlCase, RoundTripsThroughCanonicalYaml) {
    ParseOptions options;
    options.allowNonFiniteNumbers = true;
    for (const QJsonValue& document : parseCase(GetParam())) {
        const QByteArray yaml = toYaml(document);
        auto back = parseDocument(yaml, QStringLiteral("canonical.yaml"), options);
        ASSERT_TRUE(back.ok()) << back.error().message.toStdString() << "\n" << yaml.toStdString();
        EXPECT_TRUE(sameJson(*back, document)) << yaml.toStdString();
        EXPECT_EQ(toYaml(*back), yaml);
    }
}

TEST_P(YamlCase, KubectlAgrees) {
    DRIFTDECK_REQUIRE_KUBECTL();
    const QString path = casePath(QStringLiteral("cases"), GetParam(), QStringLiteral(".yaml"));
    const RefereeResult referee = runReferee(path);
    ASSERT_TRUE(referee.ok) << "kubectl rejected the case: " << referee.error.toStdString();
    EXPECT_TRUE(sameJson(referee.documents, expectedDocuments(GetParam())))
        << "kubectl:  " << compact(referee.documents).toStdString()
        << "\nexpected: " << compact(expectedDocuments(GetParam())).toStdString();
}

INSTANTIATE_TEST_SUITE_P(Data, YamlCase, ::testing::ValuesIn(caseNames(QStringLiteral("cases"))),
                         [](const auto& info) { return testName(info.param); });

TEST_P(YamlError, IsRejectedWithFileLineAndReason) {
    const auto expect = errorExpectation(GetParam());
    ASSERT_TRUE(expect.contains(QStringLiteral("line"))) << "missing " << GetParam() << ".expect";
    const QString fileName = QString::fromStdString(GetParam()) + QStringLiteral(".yaml");
    const QByteArray text =
        test::readFile(casePath(QStringLiteral("errors"), GetParam(), QStringLiteral(".yaml")));
    auto result = parseStream(text, fileName);
    ASSERT_FALSE(result.ok());
    const QString message = result.error().message;
    EXPECT_EQ(result.error().code, Error::Code::Invalid);
    EXPECT_TRUE(message.startsWith(fileName + QLatin1Char(':') + expect.value(QStringLiteral("line")) +
                                   QLatin1Char(':')))
        << message.toStdString();
    EXPECT_TRUE(message.contains(expect.value(QStringLiteral("message")))) << message.toStdString();
    const QString secret = expect.value(QStringLiteral("secret"));
    if (!secret.isEmpty()) {
        EXPECT_FALSE(message.contains(secret)) << message.toStdString();
    }
}

TEST_P(YamlError, KubectlAgreesOrTheDifferenceIsDeliberate) {
    DRIFTDECK_REQUIRE_KUBECTL();
    const auto expect = errorExpectation(GetParam());
    const QString path = casePath(QStringLiteral("errors"), GetParam(), QStringLiteral(".yaml"));
    const RefereeResult referee = runReferee(path);
    if (expect.value(QStringLiteral("kubectl")) == QStringLiteral("rejects")) {
        EXPECT_FALSE(referee.ok) << "kubectl accepted it: " << compact(referee.documents).toStdString();
        return;
    }
    // kubectl accepts it (a documented difference): the lenient options must then read what kubectl reads.
    const QString verdict = expect.value(QStringLiteral("kubectl"));
    ASSERT_TRUE(verdict.startsWith(QStringLiteral("accepts"))) << verdict.toStdString();
    ASSERT_TRUE(referee.ok) << referee.error.toStdString();
    if (verdict.contains(QStringLiteral("nondeterministic")))
        return; // nothing stable to compare with
    ParseOptions lenient;
    lenient.allowDuplicateKeys = true;
    auto result = parseStream(test::readFile(path), {}, lenient);
    ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
    QJsonArray actual;
    for (const Document& doc : *result)
        actual.append(doc.value);
    EXPECT_TRUE(sameJson(actual, referee.documents))
        << "actual:  " << compact(actual).toStdString()
        << "\nkubectl: " << compact(referee.documents).toStdString();
}

INSTANTIATE_TEST_SUITE_P(Data, YamlError, ::testing::ValuesIn(caseNames(QStringLiteral("errors"))),
                         [](const auto& info) { return testName(info.param); });
