#include "kube/connectionsettings.h"
#include "kube/kubeconfig.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::kube;

namespace {

QString mergeDir() {
    return test::testDataPath(QStringLiteral("kube/merge"));
}

QStringList mergeFiles() {
    const QDir dir(mergeDir());
    return {dir.filePath(QStringLiteral("a/config")), dir.filePath(QStringLiteral("b/config")),
            dir.filePath(QStringLiteral("c/config.yaml"))};
}

// kubectl prints defaults (null lists, false flags, interactiveMode IfAvailable) that the files do
// not spell out; both sides drop them before comparing.
QJsonValue normalised(const QJsonValue& value) {
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject in = value.toObject();
        for (auto it = in.begin(); it != in.end(); ++it) {
            const QJsonValue v = normalised(it.value());
            if (v.isNull() || v.isUndefined() || (v.isBool() && !v.toBool()) ||
                (v.isArray() && v.toArray().isEmpty()) || (v.isObject() && v.toObject().isEmpty()))
                continue;
            if (it.key() == QLatin1String("interactiveMode") && v.toString() == QLatin1String("IfAvailable"))
                continue;
            out.insert(it.key(), v);
        }
        return out;
    }
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue& v : value.toArray())
            out.append(normalised(v));
        return out;
    }
    return value;
}

QString resolveAgainst(const QString& path, const QString& origin) {
    if (path.isEmpty() || QDir::isAbsolutePath(path))
        return path;
    return QDir::cleanPath(QFileInfo(origin).absoluteDir().filePath(path));
}

QMap<QString, QJsonObject> byName(const QJsonObject& root, const char* list, const char* field) {
    QMap<QString, QJsonObject> out;
    for (const QJsonValue& v : root.value(QLatin1String(list)).toArray())
        out.insert(v.toObject().value(QLatin1String("name")).toString(),
                   v.toObject().value(QLatin1String(field)).toObject());
    return out;
}

} // namespace

TEST(Kubeconfig, MergesFirstWinsPerNameAndFirstCurrentContext) {
    auto config = loadKubeconfig(mergeFiles());
    ASSERT_TRUE(config.ok()) << config.error().toString().toStdString();
    EXPECT_EQ(config->currentContext, QStringLiteral("ctx-b"));
    EXPECT_EQ(config->clusters.size(), 4);
    EXPECT_EQ(config->users.size(), 6);
    EXPECT_EQ(config->contexts.size(), 4);
    // "shared" is defined by a and b: a wins as a whole (b's insecure flag is not mixed in).
    EXPECT_EQ(config->clusters[QStringLiteral("shared")].server, QStringLiteral("https://a.example:6443"));
    EXPECT_FALSE(config->clusters[QStringLiteral("shared")].insecureSkipTlsVerify);
    EXPECT_EQ(config->users[QStringLiteral("shared-user")].token.revealText(),
              QStringLiteral("token-from-a-file"));
    EXPECT_TRUE(config->users[QStringLiteral("alice")].token.isEmpty());
    EXPECT_EQ(config->contexts[QStringLiteral("shared-ctx")].cluster, QStringLiteral("shared"));
    EXPECT_EQ(config->contexts[QStringLiteral("shared-ctx")].ns, QString());
}

TEST(Kubeconfig, ResolvesRelativePathsAgainstTheFileThatNamesThem) {
    auto config = loadKubeconfig(mergeFiles());
    ASSERT_TRUE(config.ok());
    const QDir dir(mergeDir());
    EXPECT_EQ(config->clusters[QStringLiteral("shared")].certificateAuthority,
              QDir::cleanPath(dir.filePath(QStringLiteral("a/pki/ca.crt"))));
    EXPECT_EQ(config->clusters[QStringLiteral("only-b")].certificateAuthority,
              QDir::cleanPath(dir.filePath(QStringLiteral("a/pki/ca.crt"))));
    EXPECT_EQ(config->clusters[QStringLiteral("only-c")].certificateAuthority,
              QStringLiteral("/etc/absolute/ca.crt"));
    EXPECT_EQ(config->users[QStringLiteral("alice")].clientKey,
              QDir::cleanPath(dir.filePath(QStringLiteral("a/pki/alice.key"))));
    EXPECT_EQ(config->users[QStringLiteral("bob")].tokenFile,
              QDir::cleanPath(dir.filePath(QStringLiteral("b/secrets/bob.token"))));
    // A command with a '/' is file-relative; a bare name stays a PATH lookup.
    ASSERT_TRUE(config->users[QStringLiteral("carol")].exec.has_value());
    EXPECT_EQ(config->users[QStringLiteral("carol")].exec->command,
              QDir::cleanPath(dir.filePath(QStringLiteral("c/bin/credential-plugin.sh"))));
    EXPECT_EQ(config->users[QStringLiteral("carol")].exec->env.value(0).second, QStringLiteral("test"));
    EXPECT_TRUE(config->users[QStringLiteral("carol")].exec->provideClusterInfo);
    EXPECT_EQ(config->users[QStringLiteral("dave")].exec->command, QStringLiteral("gke-gcloud-auth-plugin"));
}

