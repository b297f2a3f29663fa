// The workspace file: what loads, what is refused and how, and that saving round-trips.
#include "testsupport.h"
#include "workspace/workspace.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::workspace;
using namespace Qt::StringLiterals;

namespace {

QString fullPath() {
    return test::testDataPath(u"workspace/full.yaml"_s);
}

const QByteArray Header = "apiVersion: driftdeck.io/v1alpha1\nkind: Workspace\n";

const QByteArray Minimal = Header + R"(clusters:
  - name: dev
repositories:
  - name: apps
    url: https://example.com/apps.git
applications:
  - name: web
    repo: apps
    path: web
    cluster: dev
)";

Result<LoadedWorkspace> parse(const QByteArray& text) {
    return parseWorkspace(text, u"ws.yaml"_s);
}

} // namespace

TEST(WorkspaceTest, LoadsEveryField) {
    const Result<LoadedWorkspace> loaded = loadWorkspace(fullPath());
    ASSERT_TRUE(loaded.ok()) << loaded.error().toString().toStdString();
    EXPECT_TRUE(loaded->warnings.isEmpty()) << loaded->warnings.join(u'\n').toStdString();
    const Workspace& ws = loaded->workspace;
    ASSERT_EQ(ws.clusters.size(), 2);
    EXPECT_EQ(ws.clusters.at(0),
              (ClusterSpec{u"prod-eu"_s, u"gke_acme_europe-west1_prod"_s, {u"production"_s, u"eu"_s}}));
    EXPECT_EQ(ws.clusters.at(1).context, u"kind-dev"_s) << "context defaults to the cluster name";

    ASSERT_EQ(ws.repositories.size(), 3);
    EXPECT_EQ(ws.repositories.at(0).branch, u"main"_s);
    EXPECT_EQ(ws.repositories.at(0).credentials.type, CredentialsRef::Type::Token);
    EXPECT_EQ(ws.repositories.at(0).credentials.env, u"ACME_GIT_TOKEN"_s);
    EXPECT_EQ(ws.repositories.at(1).credentials.type, CredentialsRef::Type::SshKey);
    EXPECT_EQ(ws.repositories.at(1).credentials.passphraseEnv, u"INFRA_KEY_PASSPHRASE"_s);
    EXPECT_EQ(ws.repositories.at(2).credentials.type, CredentialsRef::Type::None);

    ASSERT_EQ(ws.applications.size(), 4);
    const AppSpec* guestbook = ws.application(u"guestbook"_s);
    ASSERT_TRUE(guestbook);
    EXPECT_EQ(guestbook->renderer.type, RendererSpec::Type::Plain);
    EXPECT_TRUE(guestbook->renderer.recurse);
    EXPECT_EQ(guestbook->renderer.include, QStringList{u"*.yaml"_s});
    EXPECT_EQ(guestbook->syncPolicy, (SyncPolicy{true, true, true, false}));
    EXPECT_EQ(guestbook->syncOptions, QStringList{u"CreateNamespace=true"_s});

    const AppSpec* shop = ws.application(u"shop"_s);
    ASSERT_TRUE(shop);
    EXPECT_EQ(shop->targetRevision, u"v1.4.2"_s);
    EXPECT_EQ(shop->renderer.timeoutSeconds, 120);
    EXPECT_EQ(shop->renderer.helm.parameters, QStringList{u"image.tag=1.4.2"_s});
    EXPECT_EQ(shop->renderer.helm.valuesObject.value("replicas"_L1).toInt(), 3);
    ASSERT_EQ(shop->ignoreDifferences.size(), 2);
    EXPECT_EQ(shop->ignoreDifferences.at(0),
              (IgnoreRule{u"apps"_s, u"Deployment"_s, u"shop"_s, {}, {u"/spec/replicas"_s}, {}}));
    EXPECT_EQ(shop->ignoreDifferences.at(1).managedFieldsManagers, QStringList{u"vault-injector"_s});

    const AppSpec* platform = ws.application(u"platform"_s);
    ASSERT_TRUE(platform);
    EXPECT_EQ(platform->renderer.kustomize.namePrefix, u"prod-"_s);
    EXPECT_EQ(platform->renderer.kustomize.commonLabels.value("team"_L1).toString(), u"platform"_s);
    EXPECT_EQ(platform->renderer.timeoutSeconds, 90);

    const AppSpec* generated = ws.application(u"generated"_s);
    ASSERT_TRUE(generated);
    EXPECT_EQ(generated->renderer.command.argv, (QStringList{u"./render.sh"_s, u"--env"_s, u"prod"_s}));
    EXPECT_EQ(generated->renderer.command.env, QStringList{u"RENDER_MODE=strict"_s});
    EXPECT_TRUE(generated->syncPolicy.allowEmpty);
    EXPECT_FALSE(generated->syncPolicy.automated);
}

