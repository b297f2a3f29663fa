// Import of Argo CD Application manifests: what maps to what, and that nothing unsupported is
// dropped without a warning naming the application and the field.
#include "testsupport.h"
#include "workspace/argocdimport.h"

#include <QDir>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::workspace;
using namespace Qt::StringLiterals;

namespace {

ArgoImportContext context() {
    ArgoImportContext ctx;
    ctx.clusters = {ClusterSpec{u"staging"_s, u"staging-ctx"_s, {}}};
    ctx.repositories = {
        RepoSpec{u"examples"_s, u"https://github.com/argoproj/argocd-example-apps"_s, {}, {}}};
    ctx.serverToContext = {{u"https://kubernetes.default.svc"_s, u"kind-kind"_s},
                           {u"https://10.0.0.1:6443"_s, u"prod-ctx"_s}};
    return ctx;
}

bool hasWarning(const QStringList& warnings, const QString& app, const QString& text) {
    for (const QString& warning : warnings) {
        if (warning.contains(u"application '"_s + app + u"'"_s) && warning.contains(text))
            return true;
    }
    return false;
}

class ArgoImportTest : public ::testing::Test {
protected:
    void SetUp() override {
        Result<ArgoImportResult> imported =
            importArgoApplications(test::testDataPath(u"workspace/argocd"_s), context());
        ASSERT_TRUE(imported.ok()) << imported.error().toString().toStdString();
        result = *imported;
    }
    const AppSpec* app(const QString& name) const {
        for (const AppSpec& spec : result.applications) {
            if (spec.name == name)
                return &spec;
        }
        return nullptr;
    }
    ::testing::AssertionResult warned(const QString& appName, const QString& text) const {
        if (hasWarning(result.warnings, appName, text))
            return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << "no warning for " << appName.toStdString() << " containing '"
                                             << text.toStdString() << "' in:\n"
                                             << result.warnings.join(u'\n').toStdString();
    }
    ArgoImportResult result;
};

} // namespace

TEST_F(ArgoImportTest, ImportsTheSupportedApplicationsInFileOrder) {
    QStringList names;
    for (const AppSpec& spec : result.applications)
        names.append(spec.name);
    EXPECT_EQ(names, (QStringList{u"guestbook"_s, u"helm-guestbook"_s, u"jsonnet-guestbook"_s,
                                  u"kustomize-guestbook"_s, u"multi-source"_s}));
}

TEST_F(ArgoImportTest, PlainDirectoryApplication) {
    const AppSpec* guestbook = app(u"guestbook"_s);
    ASSERT_TRUE(guestbook);
    AppSpec expected;
    expected.name = u"guestbook"_s;
    expected.repo = u"examples"_s; // repoURL with .git matched the workspace repository
    expected.path = u"guestbook"_s;
    expected.targetRevision = u"HEAD"_s;
    expected.cluster = u"kind-kind"_s; // server URL -> kubeconfig context
    expected.ns = u"guestbook"_s;
    expected.renderer.type = RendererSpec::Type::Plain;
    expected.renderer.recurse = true;
    expected.renderer.include = {u"{*.yaml,*.yml}"_s};
    expected.renderer.exclude = {u"test-*"_s};
    expected.syncPolicy = SyncPolicy{true, true, true, false};
    expected.syncOptions = {u"CreateNamespace=true"_s};
    EXPECT_EQ(*guestbook, expected);
    ASSERT_EQ(result.newClusters.size(), 2);
    EXPECT_EQ(result.newClusters.at(0), (ClusterSpec{u"kind-kind"_s, u"kind-kind"_s, {}}));
    EXPECT_FALSE(hasWarning(result.warnings, u"guestbook"_s, {})) << "everything in it is supported";
    EXPECT_TRUE(hasWarning(result.notes, u"guestbook"_s, u"project 'default' ignored"_s));
    EXPECT_TRUE(hasWarning(result.notes, u"guestbook"_s, u"metadata.finalizers ignored"_s));
}