// kubectl itself is the referee: the same three files through `kubectl config view --merge`, which
// masks credentials the way toJson() does.
TEST(Kubeconfig, MergeMatchesKubectl) {
    DRIFTDECK_REQUIRE_KUBECTL();
    const auto run = test::runProcess(
        test::kubectlPath(),
        {QStringLiteral("config"), QStringLiteral("view"), QStringLiteral("--merge"), QStringLiteral("-o"),
         QStringLiteral("json")},
        {}, std::chrono::seconds(60), {QStringLiteral("KUBECONFIG=") + mergeFiles().join(QLatin1Char(':'))});
    ASSERT_EQ(run.exitCode, 0) << run.err.toStdString();
    const QJsonObject referee = QJsonDocument::fromJson(run.out).object();
    auto config = loadKubeconfig(mergeFiles());
    ASSERT_TRUE(config.ok());
    const QJsonObject ours = config->toJson();
    EXPECT_EQ(ours.value(QLatin1String("current-context")), referee.value(QLatin1String("current-context")));

    // kubectl prints paths as written; resolve them against the file our loader says won the name.
    const auto kubectlClusters = byName(referee, "clusters", "cluster");
    const auto ourClusters = byName(ours, "clusters", "cluster");
    ASSERT_EQ(kubectlClusters.keys(), ourClusters.keys());
    for (auto it = kubectlClusters.begin(); it != kubectlClusters.end(); ++it) {
        QJsonObject expected = *it;
        const QString origin = config->clusters[it.key()].origin;
        if (expected.contains(QLatin1String("certificate-authority")))
            expected.insert(
                QStringLiteral("certificate-authority"),
                resolveAgainst(expected.value(QLatin1String("certificate-authority")).toString(), origin));
        EXPECT_EQ(normalised(expected), normalised(ourClusters[it.key()])) << it.key().toStdString();
    }
    const auto kubectlUsers = byName(referee, "users", "user");
    const auto ourUsers = byName(ours, "users", "user");
    ASSERT_EQ(kubectlUsers.keys(), ourUsers.keys());
    for (auto it = kubectlUsers.begin(); it != kubectlUsers.end(); ++it) {
        QJsonObject expected = *it;
        const QString origin = config->users[it.key()].origin;
        for (const char* key : {"client-certificate", "client-key", "tokenFile"}) {
            if (expected.contains(QLatin1String(key)))
                expected.insert(QLatin1String(key),
                                resolveAgainst(expected.value(QLatin1String(key)).toString(), origin));
        }
        QJsonObject exec = expected.value(QLatin1String("exec")).toObject();
        if (exec.value(QLatin1String("command")).toString().contains(QLatin1Char('/'))) {
            exec.insert(QStringLiteral("command"),
                        resolveAgainst(exec.value(QLatin1String("command")).toString(), origin));
            expected.insert(QStringLiteral("exec"), exec);
        }
        EXPECT_EQ(normalised(expected), normalised(ourUsers[it.key()])) << it.key().toStdString();
    }
    EXPECT_EQ(normalised(byName(referee, "contexts", "context").value(QStringLiteral("shared-ctx"))),
              normalised(byName(ours, "contexts", "context").value(QStringLiteral("shared-ctx"))));
    const auto kubectlContexts = byName(referee, "contexts", "context");
    const auto ourContexts = byName(ours, "contexts", "context");
    ASSERT_EQ(kubectlContexts.keys(), ourContexts.keys());
    for (auto it = kubectlContexts.begin(); it != kubectlContexts.end(); ++it)
        EXPECT_EQ(normalised(*it), normalised(ourContexts[it.key()])) << it.key().toStdString();
}

