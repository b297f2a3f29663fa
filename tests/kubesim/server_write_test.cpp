#include "serverclient.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace driftdeck::kubesim;
using namespace driftdeck::kubesim::test;

namespace {

const QString kConfigMaps = QStringLiteral("/api/v1/namespaces/default/configmaps");

class ServerWriteTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(cluster.start().ok()); }
    QString resourceVersion(const Reply& reply) const {
        return reply.json.value(QStringLiteral("metadata"))
            .toObject()
            .value(QStringLiteral("resourceVersion"))
            .toString();
    }
    SimulatedCluster cluster;
    ServerClient client{cluster};
};

TEST_F(ServerWriteTest, CreateSetsServerFieldsAndRejectsDuplicates) {
    const Reply created = client.post(kConfigMaps, configMap(QStringLiteral("a")));
    ASSERT_EQ(created.status, 201);
    const QJsonObject meta = created.json.value(QStringLiteral("metadata")).toObject();
    EXPECT_FALSE(meta.value(QStringLiteral("uid")).toString().isEmpty());
    EXPECT_FALSE(meta.value(QStringLiteral("creationTimestamp")).toString().isEmpty());
    EXPECT_FALSE(resourceVersion(created).isEmpty());
    const Reply again = client.post(kConfigMaps, configMap(QStringLiteral("a")));
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.json.value(QStringLiteral("reason")).toString(), QStringLiteral("AlreadyExists"));
    EXPECT_EQ(again.json.value(QStringLiteral("message")).toString(),
              QStringLiteral("configmaps \"a\" already exists"));
}

TEST_F(ServerWriteTest, MissingNamespaceIsNotFound) {
    const Reply reply =
        client.post(QStringLiteral("/api/v1/namespaces/nowhere/configmaps"), configMap(QStringLiteral("a")));
    EXPECT_EQ(reply.status, 404);
    EXPECT_EQ(reply.json.value(QStringLiteral("message")).toString(),
              QStringLiteral("namespaces \"nowhere\" not found"));
}

TEST_F(ServerWriteTest, StaleUpdateIsAConflict) {
    const Reply created = client.post(kConfigMaps, configMap(QStringLiteral("x")));
    QJsonObject first = created.json;
    QJsonObject second = created.json;
    first.insert(QStringLiteral("data"), QJsonObject{{QStringLiteral("k"), QStringLiteral("1")}});
    ASSERT_EQ(client.put(kConfigMaps + QStringLiteral("/x"), first).status, 200);
    second.insert(QStringLiteral("data"), QJsonObject{{QStringLiteral("k"), QStringLiteral("2")}});
    const Reply stale = client.put(kConfigMaps + QStringLiteral("/x"), second);
    EXPECT_EQ(stale.status, 409);
    EXPECT_EQ(stale.json.value(QStringLiteral("reason")).toString(), QStringLiteral("Conflict"));
    EXPECT_EQ(stale.json.value(QStringLiteral("message")).toString(),
              QStringLiteral(
                  "Operation cannot be fulfilled on configmaps \"x\": the object has been modified; please "
                  "apply your changes to the latest version and try again"));
}

TEST_F(ServerWriteTest, DryRunPersistsNothingAndKeepsResourceVersion) {
    const QString before = client.get(kConfigMaps)
                               .json.value(QStringLiteral("metadata"))
                               .toObject()
                               .value(QStringLiteral("resourceVersion"))
                               .toString();
    const Reply dry =
        client.post(kConfigMaps + QStringLiteral("?dryRun=All"), configMap(QStringLiteral("ghost")));
    EXPECT_EQ(dry.status, 201);
    EXPECT_EQ(dry.json.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("name")).toString(),
              QStringLiteral("ghost"));
    EXPECT_EQ(client.get(kConfigMaps + QStringLiteral("/ghost")).status, 404);
    const QString after = client.get(kConfigMaps)
                              .json.value(QStringLiteral("metadata"))
                              .toObject()
                              .value(QStringLiteral("resourceVersion"))
                              .toString();
    EXPECT_EQ(before, after);

    ASSERT_EQ(client.post(kConfigMaps, configMap(QStringLiteral("real"))).status, 201);
    EXPECT_EQ(client.send("DELETE", kConfigMaps + QStringLiteral("/real?dryRun=All")).status, 200);
    EXPECT_EQ(client.get(kConfigMaps + QStringLiteral("/real")).status, 200);
}

TEST_F(ServerWriteTest, OversizedBodyIs413) {
    QJsonObject cm = configMap(QStringLiteral("big"));
    cm.insert(QStringLiteral("data"),
              QJsonObject{{QStringLiteral("blob"), QString(4 * 1024 * 1024, QLatin1Char('x'))}});
    const Reply reply = client.post(kConfigMaps, cm);
    EXPECT_EQ(reply.status, 413);
    EXPECT_EQ(reply.json.value(QStringLiteral("message")).toString(),
              QStringLiteral("Request entity too large: limit is 3145728"));
}

