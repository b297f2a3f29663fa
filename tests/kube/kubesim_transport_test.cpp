// The client's transport against a cluster (kubesim or the real server, kubesimfixture.h): object
// paths as the server decodes them, and limits on what is read.
#include "kube/clusterclient.h"
#include "kube/connectionsettings.h"
#include "kubesimfixture.h"
#include "testsupport.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::kube;
using namespace driftdeck::kube::test;

namespace {

QJsonObject clusterRole(const QString& name) {
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("rbac.authorization.k8s.io/v1")},
        {QStringLiteral("kind"), QStringLiteral("ClusterRole")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}},
        {QStringLiteral("rules"),
         QJsonArray{QJsonObject{{QStringLiteral("apiGroups"), QJsonArray{QString()}},
                                {QStringLiteral("resources"), QJsonArray{QStringLiteral("configmaps")}},
                                {QStringLiteral("verbs"), QJsonArray{QStringLiteral("get")}}}}}};
}

QString nameOf(const QJsonObject& object) {
    return object.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
}

// Whether the server holds an object of that name, read from a list of the collection, whose path
// does not carry the name: an encoding bug in object paths cannot hide itself here.
bool storedOnServer(ClusterClient& client, const ResourceInfo& resource, const QString& ns,
                    const QString& name) {
    const ApiReply list = wait(client.get(collectionPath(resource, ns)));
    EXPECT_TRUE(list.ok()) << (list.error ? list.error->toString().toStdString() : std::string());
    for (const QJsonValue& item : list.json().value(QLatin1String("items")).toArray()) {
        if (nameOf(item.toObject()) == name)
            return true;
    }
    return false;
}

} // namespace

// Review item 4: a name with ':' was percent-encoded twice ("system%253Aname") and every read, apply
// and delete of an RBAC system:* object failed.
TEST_F(KubesimTest, NamesWithColonsAndDotsAreSentEncodedOnce) {
    ClusterClient client(settings(adminContext()));
    const QString roleName = QStringLiteral("system:driftdeck-test");
    const ApiReply applied = wait(client.apply(kClusterRoles, clusterRole(roleName)));
    ASSERT_TRUE(applied.ok()) << applied.error->toString().toStdString();
    EXPECT_EQ(nameOf(applied.json()), roleName);
    EXPECT_TRUE(storedOnServer(client, kClusterRoles, QString(), roleName));

    const ApiReply got = wait(client.get(objectPath(kClusterRoles, QString(), roleName)));
    ASSERT_TRUE(got.ok()) << got.error->toString().toStdString();
    EXPECT_EQ(nameOf(got.json()), roleName);

    const ApiReply removed = wait(client.remove(kClusterRoles, QString(), roleName));
    ASSERT_TRUE(removed.ok()) << removed.error->toString().toStdString();
    EXPECT_FALSE(storedOnServer(client, kClusterRoles, QString(), roleName));

    // DNS-1123 names allow '.' and '-' besides letters and digits; they must pass untouched too.
    const QString cmName = QStringLiteral("app.config-v1.2");
    ASSERT_TRUE(wait(client.apply(kConfigMaps, cm(cmName, QStringLiteral("1")))).ok());
    EXPECT_TRUE(storedOnServer(client, kConfigMaps, testNamespace, cmName));
    const ApiReply patched = wait(client.mergePatch(
        kConfigMaps, testNamespace, cmName,
        QJsonObject{{QStringLiteral("data"), QJsonObject{{QStringLiteral("v"), QStringLiteral("2")}}}}));
    ASSERT_TRUE(patched.ok()) << patched.error->toString().toStdString();
    ASSERT_TRUE(wait(client.remove(kConfigMaps, testNamespace, cmName)).ok());
    EXPECT_FALSE(storedOnServer(client, kConfigMaps, testNamespace, cmName));
}

// Review (Low): reply bodies were read without a limit. Past maxReplyBytes the request stops with a
// TooLarge error naming the limit, and is not retried (it would be as large again).
TEST_F(KubesimTest, OversizedReplyIsTooLargeNamingTheLimit) {
    ClusterClient writer(settings(adminContext()));
    for (int i = 0; i < 20; ++i) {
        const ApiReply filled =
            wait(writer.apply(kConfigMaps, cm(QStringLiteral("filler-") + QString::number(i),
                                              QString(8000, QLatin1Char('f')))));
        ASSERT_TRUE(filled.ok()) << (filled.error ? filled.error->toString().toStdString() : std::string());
    }
    ConnectionSettings s = settings(adminContext());
    s.maxReplyBytes = 64 * 1024;
    ClusterClient client(s);
    const ApiReply small =
        wait(client.get(objectPath(kConfigMaps, testNamespace, QStringLiteral("filler-1"))));
    EXPECT_TRUE(small.ok()) << small.error->toString().toStdString();
    const ApiReply list = wait(client.get(collectionPath(kConfigMaps, testNamespace)));
    ASSERT_FALSE(list.ok());
    EXPECT_EQ(list.error->code, Error::Code::TooLarge);
    EXPECT_TRUE(list.error->message.contains(QStringLiteral("65536 bytes")))
        << list.error->message.toStdString();
    EXPECT_EQ(list.attempts, 1);
}

// A server with API Priority and Fairness (the real one) protects itself: once a reply shows it, the
// client stops throttling itself. One without it (kubesim) is held to the client's own limit, and
// so is every server when the settings do not defer.
TEST_F(KubesimTest, TheClientThrottlesItselfOnlyWhereTheServerHasNoPriorityAndFairness) {
    const bool flowControl = driftdeck::test::onRealKube();
    const auto heldBack = [](ClusterClient& client) {
        int throttled = 0;
        QList<QFuture<ApiReply>> replies;
        for (int i = 0; i < 3; ++i)
            replies.append(client.get(QStringLiteral("/version")));
        for (const QFuture<ApiReply>& future : replies) {
            const ApiReply reply = wait(future);
            EXPECT_TRUE(reply.ok());
            throttled += reply.throttledMs > 0 ? 1 : 0;
        }
        return throttled;
    };
    ConnectionSettings limited = settings(adminContext());
    limited.qps = 2;
    limited.burst = 1;
    ClusterClient client(limited);
    const ApiReply first = wait(client.get(QStringLiteral("/version")));
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first.serverFlowControl, flowControl);
    // Three at once after it: over the burst of 1 at 2 per second, at least two wait for a token.
    if (flowControl)
        EXPECT_EQ(heldBack(client), 0);
    else
        EXPECT_GE(heldBack(client), 2);

    limited.deferToServerFlowControl = false;
    ClusterClient strict(limited);
    ASSERT_TRUE(wait(strict.get(QStringLiteral("/version"))).ok());
    EXPECT_GE(heldBack(strict), 2);
}
