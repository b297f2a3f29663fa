// Exec credential plugins against kubesim: one refresh for many 401s, and a slow plugin that does
// not hold up the cluster's other work.
#include "kube/clusterclient.h"
#include "kube/livecache.h"
#include "kubesimfixture.h"
#include "testsupport.h"

#include <QFile>
#include <QScopeGuard>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::kube;
using namespace driftdeck::kube::test;

namespace {

// A plugin that counts its runs in `runs`. Run 1 hands out `firstToken`; later runs hand out the
// viewer token, and when `gated` they first touch started-<n> and wait for the file `release`.
QString writePlugin(const QTemporaryDir& dir, const QByteArray& firstToken, bool gated) {
    const QByteArray d = dir.path().toUtf8();
    const QString path = dir.filePath(QStringLiteral("plugin.sh"));
    QByteArray script = "#!/bin/sh\nn=$(cat '" + d +
                        "/runs' 2>/dev/null || echo 0)\nn=$((n+1))\necho $n > '" + d +
                        "/runs'\nif [ $n -eq 1 ]; then t='" + firstToken + "'; else t=\"$VIEWER_TOKEN\"\n";
    if (gated)
        script +=
            "  touch '" + d + "/started-'$n\n  while [ ! -f '" + d + "/release' ]; do sleep 0.05; done\n";
    script += "fi\nprintf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
              "\"status\":{\"token\":\"%s\"}}' \"$t\"\n";
    writeFile(path, script, true);
    return path;
}

int runs(const QTemporaryDir& dir) {
    return driftdeck::test::readFile(dir.filePath(QStringLiteral("runs"))).trimmed().toInt();
}

ExecConfig pluginConfig(const QString& path, const QByteArray& viewerToken) {
    ExecConfig exec;
    exec.apiVersion = QStringLiteral("client.authentication.k8s.io/v1");
    exec.command = path;
    exec.env.append({QStringLiteral("VIEWER_TOKEN"), QString::fromLatin1(viewerToken)});
    return exec;
}

} // namespace

// Review item 8: every request that got a 401 threw away the token the previous retry had just
// fetched, so N concurrent 401s ran the plugin N times.
TEST_F(KubesimTest, ConcurrentUnauthorizedRequestsRefreshThePluginOnce) {
    QTemporaryDir plugins;
    ConnectionSettings s = viewerWithoutToken();
    s.user.exec = pluginConfig(writePlugin(plugins, "stale-token-from-cache", false), cluster->viewerToken());
    ClusterClient client(s);
    QList<QFuture<ApiReply>> replies;
    for (int i = 0; i < 10; ++i)
        replies.append(client.get(QStringLiteral("/api/v1/namespaces")));
    for (QFuture<ApiReply>& f : replies) {
        const ApiReply reply = wait(f);
        EXPECT_TRUE(reply.ok()) << (reply.error ? reply.error->toString().toStdString() : std::string());
    }
    EXPECT_EQ(runs(plugins), 2); // the stale token, then one refresh for all ten 401s
}

// Review item 8: the plugin ran synchronously on the cluster thread (up to 60 s), so every watch of
// the cluster stalled meanwhile. Asserted by order: while the plugin is held running, an edit made
// elsewhere reaches this client's LiveCache before the request waiting for the plugin completes.
TEST_F(KubesimTest, SlowPluginDoesNotHoldUpTheClustersWatch) {
    QTemporaryDir plugins;
    const QString release = plugins.filePath(QStringLiteral("release"));
    // Whatever happens below, the plugin must not wait for ever.
    const auto releasePlugin = qScopeGuard([&] { writeFile(release, "go"); });
    ConnectionSettings s = viewerWithoutToken();
    s.user.exec = pluginConfig(writePlugin(plugins, cluster->viewerToken(), true), cluster->viewerToken());
    ClusterClient client(s);
    ClusterClient admin(settings(QStringLiteral("sim")));
    LiveCache cache(&client, kConfigMaps, QStringLiteral("default"));
    cache.start();
    ASSERT_TRUE(driftdeck::test::waitUntil([&] { return cache.isSynced(); }, std::chrono::seconds(30)));
    const auto cacheHolds = [&](const QString& value) {
        const auto o = cache.object(QStringLiteral("default"), QStringLiteral("probe"));
        return !o.isNull() &&
               o.json().value(QLatin1String("data")).toObject().value(QLatin1String("v")).toString() == value;
    };
    ASSERT_TRUE(wait(admin.apply(kConfigMaps, configMap(QStringLiteral("probe"), QStringLiteral("1")))).ok());
    ASSERT_TRUE(driftdeck::test::waitUntil([&] { return cacheHolds(QStringLiteral("1")); },
                                           std::chrono::seconds(30)));

    // The server revokes the token: the next request gets a 401 and has to run the plugin again.
    kubesim::FaultSettings revoke;
    revoke.rejectTokenRequests = 1;
    cluster->setFaults(revoke);
    QFuture<ApiReply> waiting = client.get(QStringLiteral("/api/v1/namespaces"));
    ASSERT_TRUE(driftdeck::test::waitUntil(
        [&] { return QFile::exists(plugins.filePath(QStringLiteral("started-2"))); },
        std::chrono::seconds(30)));

    ASSERT_TRUE(wait(admin.apply(kConfigMaps, configMap(QStringLiteral("probe"), QStringLiteral("2")))).ok());
    EXPECT_TRUE(driftdeck::test::waitUntil([&] { return cacheHolds(QStringLiteral("2")); },
                                           std::chrono::seconds(30)));
    EXPECT_FALSE(waiting.isFinished()); // still waiting for the plugin, which is still held

    writeFile(release, "go");
    const ApiReply reply = wait(waiting);
    EXPECT_TRUE(reply.ok()) << (reply.error ? reply.error->toString().toStdString() : std::string());
    EXPECT_EQ(runs(plugins), 2);
}

// Review (Low): exec-plugin output was read without a limit. More than 1 MiB is TooLarge, and the
// plugin is stopped.
TEST_F(KubesimTest, ExecPluginOutputIsCapped) {
    QTemporaryDir plugins;
    const QString path = plugins.filePath(QStringLiteral("chatty.sh"));
    writeFile(path, "#!/bin/sh\nhead -c 2000000 /dev/zero | tr '\\000' 'a'\n", true);
    ConnectionSettings s = viewerWithoutToken();
    s.user.exec = pluginConfig(path, cluster->viewerToken());
    ClusterClient client(s);
    const ApiReply reply = wait(client.get(QStringLiteral("/api/v1/namespaces")));
    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.error->code, Error::Code::TooLarge) << reply.error->toString().toStdString();
    EXPECT_TRUE(reply.error->message.contains(QStringLiteral("1024 KiB")))
        << reply.error->message.toStdString();
}