TEST_F(ArgoImportTest, HelmApplication) {
    const AppSpec* helm = app(u"helm-guestbook"_s);
    ASSERT_TRUE(helm);
    EXPECT_EQ(helm->cluster, u"staging"_s); // destination.name -> workspace cluster
    EXPECT_EQ(helm->targetRevision, u"main"_s);
    EXPECT_EQ(helm->renderer.type, RendererSpec::Type::Helm);
    EXPECT_EQ(helm->renderer.helm.releaseName, u"guestbook"_s);
    EXPECT_EQ(helm->renderer.helm.valueFiles, QStringList{u"values-production.yaml"_s});
    EXPECT_EQ(helm->renderer.helm.parameters, (QStringList{u"image.tag=0.2"_s, u"service.port=8080"_s}));
    // values (a YAML string) merged with valuesObject, which wins.
    const QJsonObject values = helm->renderer.helm.valuesObject;
    EXPECT_EQ(values.value("replicaCount"_L1).toInt(), 4);
    EXPECT_EQ(values.value("service"_L1).toObject().value("type"_L1).toString(), u"ClusterIP"_s);
    EXPECT_EQ(helm->syncPolicy, (SyncPolicy{true, false, false, false})); // `automated: {}` is on
    EXPECT_TRUE(warned(u"helm-guestbook"_s, u"spec.source.helm.skipCrds is not supported"_s));
    EXPECT_TRUE(warned(u"helm-guestbook"_s, u"forceString"_s));
    EXPECT_TRUE(warned(u"helm-guestbook"_s, u"spec.syncPolicy.retry"_s));
    EXPECT_TRUE(hasWarning(result.notes, u"helm-guestbook"_s, u"project 'team-a' ignored"_s));
}

TEST_F(ArgoImportTest, KustomizeApplicationAndTrailingSlashServer) {
    const AppSpec* kustomize = app(u"kustomize-guestbook"_s);
    ASSERT_TRUE(kustomize);
    EXPECT_EQ(kustomize->cluster, u"prod-ctx"_s);
    EXPECT_EQ(kustomize->renderer.type, RendererSpec::Type::Kustomize);
    EXPECT_EQ(kustomize->renderer.kustomize.namePrefix, u"kg-"_s);
    EXPECT_EQ(kustomize->renderer.kustomize.images,
              QStringList{u"gcr.io/heptio-images/ks-guestbook-demo:0.2"_s});
    EXPECT_EQ(kustomize->renderer.kustomize.commonLabels.value("env"_L1).toString(), u"dev"_s);
    EXPECT_TRUE(
        warned(u"kustomize-guestbook"_s, u"spec.source.kustomize.commonAnnotations is not supported"_s));
}

TEST_F(ArgoImportTest, DirectoryJsonnetListItemsAndIgnoreDifferences) {
    const AppSpec* jsonnet = app(u"jsonnet-guestbook"_s);
    ASSERT_TRUE(jsonnet);
    EXPECT_EQ(jsonnet->targetRevision, u"HEAD"_s) << "Argo CD's default revision";
    EXPECT_EQ(jsonnet->renderer.type, RendererSpec::Type::Plain);
    EXPECT_TRUE(warned(u"jsonnet-guestbook"_s, u"spec.source.directory.jsonnet is not supported"_s));
    ASSERT_EQ(jsonnet->ignoreDifferences.size(), 2);
    EXPECT_EQ(jsonnet->ignoreDifferences.at(0),
              (IgnoreRule{u"apps"_s, u"Deployment"_s, {}, {}, {u"/spec/replicas"_s}, {}}));
    EXPECT_EQ(jsonnet->ignoreDifferences.at(1).managedFieldsManagers,
              QStringList{u"kube-controller-manager"_s});
    EXPECT_TRUE(
        warned(u"jsonnet-guestbook"_s, u"spec.ignoreDifferences[0].jqPathExpressions is not supported"_s));
}

TEST_F(ArgoImportTest, MultiSourceUsesTheFirstSourceWithAPathAndSaysSo) {
    const AppSpec* multi = app(u"multi-source"_s);
    ASSERT_TRUE(multi);
    EXPECT_EQ(multi->path, u"helm-guestbook"_s);
    EXPECT_EQ(multi->repo, u"examples"_s);
    EXPECT_EQ(multi->renderer.type, RendererSpec::Type::Helm);
    EXPECT_TRUE(warned(u"multi-source"_s, u"only sources[1] was imported"_s));
    EXPECT_TRUE(warned(u"multi-source"_s, u"'$values/guestbook/values.yaml' refers to another source"_s));
}

