#include "kube/clusterclient.h"
#include "kube/credentialsource.h"
#include "kube/redaction.h"
#include "testapiserver.h"
#include "testsupport.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <gtest/gtest.h>
#include <set>

using namespace driftdeck;
using namespace driftdeck::kube;
using driftdeck::kube::test::TestApiServer;

namespace {

ConnectionSettings settingsFor(const TestApiServer& server) {
    ConnectionSettings s;
    s.contextName = QStringLiteral("unit");
    s.clusterName = QStringLiteral("unit");
    s.server = QUrl(server.url());
    s.requestTimeout = std::chrono::seconds(10);
    return s;
}

ApiReply wait(QFuture<ApiReply> future) {
    EXPECT_TRUE(driftdeck::test::waitUntil([&] { return future.isFinished(); }, std::chrono::seconds(20)));
    if (!future.isFinished() || future.isCanceled() || future.resultCount() == 0)
        return {};
    return future.result();
}

TestApiServer::Reply ok(const QByteArray& body = "{\"kind\":\"ConfigMap\"}") {
    TestApiServer::Reply r;
    r.body = body;
    return r;
}

void writeFile(const QString& path, const QByteArray& content, bool executable = false) {
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
    file.close();
    if (executable)
        file.setPermissions(file.permissions() | QFileDevice::ExeOwner);
}

} // namespace

TEST(ClusterClient, GetSendsBearerTokenAndReturnsBody) {
    TestApiServer server;
    server.start([](const TestApiServer::Request&) { return ok(); });
    ConnectionSettings s = settingsFor(server);
    s.user.token = SecretString(QStringLiteral("plain-static-token"));
    ClusterClient client(s);
    const ApiReply reply = wait(client.get(QStringLiteral("/api/v1/namespaces/a/configmaps/b")));
    ASSERT_TRUE(reply.ok()) << reply.error->toString().toStdString();
    EXPECT_EQ(reply.httpStatus, 200);
    EXPECT_EQ(reply.json().value(QLatin1String("kind")).toString(), QStringLiteral("ConfigMap"));
    ASSERT_EQ(server.requests().size(), 1);
    EXPECT_EQ(server.requests()[0].headers.value("authorization"), QByteArray("Bearer plain-static-token"));
    EXPECT_EQ(server.requests()[0].path, QStringLiteral("/api/v1/namespaces/a/configmaps/b"));
}

TEST(ClusterClient, BasicAuth) {
    TestApiServer server;
    server.start([](const TestApiServer::Request&) { return ok(); });
    ConnectionSettings s = settingsFor(server);
    s.user.username = QStringLiteral("admin");
    s.user.password = SecretString(QStringLiteral("pa55word-basic"));
    ClusterClient client(s);
    ASSERT_TRUE(wait(client.get(QStringLiteral("/api"))).ok());
    EXPECT_EQ(server.requests()[0].headers.value("authorization"),
              "Basic " + QByteArray("admin:pa55word-basic").toBase64());
}

TEST(ClusterClient, RetriesGetOn5xxAndDroppedConnections) {
    std::atomic<int> n{0};
    TestApiServer server;
    server.start([&](const TestApiServer::Request&) {
        const int i = ++n;
        if (i == 1)
            return TestApiServer::status(503, QStringLiteral("ServiceUnavailable"),
                                         QStringLiteral("warming up"));
        if (i == 2) {
            TestApiServer::Reply drop;
            drop.drop = true;
            return drop;
        }
        return ok();
    });
    ClusterClient client(settingsFor(server));
    const ApiReply reply = wait(client.get(QStringLiteral("/api")));
    ASSERT_TRUE(reply.ok()) << reply.error->toString().toStdString();
    // Qt itself resends once when a reused connection closes without an answer, so the drop may not
    // cost an attempt of ours; the server saw all three requests either way.
    EXPECT_GE(reply.attempts, 2);
    EXPECT_EQ(server.requestCount(), 3);
}

TEST(ClusterClient, PostIsNotRetriedOn500ButIsRetriedOn429) {
    std::atomic<int> n{0};
    TestApiServer server;
    server.start([&](const TestApiServer::Request& r) {
        if (r.path == QLatin1String("/fail"))
            return TestApiServer::status(500, QStringLiteral("InternalError"), QStringLiteral("boom"));
        if (++n == 1) {
            auto reply =
                TestApiServer::status(429, QStringLiteral("TooManyRequests"), QStringLiteral("slow down"));
            reply.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("1")));
            return reply;
        }
        return ok();
    });
    ClusterClient client(settingsFor(server));
    ApiRequest post;
    post.method = "POST";
    post.path = QStringLiteral("/fail");
    post.body = "{}";
    const ApiReply failed = wait(client.send(post));
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error->code, Error::Code::Unavailable);
    EXPECT_TRUE(failed.error->message.contains(QStringLiteral("boom")));
    EXPECT_EQ(failed.attempts, 1);

    post.path = QStringLiteral("/create");
    const ApiReply created = wait(client.send(post));
    ASSERT_TRUE(created.ok());
    EXPECT_EQ(created.attempts, 2);
}

