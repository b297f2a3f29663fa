// Credentials and Secret values against kubesim: what a client's errors may show, and what LiveCache
// holds of a Secret.
#include "kube/clusterclient.h"
#include "kube/livecache.h"
#include "kubesimfixture.h"
#include "model/secretmask.h"
#include "testsupport.h"

#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::kube;
using namespace driftdeck::kube::test;

namespace {

QString errorText(const ApiReply& reply) {
    return reply.error ? reply.error->toString() : QString();
}

} // namespace

// Review item 12: one process-wide set redacted every client's errors with every credential ever
// seen. Each client now redacts with its own: the viewer's token (here echoed back by the server as
// an object name) is hidden in the viewer's errors, and is ordinary text for the admin client.
TEST_F(KubesimTest, EachClientRedactsItsOwnSecretsOnly) {
    const QString token = QString::fromLatin1(cluster->viewerToken());
    const QString path = objectPath(kConfigMaps, QStringLiteral("default"), token);
    ClusterClient viewer(settings(QStringLiteral("sim-viewer")));
    ClusterClient admin(settings(QStringLiteral("sim")));
    const ApiReply viewerReply = wait(viewer.get(path));
    ASSERT_EQ(viewerReply.httpStatus, 404) << errorText(viewerReply).toStdString();
    EXPECT_FALSE(errorText(viewerReply).contains(token)) << errorText(viewerReply).toStdString();
    EXPECT_TRUE(errorText(viewerReply).contains(QStringLiteral("<redacted>")))
        << errorText(viewerReply).toStdString();
    const ApiReply adminReply = wait(admin.get(path));
    ASSERT_EQ(adminReply.httpStatus, 404) << errorText(adminReply).toStdString();
    EXPECT_TRUE(errorText(adminReply).contains(token)) << errorText(adminReply).toStdString();

    EXPECT_EQ(viewer.secrets().redact(token), QStringLiteral("<redacted>"));
    EXPECT_EQ(admin.secrets().redact(token), token);
}

// A plugin that fails its refresh and prints the token it had handed out: the client's error names
// the plugin and its exit code, never the token.
TEST_F(KubesimTest, ExecPluginTokenNeverReachesTheErrors) {
    const QString counter = dir.filePath(QStringLiteral("runs"));
    const QString plugin = dir.filePath(QStringLiteral("plugin.sh"));
    writeFile(plugin,
              "#!/bin/sh\nn=$(cat '" + counter.toUtf8() +
                  "' 2>/dev/null || echo 0)\nn=$((n+1))\necho $n > '" + counter.toUtf8() +
                  "'\nif [ $n -gt 1 ]; then echo \"refresh failed; old token plugin-issued-token-4711\" >&2; "
                  "exit 3; fi\n"
                  "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                  "\"status\":{\"token\":\"plugin-issued-token-4711\"}}'\n",
              true);
    ConnectionSettings s = viewerWithoutToken();
    ExecConfig exec;
    exec.apiVersion = QStringLiteral("client.authentication.k8s.io/v1");
    exec.command = plugin;
    s.user.exec = exec;
    ClusterClient client(s);
    const ApiReply reply = wait(client.get(QStringLiteral("/api/v1/namespaces")));
    ASSERT_FALSE(reply.ok());
    EXPECT_EQ(reply.error->code, Error::Code::Unauthorized);
    EXPECT_TRUE(errorText(reply).contains(QStringLiteral("exit code 3"))) << errorText(reply).toStdString();
    EXPECT_TRUE(errorText(reply).contains(QStringLiteral("refresh failed")))
        << errorText(reply).toStdString();
    EXPECT_FALSE(errorText(reply).contains(QStringLiteral("plugin-issued-token-4711")))
        << errorText(reply).toStdString();
}

namespace {

QJsonObject secretObject(const QString& password, const QString& user) {
    const QJsonObject data{{QStringLiteral("password"), QString::fromLatin1(password.toUtf8().toBase64())},
                           {QStringLiteral("user"), QString::fromLatin1(user.toUtf8().toBase64())}};
    QJsonObject applied{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Secret")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("db")},
                                                 {QStringLiteral("namespace"), QStringLiteral("default")}}},
        {QStringLiteral("stringData"),
         QJsonObject{{QStringLiteral("password"), password}, {QStringLiteral("user"), user}}}};
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Secret")},
        {QStringLiteral("metadata"),
         QJsonObject{
             {QStringLiteral("name"), QStringLiteral("db")},
             {QStringLiteral("namespace"), QStringLiteral("default")},
             {QStringLiteral("annotations"),
              QJsonObject{{QStringLiteral("kubectl.kubernetes.io/last-applied-configuration"),
                           QString::fromUtf8(QJsonDocument(applied).toJson(QJsonDocument::Compact))}}}}},
        {QStringLiteral("data"), data}};
}

QString maskedField(const LiveCache& cache, const char* key) {
    const auto o = cache.object(QStringLiteral("default"), QStringLiteral("db"));
    return !o.isNull() ? o.json().value(QLatin1String("data")).toObject().value(QLatin1String(key)).toString()
                       : QString();
}

} // namespace

// Review item 12: LiveCache handed raw Secret data to the caller's thread.
TEST_F(KubesimTest, LiveCacheHoldsSecretValuesOnlyAsKeyedHashes) {
    ClusterClient client(settings(QStringLiteral("sim")));
    const QString password = QStringLiteral("first-plain-password");
    const QString user = QStringLiteral("db-admin-user");
    ASSERT_TRUE(wait(client.apply(kSecrets, secretObject(password, user))).ok());
    LiveCache cache(&client, kSecrets, QStringLiteral("default"));
    QList<LiveEvent> events;
    QObject::connect(&cache, &LiveCache::eventsReceived,
                     [&](const QList<LiveEvent>& batch) { events += batch; });
    cache.start();
    ASSERT_TRUE(driftdeck::test::waitUntil(
        [&] { return cache.isSynced() && !maskedField(cache, "user").isEmpty(); }, std::chrono::seconds(30)));
    const auto everything = [&] {
        QByteArray out;
        for (const kubeobj::Object& o : cache.objects())
            out += QJsonDocument(o.json()).toJson();
        for (const LiveEvent& e : std::as_const(events))
            out += QJsonDocument(e.object.json()).toJson();
        return out;
    };
    const QString userHash = maskedField(cache, "user");
    const QString passwordHash = maskedField(cache, "password");
    EXPECT_TRUE(isMaskedValue(userHash)) << userHash.toStdString();
    EXPECT_TRUE(isMaskedValue(passwordHash)) << passwordHash.toStdString();

    // The password changes through the watch: its hash changes, the user's stays.
    const QString changed = QStringLiteral("second-plain-password");
    ASSERT_TRUE(wait(client.apply(kSecrets, secretObject(changed, user))).ok());
    ASSERT_TRUE(driftdeck::test::waitUntil([&] { return maskedField(cache, "password") != passwordHash; },
                                           std::chrono::seconds(30)));
    EXPECT_TRUE(isMaskedValue(maskedField(cache, "password")));
    EXPECT_EQ(maskedField(cache, "user"), userHash);

    const QByteArray seen = everything();
    for (const QString& plain : {password, user, changed}) {
        EXPECT_FALSE(seen.contains(plain.toUtf8())) << plain.toStdString();
        EXPECT_FALSE(seen.contains(plain.toUtf8().toBase64())) << plain.toStdString();
    }
}