TEST(WorkspaceTest, SaveAndLoadRoundTripInCanonicalForm) {
    const Result<LoadedWorkspace> loaded = loadWorkspace(fullPath());
    ASSERT_TRUE(loaded.ok()) << loaded.error().toString().toStdString();
    QTemporaryDir dir;
    const QString path = dir.filePath(u"nested/driftdeck/workspace.yaml"_s);
    ASSERT_TRUE(saveWorkspace(loaded->workspace, path).ok());

    const Result<LoadedWorkspace> again = loadWorkspace(path);
    ASSERT_TRUE(again.ok()) << again.error().toString().toStdString();
    EXPECT_TRUE(again->warnings.isEmpty());
    EXPECT_EQ(again->workspace, loaded->workspace);

    // Canonical: saving what was loaded from a saved file gives the same bytes.
    const QByteArray first = test::readFile(path);
    EXPECT_EQ(workspaceToYaml(again->workspace), first);
    EXPECT_TRUE(first.startsWith("# Driftdeck workspace"));
    EXPECT_EQ(QDir(dir.filePath(u"nested/driftdeck"_s)).entryList(QDir::Files),
              QStringList{u"workspace.yaml"_s})
        << "an atomic save leaves no temporary file behind";
}

TEST(WorkspaceTest, EmptyWorkspaceRoundTrips) {
    const Workspace empty;
    const Result<LoadedWorkspace> loaded = parse(workspaceToYaml(empty));
    ASSERT_TRUE(loaded.ok()) << loaded.error().toString().toStdString();
    EXPECT_EQ(loaded->workspace, empty);
}

TEST(WorkspaceTest, UnknownKeysAreWarningsWithFileAndLine) {
    const QByteArray text = Header + R"(clusters:
  - name: dev
    colour: blue
repositories:
  - name: apps
    url: https://example.com/apps.git
applications:
  - name: web
    repo: apps
    path: web
    cluster: dev
    renderer:
      type: plain
      recursive: true
owner: me
)";
    const Result<LoadedWorkspace> loaded = parse(text);
    ASSERT_TRUE(loaded.ok()) << loaded.error().toString().toStdString();
    EXPECT_EQ(loaded->warnings.size(), 3) << loaded->warnings.join(u'\n').toStdString();
    EXPECT_TRUE(loaded->warnings.contains(u"ws.yaml:17: unknown key 'owner' in the workspace is ignored"_s))
        << loaded->warnings.join(u'\n').toStdString();
    EXPECT_TRUE(loaded->warnings.contains(u"ws.yaml:5: unknown key 'colour' in cluster 'dev' is ignored"_s));
    EXPECT_TRUE(loaded->warnings.contains(
        u"ws.yaml:16: unknown key 'recursive' in the renderer of application 'web' is ignored"_s));
}

TEST(WorkspaceTest, MissingRequiredFieldsAreErrorsNamingTheField) {
    const QByteArray text = Header + R"(clusters:
  - name: dev
repositories:
  - name: apps
applications:
  - name: web
    repo: apps
    cluster: dev
)";
    const Result<LoadedWorkspace> loaded = parse(text);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, Error::Code::Invalid);
    EXPECT_TRUE(loaded.error().message.startsWith("ws.yaml:6: repository 'apps' has no 'url'"_L1))
        << loaded.error().message.toStdString();
    EXPECT_TRUE(loaded.error().message.contains("1 more"_L1));
    EXPECT_TRUE(loaded.error().detail.contains("ws.yaml:8: application 'web' has no 'path'"_L1))
        << loaded.error().detail.toStdString();
}

TEST(WorkspaceTest, UnknownClusterOrRepositoryNamesBoth) {
    QByteArray text = Minimal;
    text.replace("cluster: dev\n", "cluster: prod\n");
    Result<LoadedWorkspace> loaded = parse(text);
    ASSERT_FALSE(loaded.ok());
    EXPECT_TRUE(loaded.error().message.contains("application 'web' names cluster 'prod'"_L1))
        << loaded.error().message.toStdString();
    EXPECT_TRUE(loaded.error().message.contains("(clusters: dev)"_L1));
    EXPECT_TRUE(loaded.error().message.startsWith("ws.yaml:12:"_L1)) << loaded.error().message.toStdString();

    text = Minimal;
    text.replace("repo: apps\n", "repo: infra\n");
    loaded = parse(text);
    ASSERT_FALSE(loaded.ok());
    EXPECT_TRUE(loaded.error().message.contains("application 'web' names repository 'infra'"_L1));
    EXPECT_TRUE(loaded.error().message.contains("(repositories: apps)"_L1));
}