// Review item 12: toJson() emitted raw tokens and keys.
TEST(Kubeconfig, ToJsonMasksCredentials) {
    const QByteArray key =
        "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIkey-material\n-----END EC PRIVATE KEY-----\n";
    const QByteArray yaml = "clusters:\n- name: c\n  cluster: {server: 'https://c.example'}\n"
                            "users:\n- name: u\n  user: {token: tok-en-secret-1, username: bob, password: "
                            "pass-word-secret-2, client-key-data: " +
                            key.toBase64() +
                            "}\n- name: legacy\n  user:\n    auth-provider:\n      name: oidc\n"
                            "      config: {id-token: id-token-secret-3, client-id: app}\n"
                            "contexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n";
    auto config = parseKubeconfig(yaml, QStringLiteral("/tmp/secrets-config"));
    ASSERT_TRUE(config.ok()) << config.error().toString().toStdString();
    EXPECT_EQ(config->users[QStringLiteral("u")].token.revealText(), QStringLiteral("tok-en-secret-1"));
    const QByteArray json = QJsonDocument(config->toJson()).toJson();
    for (const QByteArray& secret :
         {QByteArray("tok-en-secret-1"), QByteArray("pass-word-secret-2"), QByteArray("key-material"),
          key.toBase64(), QByteArray("id-token-secret-3")})
        EXPECT_FALSE(json.contains(secret)) << json.toStdString();
    EXPECT_TRUE(json.contains("\"token\": \"REDACTED\"")) << json.toStdString();
    EXPECT_TRUE(json.contains("\"client-key-data\": \"DATA+OMITTED\"")) << json.toStdString();
    EXPECT_TRUE(json.contains("\"username\": \"bob\"")) << json.toStdString();
}

TEST(Kubeconfig, MissingFilesAreSkippedLikeKubectl) {
    QStringList files = mergeFiles();
    files.prepend(QStringLiteral("/nonexistent/driftdeck/kubeconfig"));
    auto config = loadKubeconfig(files);
    ASSERT_TRUE(config.ok());
    EXPECT_EQ(config->files.size(), 3);
    EXPECT_EQ(config->currentContext, QStringLiteral("ctx-b"));
}

TEST(Kubeconfig, KubeconfigVariableListsFilesInOrder) {
    const QByteArray saved = qgetenv("KUBECONFIG");
    qputenv("KUBECONFIG", QStringLiteral("/x/a::/x/b:/x/a").toLocal8Bit());
    EXPECT_EQ(defaultKubeconfigPaths(), (QStringList{QStringLiteral("/x/a"), QStringLiteral("/x/b")}));
    qputenv("KUBECONFIG", saved);
}

TEST(Kubeconfig, BrokenFileNamesFileAndLine) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken"));
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("apiVersion: v1\nclusters:\n  - name: x\n    cluster: {server: [unclosed\ncontexts: []\n");
    file.close();
    auto config = loadKubeconfig({path});
    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.error().code, Error::Code::Invalid);
    EXPECT_TRUE(config.error().message.contains(path)) << config.error().message.toStdString();
    // "<file>:<line>:<column>: <problem>", the form compilers use.
    EXPECT_TRUE(config.error().message.contains(QRegularExpression(QStringLiteral("broken:[0-9]+:[0-9]+"))))
        << config.error().message.toStdString();
}

TEST(Kubeconfig, DuplicateNamesInOneFileAreRejected) {
    auto config = parseKubeconfig("clusters:\n- name: x\n  cluster: {server: https://a}\n"
                                  "- name: x\n  cluster: {server: https://b}\n",
                                  QStringLiteral("/tmp/dup-config"));
    ASSERT_FALSE(config.ok());
    EXPECT_TRUE(config.error().message.contains(QStringLiteral("duplicate")))
        << config.error().message.toStdString();
    EXPECT_TRUE(config.error().message.contains(QStringLiteral("/tmp/dup-config")));
}