TEST(ClusterClient, GivesUpAfterMaxRetriesWithTheLastError) {
    TestApiServer server;
    server.start([](const TestApiServer::Request&) {
        return TestApiServer::status(500, QStringLiteral("InternalError"), QStringLiteral("etcd is down"));
    });
    ConnectionSettings s = settingsFor(server);
    s.maxRetries = 2;
    ClusterClient client(s);
    const ApiReply reply = wait(client.get(QStringLiteral("/api")));
    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.attempts, 3);
    EXPECT_EQ(reply.httpStatus, 500);
    EXPECT_TRUE(reply.error->message.contains(QStringLiteral("etcd is down")));
}

TEST(ClusterClient, TimeoutAndCancellation) {
    TestApiServer server;
    server.start([](const TestApiServer::Request&) {
        TestApiServer::Reply slow = ok();
        slow.delayMs = 4000;
        return slow;
    });
    ClusterClient client(settingsFor(server));
    ApiRequest request;
    request.path = QStringLiteral("/slow");
    request.timeout = std::chrono::milliseconds(200);
    request.maxRetries = 0;
    const ApiReply timedOut = wait(client.send(request));
    ASSERT_FALSE(timedOut.ok());
    EXPECT_EQ(timedOut.error->code, Error::Code::Unavailable);
    EXPECT_TRUE(timedOut.error->message.contains(QStringLiteral("no answer within")))
        << timedOut.error->message.toStdString();

    request.timeout = std::chrono::seconds(30);
    QFuture<ApiReply> future = client.send(request);
    ASSERT_TRUE(driftdeck::test::waitUntil([&] { return server.requestCount() >= 2; }));
    future.cancel();
    EXPECT_TRUE(driftdeck::test::waitUntil([&] { return future.isFinished(); }, std::chrono::seconds(3)));
    EXPECT_TRUE(future.isCanceled());
}

TEST(ClusterClient, UnauthorizedAndForbiddenAreTypedWithTheServersMessage) {
    TestApiServer server;
    server.start([](const TestApiServer::Request& r) {
        if (r.path.endsWith(QLatin1String("/secrets")))
            return TestApiServer::status(
                403, QStringLiteral("Forbidden"),
                QStringLiteral("secrets is forbidden: User \"viewer\" cannot list resource \"secrets\""));
        return TestApiServer::status(401, QStringLiteral("Unauthorized"), QStringLiteral("Unauthorized"));
    });
    ConnectionSettings s = settingsFor(server);
    s.user.token = SecretString(QStringLiteral("viewer-token-abcdef"));
    ClusterClient client(s);
    const ApiReply forbidden = wait(client.get(QStringLiteral("/api/v1/secrets")));
    ASSERT_FALSE(forbidden.ok());
    EXPECT_EQ(forbidden.error->code, Error::Code::Forbidden);
    EXPECT_EQ(forbidden.status.reason, QStringLiteral("Forbidden"));
    EXPECT_TRUE(forbidden.error->message.contains(QStringLiteral("cannot list resource \"secrets\"")));
    const ApiReply unauthorized = wait(client.get(QStringLiteral("/api")));
    ASSERT_FALSE(unauthorized.ok());
    EXPECT_EQ(unauthorized.error->code, Error::Code::Unauthorized);
    EXPECT_EQ(unauthorized.attempts, 1); // a static token is not refreshed
}

TEST(ClusterClient, TokenFileIsReadAgainWhenItChanges) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("token"));
    writeFile(path, "first-file-token\n");
    TestApiServer server;
    server.start([](const TestApiServer::Request&) { return ok(); });
    ConnectionSettings s = settingsFor(server);
    s.user.tokenFile = path;
    ClusterClient client(s);
    ASSERT_TRUE(wait(client.get(QStringLiteral("/a"))).ok());
    writeFile(path, "second-file-token\n");
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadWrite));
    file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(5), QFileDevice::FileModificationTime);
    file.close();
    ASSERT_TRUE(wait(client.get(QStringLiteral("/b"))).ok());
    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2);
    EXPECT_EQ(requests[0].headers.value("authorization"), QByteArray("Bearer first-file-token"));
    EXPECT_EQ(requests[1].headers.value("authorization"), QByteArray("Bearer second-file-token"));
}