TEST(WorkspaceTest, LiteralTokenIsRejectedWithoutEchoingIt) {
    QByteArray text = Minimal;
    text.replace("    url: https://example.com/apps.git\n",
                 "    url: https://example.com/apps.git\n    credentials:\n      type: token\n"
                 "      token: ghp_SUPERSECRET123\n");
    const Result<LoadedWorkspace> loaded = parse(text);
    ASSERT_FALSE(loaded.ok());
    const QString all = loaded.error().toString() + loaded.error().detail;
    EXPECT_FALSE(all.contains("SUPERSECRET"_L1)) << "a secret must never appear in an error";
    EXPECT_TRUE(loaded.error().message.contains("literal 'token'"_L1))
        << loaded.error().message.toStdString();
    EXPECT_TRUE(loaded.error().message.contains("{type: token, env: VARIABLE}"_L1));
    EXPECT_TRUE(loaded.error().message.contains("{type: token, file: PATH}"_L1));
    EXPECT_TRUE(loaded.error().message.startsWith("ws.yaml:10:"_L1)) << loaded.error().message.toStdString();
}

TEST(WorkspaceTest, PasswordOnTheRepositoryOrInTheUrlIsRejected) {
    QByteArray text = Minimal;
    text.replace("    url: https://example.com/apps.git\n",
                 "    url: https://example.com/apps.git\n    password: hunter2\n");
    Result<LoadedWorkspace> loaded = parse(text);
    ASSERT_FALSE(loaded.ok());
    EXPECT_TRUE(loaded.error().message.contains("literal 'password'"_L1));
    EXPECT_FALSE(loaded.error().toString().contains("hunter2"_L1));

    text = Minimal;
    text.replace("https://example.com/apps.git", "https://bot:ghp_SECRET@example.com/apps.git");
    loaded = parse(text);
    ASSERT_FALSE(loaded.ok());
    EXPECT_TRUE(loaded.error().message.contains("embeds a password or token"_L1));
    EXPECT_FALSE(QString(loaded.error().toString() + loaded.error().detail).contains("ghp_SECRET"_L1));
}

TEST(WorkspaceTest, CredentialShapesAreChecked) {
    QByteArray text = Minimal;
    text.replace("    url: https://example.com/apps.git\n",
                 "    url: https://example.com/apps.git\n    credentials: {type: token}\n");
    Result<LoadedWorkspace> loaded = parse(text);
    ASSERT_FALSE(loaded.ok());
    EXPECT_TRUE(loaded.error().message.contains("exactly one of 'env' or 'file'"_L1));

    text = Minimal;
    text.replace("    url: https://example.com/apps.git\n",
                 "    url: https://example.com/apps.git\n    credentials: {type: kerberos}\n");
    loaded = parse(text);
    ASSERT_FALSE(loaded.ok());
    EXPECT_TRUE(loaded.error().message.contains("'kerberos'"_L1));

    text = Minimal;
    text.replace("    url: https://example.com/apps.git\n",
                 "    url: https://example.com/apps.git\n    credentials: {type: ssh-agent}\n");
    loaded = parse(text);
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(loaded->workspace.repositories.first().credentials.type, CredentialsRef::Type::SshAgent);
}

TEST(WorkspaceTest, DuplicateNamesAreErrors) {
    QByteArray text = Minimal;
    text.replace("clusters:\n  - name: dev\n",
                 "clusters:\n  - name: dev\n  - name: dev\n    context: other\n");
    const Result<LoadedWorkspace> loaded = parse(text);
    ASSERT_FALSE(loaded.ok());
    EXPECT_TRUE(loaded.error().message.contains("cluster 'dev' is defined twice"_L1))
        << loaded.error().message.toStdString();
}

TEST(WorkspaceTest, WrongTypesAndValuesAreErrors) {
    QByteArray text =
        Minimal + "    syncPolicy: {automated: maybe}\n    renderer: {type: jsonnet, timeoutSeconds: 0}\n";
    const Result<LoadedWorkspace> loaded = parse(text);
    ASSERT_FALSE(loaded.ok());
    const QString detail = loaded.error().detail;
    EXPECT_TRUE(detail.contains("'automated' of syncPolicy of application 'web' must be true or false"_L1))
        << detail.toStdString();
    EXPECT_TRUE(detail.contains("renderer type 'jsonnet'"_L1));
    EXPECT_TRUE(detail.contains("timeoutSeconds"_L1));
}

TEST(WorkspaceTest, CommandRendererNeedsArgv) {
    const Result<LoadedWorkspace> loaded = parse(Minimal + "    renderer: {type: command}\n");
    ASSERT_FALSE(loaded.ok());
    EXPECT_TRUE(loaded.error().message.contains("no command.argv"_L1));
}