TEST(ConnectionSettings, ContextGivesServerNamespaceProxyAndAuth) {
    auto config = loadKubeconfig(mergeFiles());
    ASSERT_TRUE(config.ok());
    // only-b's CA file does not exist in the test data: the error names it.
    auto b = connectionSettings(*config, QStringLiteral("ctx-b"));
    ASSERT_FALSE(b.ok());
    EXPECT_TRUE(b.error().message.contains(QStringLiteral("a/pki/ca.crt")))
        << b.error().message.toStdString();

    auto c = connectionSettings(*config, QStringLiteral("ctx-c"));
    ASSERT_FALSE(c.ok()); // /etc/absolute/ca.crt is missing too
    EXPECT_TRUE(c.error().message.contains(QStringLiteral("/etc/absolute/ca.crt")));

    Kubeconfig edited = *config;
    edited.clusters[QStringLiteral("only-b")].certificateAuthority.clear();
    auto ok = connectionSettings(edited, {});
    ASSERT_TRUE(ok.ok()) << ok.error().toString().toStdString();
    EXPECT_EQ(ok->contextName, QStringLiteral("ctx-b"));
    EXPECT_EQ(ok->ns, QStringLiteral("team-b"));
    EXPECT_EQ(ok->server, QUrl(QStringLiteral("https://only-b.example:6443")));
    ASSERT_TRUE(ok->proxy.has_value());
    EXPECT_EQ(ok->proxy->type(), QNetworkProxy::Socks5Proxy);
    EXPECT_EQ(ok->proxy->port(), 1080);
    EXPECT_TRUE(ok->user.tokenFile.endsWith(QStringLiteral("b/secrets/bob.token")));
}

TEST(ConnectionSettings, LegacyAuthProviderNamesTheExecPluginToUse) {
    for (const auto& [provider, plugin] : {std::pair{"gcp", "gke-gcloud-auth-plugin"},
                                           std::pair{"azure", "kubelogin"}, std::pair{"oidc", "kubelogin"}}) {
        const QByteArray yaml =
            QByteArray("clusters:\n- name: c\n  cluster: {server: 'https://c.example'}\n"
                       "users:\n- name: u\n  user:\n    auth-provider:\n      name: ") +
            provider +
            "\n      config: {access-token: abc123secretvalue}\n"
            "contexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n";
        auto config = parseKubeconfig(yaml, QStringLiteral("/tmp/legacy"));
        ASSERT_TRUE(config.ok()) << config.error().toString().toStdString();
        auto settings = connectionSettings(*config);
        ASSERT_FALSE(settings.ok());
        EXPECT_TRUE(settings.error().message.contains(QLatin1String(plugin)))
            << settings.error().message.toStdString();
        EXPECT_FALSE(settings.error().toString().contains(QStringLiteral("abc123secretvalue")));
    }
}

TEST(ConnectionSettings, ProxyUrls) {
    auto http = proxyFromUrl(QStringLiteral("http://proxy.corp:3128"));
    ASSERT_TRUE(http.ok());
    EXPECT_EQ(http->type(), QNetworkProxy::HttpProxy);
    EXPECT_EQ(http->port(), 3128);
    auto socks = proxyFromUrl(QStringLiteral("socks5://user:pw-secret@127.0.0.1"));
    ASSERT_TRUE(socks.ok());
    EXPECT_EQ(socks->type(), QNetworkProxy::Socks5Proxy);
    EXPECT_EQ(socks->user(), QStringLiteral("user"));
    EXPECT_FALSE(proxyFromUrl(QStringLiteral("ftp://x")).ok());
}

// Review item 9: an https:// proxy-url became a plaintext proxy on port 80, so proxy credentials went
// out in clear. Qt cannot speak TLS to a proxy: refuse it and say what to use instead.
TEST(ConnectionSettings, HttpsProxyUrlsAreRefused) {
    auto https = proxyFromUrl(QStringLiteral("https://user:pw-secret-https@proxy.corp:3128"));
    ASSERT_FALSE(https.ok());
    EXPECT_EQ(https.error().code, Error::Code::Invalid);
    EXPECT_TRUE(https.error().message.contains(QStringLiteral("https://proxy.corp:3128")))
        << https.error().message.toStdString();
    EXPECT_TRUE(https.error().message.contains(QStringLiteral("http://")))
        << https.error().message.toStdString();
    EXPECT_FALSE(https.error().toString().contains(QStringLiteral("pw-secret-https")));

    const QByteArray yaml = "clusters:\n- name: c\n  cluster: {server: 'https://c.example', proxy-url: "
                            "'https://proxy.corp:3128'}\n"
                            "contexts:\n- name: x\n  context: {cluster: c}\ncurrent-context: x\n";
    auto config = parseKubeconfig(yaml, QStringLiteral("/tmp/https-proxy"));
    ASSERT_TRUE(config.ok()) << config.error().toString().toStdString();
    auto settings = connectionSettings(*config);
    ASSERT_FALSE(settings.ok());
    EXPECT_TRUE(settings.error().message.contains(QStringLiteral("cluster \"c\"")))
        << settings.error().message.toStdString();
}