namespace {

// A plugin that counts its runs in a file and hands out token "exec-token-<run>".
QString writeCountingPlugin(const QTemporaryDir& dir, const QString& expiry = {}) {
    const QString script = dir.filePath(QStringLiteral("plugin.sh"));
    const QString counter = dir.filePath(QStringLiteral("runs"));
    QByteArray text =
        "#!/bin/sh\n"
        "n=$(cat '" +
        counter.toUtf8() +
        "' 2>/dev/null || echo 0)\n"
        "n=$((n+1))\n"
        "echo $n > '" +
        counter.toUtf8() +
        "'\n"
        "cat > /dev/null\n" // stdin is closed: this must not block
        "echo \"$KUBERNETES_EXEC_INFO\" > '" +
        dir.filePath(QStringLiteral("info")).toUtf8() +
        "'\n"
        "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
        "\"status\":{\"token\":\"exec-token-%s\"" +
        (expiry.isEmpty() ? QByteArray() : ",\"expirationTimestamp\":\"" + expiry.toUtf8() + "\"") +
        "}}' \"$n\"\n";
    writeFile(script, text, true);
    return script;
}

int pluginRuns(const QTemporaryDir& dir) {
    return driftdeck::test::readFile(dir.filePath(QStringLiteral("runs"))).trimmed().toInt();
}

ExecConfig pluginConfig(const QString& command) {
    ExecConfig exec;
    exec.apiVersion = QStringLiteral("client.authentication.k8s.io/v1");
    exec.command = command;
    exec.interactiveMode = QStringLiteral("Never");
    exec.provideClusterInfo = true;
    return exec;
}

} // namespace

TEST(ClusterClient, ExecPluginIsCachedAndRefreshedOnceOn401) {
    QTemporaryDir dir;
    const QString plugin = writeCountingPlugin(dir);
    QMutex mutex;
    std::set<QByteArray> accepted{"Bearer exec-token-1"};
    TestApiServer server;
    server.start([&](const TestApiServer::Request& r) {
        QMutexLocker lock(&mutex);
        if (!accepted.count(r.headers.value("authorization")))
            return TestApiServer::status(401, QStringLiteral("Unauthorized"), QStringLiteral("Unauthorized"));
        return ok();
    });
    ConnectionSettings s = settingsFor(server);
    s.user.exec = pluginConfig(plugin);
    ClusterClient client(s);
    ASSERT_TRUE(wait(client.get(QStringLiteral("/1"))).ok());
    ASSERT_TRUE(wait(client.get(QStringLiteral("/2"))).ok());
    EXPECT_EQ(pluginRuns(dir), 1); // cached
    const QJsonObject info =
        QJsonDocument::fromJson(driftdeck::test::readFile(dir.filePath(QStringLiteral("info")))).object();
    EXPECT_EQ(info.value(QLatin1String("kind")).toString(), QStringLiteral("ExecCredential"));
    EXPECT_FALSE(
        info.value(QLatin1String("spec")).toObject().value(QLatin1String("interactive")).toBool(true));
    EXPECT_EQ(info.value(QLatin1String("spec"))
                  .toObject()
                  .value(QLatin1String("cluster"))
                  .toObject()
                  .value(QLatin1String("server"))
                  .toString(),
              server.url());
    {
        QMutexLocker lock(&mutex);
        accepted = {"Bearer exec-token-2"}; // the first token was revoked
    }
    const ApiReply refreshed = wait(client.get(QStringLiteral("/3")));
    ASSERT_TRUE(refreshed.ok()) << refreshed.error->toString().toStdString();
    EXPECT_EQ(pluginRuns(dir), 2);
    {
        QMutexLocker lock(&mutex);
        accepted.clear();
    }
    const ApiReply denied = wait(client.get(QStringLiteral("/4")));
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.error->code, Error::Code::Unauthorized);
    EXPECT_EQ(pluginRuns(dir), 3); // refreshed once for this request, not in a loop
}

TEST(ClusterClient, ExecCredentialExpiryIsHonoured) {
    QTemporaryDir dir;
    const QString past = QDateTime::currentDateTimeUtc().addSecs(-60).toString(Qt::ISODate);
    const QString plugin = writeCountingPlugin(dir, past);
    TestApiServer server;
    server.start([](const TestApiServer::Request&) { return ok(); });
    ConnectionSettings s = settingsFor(server);
    s.user.exec = pluginConfig(plugin);
    ClusterClient client(s);
    ASSERT_TRUE(wait(client.get(QStringLiteral("/1"))).ok());
    ASSERT_TRUE(wait(client.get(QStringLiteral("/2"))).ok());
    EXPECT_EQ(pluginRuns(dir), 2);
}

