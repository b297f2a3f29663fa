// The client's transport against kubesim: object paths as the server decodes them, TLS and proxy
// settings that must be refused, and limits on what is read.
#include "kube/clusterclient.h"
#include "kube/connectionsettings.h"
#include "kubesim/objectstore.h"
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

// The name the simulated server stored, read from its store rather than through the client.
bool storedOnServer(kubesim::SimulatedCluster& cluster, const QString& group, const QString& kind,
                    const QString& ns, const QString& name) {
    bool found = false;
    cluster.withStore([&](kubesim::ObjectStore& store) {
        const auto type = store.registry().findKind(group, kind);
        found = type && store.get(*type, ns, name).has_value();
    });
    return found;
}

} // namespace

// Review item 4: a name with ':' was percent-encoded twice ("system%253Aname") and every read, apply
// and delete of an RBAC system:* object failed.
TEST_F(KubesimTest, NamesWithColonsAndDotsAreSentEncodedOnce) {
    ClusterClient client(settings(QStringLiteral("sim")));
    const QString roleName = QStringLiteral("system:driftdeck-test");
    const ApiReply applied = wait(client.apply(kClusterRoles, clusterRole(roleName)));
    ASSERT_TRUE(applied.ok()) << applied.error->toString().toStdString();
    EXPECT_EQ(nameOf(applied.json()), roleName);
    EXPECT_TRUE(storedOnServer(*cluster, QStringLiteral("rbac.authorization.k8s.io"),
                               QStringLiteral("ClusterRole"), QString(), roleName));

    const ApiReply got = wait(client.get(objectPath(kClusterRoles, QString(), roleName)));
    ASSERT_TRUE(got.ok()) << got.error->toString().toStdString();
    EXPECT_EQ(nameOf(got.json()), roleName);

    const ApiReply removed = wait(client.remove(kClusterRoles, QString(), roleName));
    ASSERT_TRUE(removed.ok()) << removed.error->toString().toStdString();
    EXPECT_FALSE(storedOnServer(*cluster, QStringLiteral("rbac.authorization.k8s.io"),
                                QStringLiteral("ClusterRole"), QString(), roleName));

    // DNS-1123 names allow '.' and '-' besides letters and digits; they must pass untouched too.
    const QString cmName = QStringLiteral("app.config-v1.2");
    ASSERT_TRUE(wait(client.apply(kConfigMaps, configMap(cmName, QStringLiteral("1")))).ok());
    EXPECT_TRUE(
        storedOnServer(*cluster, QString(), QStringLiteral("ConfigMap"), QStringLiteral("default"), cmName));
    const ApiReply patched = wait(client.mergePatch(
        kConfigMaps, QStringLiteral("default"), cmName,
        QJsonObject{{QStringLiteral("data"), QJsonObject{{QStringLiteral("v"), QStringLiteral("2")}}}}));
    ASSERT_TRUE(patched.ok()) << patched.error->toString().toStdString();
    ASSERT_TRUE(wait(client.remove(kConfigMaps, QStringLiteral("default"), cmName)).ok());
    EXPECT_FALSE(
        storedOnServer(*cluster, QString(), QStringLiteral("ConfigMap"), QStringLiteral("default"), cmName));
}

// Review (Low): reply bodies were read without a limit. Past maxReplyBytes the request stops with a
// TooLarge error naming the limit, and is not retried (it would be as large again).
TEST_F(KubesimTest, OversizedReplyIsTooLargeNamingTheLimit) {
    cluster->withStore([](kubesim::ObjectStore& store) {
        const auto type = store.registry().findKind(QString(), QStringLiteral("ConfigMap"));
        for (int i = 0; i < 20; ++i)
            store.create(*type, configMap(QStringLiteral("filler-") + QString::number(i),
                                          QString(8000, QLatin1Char('f'))));
    });
    ConnectionSettings s = settings(QStringLiteral("sim"));
    s.maxReplyBytes = 64 * 1024;
    ClusterClient client(s);
    const ApiReply small =
        wait(client.get(objectPath(kConfigMaps, QStringLiteral("default"), QStringLiteral("filler-1"))));
    EXPECT_TRUE(small.ok()) << small.error->toString().toStdString();
    const ApiReply list = wait(client.get(collectionPath(kConfigMaps, QStringLiteral("default"))));
    ASSERT_FALSE(list.ok());
    EXPECT_EQ(list.error->code, Error::Code::TooLarge);
    EXPECT_TRUE(list.error->message.contains(QStringLiteral("65536 bytes")))
        << list.error->message.toStdString();
    EXPECT_EQ(list.attempts, 1);
}