TEST_F(ServerWriteTest, ObjectOverStorageLimitIs422) {
    QJsonObject cm = configMap(QStringLiteral("big"));
    cm.insert(QStringLiteral("data"),
              QJsonObject{{QStringLiteral("blob"), QString(2 * 1024 * 1024, QLatin1Char('x'))}});
    const Reply reply = client.post(kConfigMaps, cm);
    EXPECT_EQ(reply.status, 422);
    EXPECT_EQ(reply.json.value(QStringLiteral("reason")).toString(), QStringLiteral("RequestEntityTooLarge"));
}

TEST_F(ServerWriteTest, MergePatchAndNoOpKeepResourceVersion) {
    ASSERT_EQ(client.post(kConfigMaps, configMap(QStringLiteral("p"))).status, 201);
    const Reply patched = client.send("PATCH", kConfigMaps + QStringLiteral("/p"), R"({"data":{"a":"1"}})",
                                      As::Admin, "application/merge-patch+json");
    ASSERT_EQ(patched.status, 200);
    EXPECT_EQ(patched.json.value(QStringLiteral("data")).toObject().value(QStringLiteral("a")).toString(),
              QStringLiteral("1"));
    const Reply same = client.send("PATCH", kConfigMaps + QStringLiteral("/p"), R"({"data":{"a":"1"}})",
                                   As::Admin, "application/merge-patch+json");
    EXPECT_EQ(resourceVersion(same), resourceVersion(patched));
}

TEST_F(ServerWriteTest, GenerationFollowsSpecChangesOnly) {
    const QJsonObject deployment = QJsonDocument::fromJson(R"({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "web", "image": "nginx:1"}]}}}})")
                                       .object();
    const Reply created =
        client.post(QStringLiteral("/apis/apps/v1/namespaces/default/deployments"), deployment);
    ASSERT_EQ(created.status, 201) << created.body.constData();
    EXPECT_EQ(
        created.json.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("generation")).toInt(),
        1);
    const QString path = QStringLiteral("/apis/apps/v1/namespaces/default/deployments/web");
    const Reply labelled = client.send("PATCH", path, R"({"metadata":{"labels":{"team":"a"}}})", As::Admin,
                                       "application/merge-patch+json");
    EXPECT_EQ(labelled.json.value(QStringLiteral("metadata"))
                  .toObject()
                  .value(QStringLiteral("generation"))
                  .toInt(),
              1);
    const Reply scaled =
        client.send("PATCH", path, R"({"spec":{"replicas":3}})", As::Admin, "application/merge-patch+json");
    EXPECT_EQ(
        scaled.json.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("generation")).toInt(),
        2);
    const Reply scale = client.get(path + QStringLiteral("/scale"));
    EXPECT_EQ(scale.json.value(QStringLiteral("kind")).toString(), QStringLiteral("Scale"));
    EXPECT_EQ(scale.json.value(QStringLiteral("spec")).toObject().value(QStringLiteral("replicas")).toInt(),
              3);
}

TEST_F(ServerWriteTest, DeletingANamespaceDeletesItsContents) {
    ASSERT_EQ(client
                  .post(QStringLiteral("/api/v1/namespaces"),
                        QJsonObject{{QStringLiteral("metadata"),
                                     QJsonObject{{QStringLiteral("name"), QStringLiteral("team")}}}})
                  .status,
              201);
    ASSERT_EQ(
        client.post(QStringLiteral("/api/v1/namespaces/team/configmaps"), configMap(QStringLiteral("c")))
            .status,
        201);
    EXPECT_EQ(client.send("DELETE", QStringLiteral("/api/v1/namespaces/team")).status, 200);
    EXPECT_EQ(client.get(QStringLiteral("/api/v1/namespaces/team")).status, 404);
    EXPECT_EQ(client.get(QStringLiteral("/api/v1/namespaces/team/configmaps/c")).status, 404);
}

TEST_F(ServerWriteTest, CustomResourceDefinitionServesItsKind) {
    const QJsonObject crd = QJsonDocument::fromJson(R"({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced",
                 "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"]},
                 "versions": [{"name": "v1", "served": true, "storage": true,
                               "schema": {"openAPIV3Schema": {"type": "object"}}}]}})")
                                .object();
    ASSERT_EQ(
        client.post(QStringLiteral("/apis/apiextensions.k8s.io/v1/customresourcedefinitions"), crd).status,
        201);
    EXPECT_EQ(client.get(QStringLiteral("/apis/example.com/v1")).status, 200);
    const QJsonObject widget{
        {QStringLiteral("apiVersion"), QStringLiteral("example.com/v1")},
        {QStringLiteral("kind"), QStringLiteral("Widget")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("w1")}}},
        {QStringLiteral("spec"), QJsonObject{{QStringLiteral("size"), 3}}}};
    ASSERT_EQ(client.post(QStringLiteral("/apis/example.com/v1/namespaces/default/widgets"), widget).status,
              201);
    EXPECT_EQ(client.get(QStringLiteral("/apis/example.com/v1/namespaces/default/widgets"))
                  .json.value(QStringLiteral("items"))
                  .toArray()
                  .size(),
              1);
    ASSERT_EQ(client
                  .send("DELETE",
                        QStringLiteral(
                            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com"))
                  .status,
              200);
    EXPECT_EQ(client.get(QStringLiteral("/apis/example.com/v1/namespaces/default/widgets")).status, 404);
}

} // namespace