TEST_F(ArgoImportTest, SkippedApplicationsAndUnsupportedKindsAreWarnings) {
    EXPECT_FALSE(app(u"redis"_s));
    EXPECT_TRUE(warned(u"redis"_s, u"spec.source.chart: charts from a Helm repository are not supported"_s));
    EXPECT_FALSE(app(u"far-away"_s));
    EXPECT_TRUE(warned(u"far-away"_s, u"https://unknown.example.com matches no kubeconfig cluster"_s));
    bool applicationSet = false;
    bool template_ = false;
    for (const QString& warning : result.warnings) {
        applicationSet |= warning.contains("ApplicationSet 'fleet' is not supported"_L1);
        template_ |=
            warning.startsWith("templates/applications.yaml:"_L1) && warning.endsWith("(file skipped)"_L1);
    }
    EXPECT_TRUE(applicationSet) << result.warnings.join(u'\n').toStdString();
    EXPECT_TRUE(template_) << "a Helm template of Applications is reported, not silently skipped";
}

TEST_F(ArgoImportTest, WarningsNameFileAndLine) {
    EXPECT_TRUE(hasWarning(result.warnings, u"kustomize-guestbook"_s, u"more-apps.yaml:2:"_s))
        << result.warnings.join(u'\n').toStdString();
    EXPECT_TRUE(hasWarning(result.warnings, u"redis"_s, u"more-apps.yaml:44:"_s))
        << result.warnings.join(u'\n').toStdString();
}

TEST_F(ArgoImportTest, MergedIntoAWorkspaceItSavesAndLoadsAsAValidWorkspace) {
    Workspace ws;
    ArgoImportContext ctx = context();
    ws.clusters = ctx.clusters;
    ws.repositories = ctx.repositories;
    ws.applications.append(
        AppSpec{u"guestbook"_s, u"examples"_s, u"."_s, {}, u"staging"_s, {}, {}, {}, {}, {}});
    const QStringList conflicts = mergeImport(ws, result);
    ASSERT_EQ(conflicts.size(), 1);
    EXPECT_TRUE(conflicts.first().contains("'guestbook' is already in the workspace"_L1));
    EXPECT_EQ(ws.applications.size(), 5);
    EXPECT_EQ(ws.clusters.size(), 3);

    const Result<LoadedWorkspace> loaded = parseWorkspace(workspaceToYaml(ws), u"merged.yaml"_s);
    ASSERT_TRUE(loaded.ok()) << loaded.error().toString().toStdString();
    EXPECT_EQ(loaded->workspace, ws);
}

TEST(ArgoImportTextTest, NewRepositoryGetsANameFromItsUrl) {
    const QByteArray text = R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: a}
spec:
  destination: {name: staging}
  source: {repoURL: "git@github.com:acme/deploy.git", path: apps/a}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: b}
spec:
  destination: {name: staging}
  source: {repoURL: "https://gitlab.example.com/other/deploy", path: b}
  info: [{name: docs, value: x}]
)";
    const ArgoImportResult result = importArgoApplicationsFromText(text, u"apps.yaml"_s, context());
    ASSERT_EQ(result.applications.size(), 2);
    ASSERT_EQ(result.newRepositories.size(), 2);
    EXPECT_EQ(result.newRepositories.at(0).name, u"deploy"_s);
    EXPECT_EQ(result.newRepositories.at(0).url, u"git@github.com:acme/deploy.git"_s);
    EXPECT_EQ(result.newRepositories.at(1).name, u"deploy-2"_s);
    EXPECT_EQ(result.applications.at(1).repo, u"deploy-2"_s);
    EXPECT_TRUE(hasWarning(result.warnings, u"b"_s, u"spec.info is not supported"_s));
}

// Found by fuzz/argocd_import: a name Kubernetes accepts but a workspace does not was imported, and
// the workspace saved from the import no longer loaded.
TEST(ArgoImportTextTest, ANameTheWorkspaceRefusesSkipsTheApplication) {
    const QByteArray text = R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: "gues@tbook"}
spec:
  destination: {name: staging}
  source: {repoURL: "https://github.com/acme/deploy.git", path: a}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: guestbook}
spec:
  destination: {name: staging}
  source: {repoURL: "https://github.com/acme/deploy.git", path: a}
)";
    const ArgoImportResult result = importArgoApplicationsFromText(text, u"apps.yaml"_s, context());
    ASSERT_EQ(result.applications.size(), 1);
    EXPECT_EQ(result.applications.at(0).name, u"guestbook"_s);
    EXPECT_TRUE(hasWarning(result.warnings, u"gues@tbook"_s, u"not a valid application name"_s))
        << result.warnings.join(u'\n').toStdString();
}

TEST(ArgoImportTextTest, MissingDirectoryIsAnError) {
    const Result<ArgoImportResult> result = importArgoApplications(u"/nonexistent/argocd"_s, context());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::NotFound);
}