TEST(WorkspaceTest, WrongApiVersionOrKind) {
    QByteArray text = Minimal;
    text.replace("driftdeck.io/v1alpha1", "driftdeck.io/v2");
    Result<LoadedWorkspace> loaded = parse(text);
    ASSERT_FALSE(loaded.ok());
    EXPECT_TRUE(loaded.error().message.startsWith("ws.yaml:1: apiVersion is 'driftdeck.io/v2'"_L1))
        << loaded.error().message.toStdString();

    loaded = parse("- just\n- a list\n");
    ASSERT_FALSE(loaded.ok());
    EXPECT_TRUE(loaded.error().message.contains("apiVersion: driftdeck.io/v1alpha1"_L1));
}

TEST(WorkspaceTest, MalformedYamlNamesFileAndLine) {
    const Result<LoadedWorkspace> loaded = parse(Header + "clusters:\n  - name: [dev\n");
    ASSERT_FALSE(loaded.ok());
    EXPECT_TRUE(loaded.error().message.contains("ws.yaml:"_L1)) << loaded.error().message.toStdString();
}

TEST(WorkspaceTest, MissingFileSaysHowToFixIt) {
    const Result<LoadedWorkspace> loaded = loadWorkspace(u"/nonexistent/driftdeck/workspace.yaml"_s);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, Error::Code::NotFound);
    EXPECT_TRUE(loaded.error().message.contains("--workspace"_L1));
}

TEST(WorkspaceTest, DefaultPathFollowsXdgConfigHome) {
    const QByteArray old = qgetenv("XDG_CONFIG_HOME");
    const bool wasSet = qEnvironmentVariableIsSet("XDG_CONFIG_HOME");
    qputenv("XDG_CONFIG_HOME", "/tmp/xdg-test");
    EXPECT_EQ(defaultWorkspacePath(), u"/tmp/xdg-test/driftdeck/workspace.yaml"_s);
    qunsetenv("XDG_CONFIG_HOME");
    EXPECT_EQ(defaultWorkspacePath(), QDir::homePath() + u"/.config/driftdeck/workspace.yaml"_s);
    EXPECT_EQ(resolveWorkspacePath(u"/etc/ws.yaml"_s), u"/etc/ws.yaml"_s);
    EXPECT_EQ(resolveWorkspacePath({}), defaultWorkspacePath());
    if (wasSet)
        qputenv("XDG_CONFIG_HOME", old);
}

TEST(WorkspaceTest, ApplicationNamesMustFitTheTrackingId) {
    QByteArray text = Minimal;
    text.replace("  - name: web\n", "  - name: \"web:prod\"\n");
    const Result<LoadedWorkspace> loaded = parse(text);
    ASSERT_FALSE(loaded.ok());
    EXPECT_TRUE(loaded.error().message.contains("names are 1 to 63 letters"_L1))
        << loaded.error().message.toStdString();
    text = Minimal;
    text.replace("  - name: web\n", "  - name: example.guestbook_v2\n");
    EXPECT_TRUE(parse(text).ok());
}

TEST(WorkspaceTest, EmptyPathIsTheRepositoryRoot) {
    QByteArray text = Minimal;
    text.replace("    path: web\n", "    path: \"\"\n");
    const Result<LoadedWorkspace> loaded = parse(text);
    ASSERT_TRUE(loaded.ok()) << loaded.error().toString().toStdString();
    EXPECT_EQ(loaded->workspace.applications.first().path, u"."_s);
    const Result<LoadedWorkspace> again = parse(workspaceToYaml(loaded->workspace));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->workspace, loaded->workspace);
}

TEST(WorkspaceTest, HelmReleaseNamesAndValueFilesAreChecked) {
    const auto withHelm = [](const QByteArray& helm) -> QByteArray {
        return Minimal + "    renderer:\n      type: helm\n      helm: " + helm + "\n";
    };
    ASSERT_TRUE(
        parse(withHelm("{releaseName: web-1, valueFiles: [values.yaml, ../shared/values.yaml]}")).ok());
    const struct {
        QByteArray helm;
        const char* message;
    } refused[] = {
        {"{releaseName: \"--post-renderer=./x.sh\"}", "is not a valid Helm release name"},
        {"{releaseName: Web}", "is not a valid Helm release name"},
        {"{valueFiles: [/etc/passwd]}", "is an absolute path"},
        {"{valueFiles: [../../etc/passwd]}", "is outside the repository"},
        {"{valueFiles: [\"http://example.com/v.yaml\"]}", "is a URL"},
        {"{valueFiles: [\"--post-renderer=x\"]}", "starts with '-'"},
    };
    for (const auto& c : refused) {
        const Result<LoadedWorkspace> loaded = parse(withHelm(c.helm));
        ASSERT_FALSE(loaded.ok()) << c.helm.constData();
        EXPECT_TRUE(loaded.error().message.contains(QLatin1StringView(c.message)))
            << loaded.error().message.toStdString();
        EXPECT_TRUE(loaded.error().message.startsWith(u"ws.yaml:"_s)) << loaded.error().message.toStdString();
    }
}
