// The Helm renderer against the real `helm` (built from Go modules by tests/realkube/build.sh and put
// on PATH by tests/realkube/run-test.sh): the charts of the shared corpus render with values files,
// --set parameters and an inline values object, sources come from helm's "# Source:" comments, and
// helm's own failures reach the operator. Registered only under the ctest label `realkube`; the
// fake-helm tests in toolrenderer_test.cpp pin the argv without it.
#include "manifest/renderer.h"
#include "manifesttestsupport.h"
#include "testsupport.h"

#include <QDir>
#include <QRegularExpression>
#include <QStandardPaths>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::manifest;
using namespace Qt::StringLiterals;

namespace {

class RealHelmTest : public ::testing::Test {
protected:
    void SetUp() override {
        helm = QStandardPaths::findExecutable(u"helm"_s);
        ASSERT_FALSE(helm.isEmpty())
            << "helm is not on PATH: run this test through tests/realkube/run-test.sh";
        ASSERT_TRUE(QDir(chart(u"helm-guestbook"_s)).exists())
            << "shared corpus not found under " << test::sharedDir().path().toStdString();
    }
    static QString chart(const QString& name) {
        return test::sharedDir().filePath(u"corpus/argocd-example-apps/"_s + name);
    }
    // The kinds of the documents helm itself prints for `helm template <release> <chart>`.
    QStringList kindsHelmPrints(const QString& release, const QString& chartDir) const {
        const test::ProcessResult run = test::runProcess(helm, {u"template"_s, release, chartDir});
        EXPECT_EQ(run.exitCode, 0) << run.err.toStdString();
        QStringList kinds;
        static const QRegularExpression kindLine(u"^kind: *(\\w+)"_s, QRegularExpression::MultilineOption);
        for (auto it = kindLine.globalMatch(QString::fromUtf8(run.out)); it.hasNext();)
            kinds << it.next().captured(1);
        kinds.sort();
        return kinds;
    }
    QString helm;
};

const DesiredObject* find(const RenderResult& result, const QString& kind) {
    for (const DesiredObject& object : result.objects) {
        if (object.key.kind == kind)
            return &object;
    }
    return nullptr;
}

} // namespace

TEST_F(RealHelmTest, GuestbookChartTakesValuesFilesParametersAndTheValuesObject) {
    RenderRequest request = test::requestFor(chart(u"helm-guestbook"_s), RendererSpec::Type::Helm, u"shop"_s);
    request.ns = u"shop-ns"_s;
    request.spec.helm.valueFiles = {u"values-production.yaml"_s}; // service.type: LoadBalancer
    request.spec.helm.parameters = {u"replicaCount=3"_s};
    request.spec.helm.valuesObject = QJsonObject{{u"image"_s, QJsonObject{{u"tag"_s, u"v6"_s}}}};
    const Result<RenderResult> result = renderManifests(request);
    ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
    ASSERT_EQ(result->objects.size(), 2);

    const DesiredObject* deployment = find(*result, u"Deployment"_s);
    ASSERT_NE(deployment, nullptr);
    EXPECT_EQ(deployment->key.name, u"shop-helm-guestbook"_s);
    EXPECT_EQ(deployment->source.file, u"templates/deployment.yaml"_s);
    const QJsonObject spec = deployment->object["spec"_L1].toObject();
    EXPECT_EQ(spec["replicas"_L1].toInt(), 3);
    EXPECT_EQ(spec["template"_L1]["spec"_L1]["containers"_L1][0]["image"_L1].toString(),
              u"gcr.io/google-samples/gb-frontend:v6"_s);

    const DesiredObject* service = find(*result, u"Service"_s);
    ASSERT_NE(service, nullptr);
    EXPECT_EQ(service->source.file, u"templates/service.yaml"_s);
    EXPECT_EQ(service->object["spec"_L1]["type"_L1].toString(), u"LoadBalancer"_s);
}

TEST_F(RealHelmTest, EveryCorpusChartGivesTheDocumentsHelmPrints) {
    for (const QString& name : {u"helm-guestbook"_s, u"blue-green"_s, u"apps"_s}) {
        const Result<RenderResult> result =
            renderManifests(test::requestFor(chart(name), RendererSpec::Type::Auto, u"rel"_s));
        ASSERT_TRUE(result.ok()) << name.toStdString() << ": " << result.error().toString().toStdString();
        QStringList kinds;
        for (const DesiredObject& object : result->objects)
            kinds << object.key.kind;
        kinds.sort();
        EXPECT_EQ(kinds, kindsHelmPrints(u"rel"_s, chart(name))) << name.toStdString();
        EXPECT_FALSE(kinds.isEmpty()) << name.toStdString();
    }
}

TEST_F(RealHelmTest, MissingDependencyIsAnExternalErrorWithHelmsWordsInTheDetail) {
    const Result<RenderResult> result =
        renderManifests(test::requestFor(chart(u"helm-dependency"_s), RendererSpec::Type::Helm, u"wp"_s));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::External) << result.error().toString().toStdString();
    EXPECT_TRUE(result.error().detail.contains(u"missing in charts/ directory: wordpress"_s))
        << result.error().detail.toStdString();
}