TEST_F(ArgoImportTest, ItemsOfAListAreLocatedByTheirNameLine) {
    EXPECT_TRUE(hasWarning(result.warnings, u"jsonnet-guestbook"_s, u"list.yaml:7:"_s))
        << result.warnings.join(u'\n').toStdString();
    EXPECT_TRUE(hasWarning(result.warnings, u"far-away"_s, u"list.yaml:33:"_s))
        << result.warnings.join(u'\n').toStdString();
}

TEST(ArgoImportTextTest, TheCorpusAppOfAppsChartIsReportedNotSilentlyEmpty) {
    const QString apps = test::sharedDir().filePath(u"corpus/argocd-example-apps/apps"_s);
    if (!QDir(apps).exists())
        GTEST_SKIP() << "shared corpus not found";
    const Result<ArgoImportResult> result = importArgoApplications(apps, context());
    ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
    // The Applications there are a Helm template: nothing to import until helm renders it, and
    // the operator is told which file was skipped.
    EXPECT_TRUE(result->applications.isEmpty());
    bool reported = false;
    for (const QString& warning : result->warnings)
        reported |= warning.startsWith("templates/applications.yaml:"_L1);
    EXPECT_TRUE(reported) << result->warnings.join(u'\n').toStdString();
}

// An Application manifest is the repository's text: its release name must not reach helm as an
// option, and its value files must not read outside the repository (cf. Argo CD CVE-2022-24348).
TEST(ArgoImportTextTest, HostileHelmSettingsSkipTheApplicationWithAWarning) {
    const auto application = [](const char* name, const char* helm) -> QByteArray {
        return QByteArray("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: ") + name +
               "}\nspec:\n  destination: {name: staging}\n  source:\n    repoURL: "
               "https://github.com/argoproj/argocd-example-apps\n    path: charts/web\n    helm: " +
               helm + "\n";
    };
    const QByteArray text =
        application("inject", "{releaseName: \"--post-renderer=./x.sh\"}") + "---\n" +
        application("absolute", "{valueFiles: [/etc/passwd]}") + "---\n" +
        application("escape", "{valueFiles: [values.yaml, ../../../etc/passwd]}") + "---\n" +
        application("url", "{valueFiles: [\"https://example.com/values.yaml\"]}") + "---\n" +
        application("fine", "{releaseName: web-1, valueFiles: [values.yaml, ../common/values.yaml]}");
    const ArgoImportResult result = importArgoApplicationsFromText(text, u"apps.yaml"_s, context());
    ASSERT_EQ(result.applications.size(), 1) << result.warnings.join(u'\n').toStdString();
    EXPECT_EQ(result.applications.first().name, u"fine"_s);
    EXPECT_EQ(result.applications.first().renderer.helm.valueFiles,
              (QStringList{u"values.yaml"_s, u"../common/values.yaml"_s}));
    const auto warned = [&](const QString& app, const QString& text) {
        return hasWarning(result.warnings, app, text) &&
               hasWarning(result.warnings, app, u"application skipped"_s);
    };
    EXPECT_TRUE(warned(u"inject"_s, u"spec.source.helm.releaseName is not a valid Helm release name"_s))
        << result.warnings.join(u'\n').toStdString();
    EXPECT_TRUE(warned(u"absolute"_s, u"'/etc/passwd' is an absolute path"_s));
    EXPECT_TRUE(warned(u"escape"_s, u"'../../../etc/passwd' is outside the repository"_s));
    EXPECT_TRUE(warned(u"url"_s, u"is a URL"_s));
    for (const QString& warning : result.warnings)
        EXPECT_TRUE(warning.startsWith(u"apps.yaml:"_s)) << warning.toStdString();
}

TEST(ArgoImportTextTest, HelmParameterCommasAreEscapedAsArgoCdDoes) {
    // Unescaped, helm would read `replicaCount=50` as a second value Argo CD never sets.
    const QByteArray text = R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: a}
spec:
  destination: {name: staging}
  source:
    repoURL: "https://git.example.com/deploy"
    path: chart
    helm:
      parameters:
      - {name: image.tag, value: "1.0,replicaCount=50"}
      - {name: already, value: 'a\,b'}
      - {name: list, value: "{a,b}"}
)";
    const ArgoImportResult result = importArgoApplicationsFromText(text, u"apps.yaml"_s, context());
    ASSERT_EQ(result.applications.size(), 1);
    EXPECT_EQ(result.applications.at(0).renderer.helm.parameters,
              (QStringList{u"image.tag=1.0\\,replicaCount=50"_s, u"already=a\\,b"_s, u"list={a,b}"_s}));
}