TEST(ClusterClient, ExecPluginProblemsAreClearErrors) {
    TestApiServer server;
    server.start([](const TestApiServer::Request&) { return ok(); });
    ConnectionSettings s = settingsFor(server);
    ExecConfig missing = pluginConfig(QStringLiteral("driftdeck-no-such-plugin"));
    missing.installHint = QStringLiteral("Install it with: apt install no-such-plugin");
    s.user.exec = missing;
    {
        ClusterClient client(s);
        const ApiReply reply = wait(client.get(QStringLiteral("/")));
        ASSERT_FALSE(reply.ok());
        EXPECT_TRUE(reply.error->message.contains(QStringLiteral("apt install no-such-plugin")))
            << reply.error->message.toStdString();
    }
    ExecConfig interactive = pluginConfig(QStringLiteral("/bin/true"));
    interactive.interactiveMode = QStringLiteral("Always");
    s.user.exec = interactive;
    {
        ClusterClient client(s);
        const ApiReply reply = wait(client.get(QStringLiteral("/")));
        ASSERT_FALSE(reply.ok());
        EXPECT_TRUE(reply.error->message.contains(QStringLiteral("cannot run interactive plugins")))
            << reply.error->message.toStdString();
        EXPECT_TRUE(reply.error->message.contains(QStringLiteral("terminal")));
    }
    EXPECT_EQ(server.requestCount(), 0);
}

TEST(ClusterClient, ConnectionRefusedIsUnavailableNamingTheCluster) {
    quint16 port = 0;
    {
        TestApiServer probe;
        probe.start({});
        port = QUrl(probe.url()).port();
    }
    ConnectionSettings s;
    s.contextName = QStringLiteral("gone-cluster");
    s.server = QUrl(QStringLiteral("http://127.0.0.1:") + QString::number(port));
    s.maxRetries = 1;
    ClusterClient client(s);
    const ApiReply reply = wait(client.get(QStringLiteral("/api")));
    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.error->code, Error::Code::Unavailable);
    EXPECT_TRUE(reply.error->message.contains(QStringLiteral("gone-cluster")))
        << reply.error->message.toStdString();
}

TEST(ClusterClient, HttpProxyFromProxyUrlCarriesTheRequests) {
    TestApiServer proxy;
    proxy.start([](const TestApiServer::Request&) { return ok(); });
    ConnectionSettings s;
    s.contextName = QStringLiteral("behind-proxy");
    s.server = QUrl(QStringLiteral("http://cluster.invalid:6443"));
    auto configured = proxyFromUrl(proxy.url());
    ASSERT_TRUE(configured.ok());
    s.proxy = *configured;
    ClusterClient client(s);
    const ApiReply reply = wait(client.get(QStringLiteral("/api/v1/namespaces")));
    ASSERT_TRUE(reply.ok()) << reply.error->toString().toStdString();
    ASSERT_EQ(proxy.requests().size(), 1);
    EXPECT_EQ(proxy.requests()[0].path, QStringLiteral("/api/v1/namespaces"));
    EXPECT_EQ(proxy.requests()[0].headers.value("host"), QByteArray("cluster.invalid:6443"));
}

TEST(CredentialSource, ReadsRsaAndEcClientKeysInEveryPemForm) {
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        GTEST_SKIP() << "openssl is not installed";
    QTemporaryDir dir;
    const QStringList forms[] = {
        {QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("RSA"),
         QStringLiteral("-pkeyopt"), QStringLiteral("rsa_keygen_bits:2048")},
        {QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("EC"),
         QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256")},
        {QStringLiteral("ecparam"), QStringLiteral("-name"), QStringLiteral("prime256v1"),
         QStringLiteral("-genkey"), QStringLiteral("-noout")},
    };
    for (const QStringList& args : forms) {
        const auto generated = driftdeck::test::runProcess(openssl, args);
        ASSERT_EQ(generated.exitCode, 0) << generated.err.toStdString();
        auto key = parsePrivateKey(generated.out);
        ASSERT_TRUE(key.ok()) << args.join(QLatin1Char(' ')).toStdString();
        EXPECT_FALSE(key->isNull());
        EXPECT_EQ(key->algorithm(), args.contains(QStringLiteral("RSA")) ? QSsl::Rsa : QSsl::Ec);
        // The key never shows up in text that leaves the library.
        EXPECT_FALSE(
            redact(QString::fromLatin1(generated.out)).contains(QStringLiteral("PRIVATE KEY-----\n")));
    }
    auto bad = parsePrivateKey("-----BEGIN PRIVATE KEY-----\nnotakey\n-----END PRIVATE KEY-----\n");
    ASSERT_FALSE(bad.ok());
    EXPECT_FALSE(bad.error().message.contains(QStringLiteral("notakey")));
}
