#include "serverclient.h"

#include <gtest/gtest.h>

using namespace driftdeck::kubesim;
using namespace driftdeck::kubesim::test;

namespace {

class ServerAuthTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(cluster.start().ok()); }
    SimulatedCluster cluster;
    ServerClient client{cluster};
};

TEST_F(ServerAuthTest, RequestsWithoutCredentialsAreUnauthorized) {
    const Reply reply = client.get(QStringLiteral("/api/v1/namespaces"), As::Anonymous);
    EXPECT_EQ(reply.status, 401);
    EXPECT_EQ(reply.json.value(QStringLiteral("kind")).toString(), QStringLiteral("Status"));
    EXPECT_EQ(reply.json.value(QStringLiteral("reason")).toString(), QStringLiteral("Unauthorized"));
}

TEST_F(ServerAuthTest, WrongTokenIsUnauthorizedAndNotEchoed) {
    const Reply reply = client.get(QStringLiteral("/api/v1/namespaces"), As::BadToken);
    EXPECT_EQ(reply.status, 401);
    EXPECT_FALSE(reply.body.contains("not-the-token"));
}

TEST_F(ServerAuthTest, AdminCertificateReadsAndWrites) {
    EXPECT_EQ(client.get(QStringLiteral("/api/v1/namespaces/default")).status, 200);
    EXPECT_EQ(
        client.post(QStringLiteral("/api/v1/namespaces/default/configmaps"), configMap(QStringLiteral("a")))
            .status,
        201);
}

// The forbiddenResources fault refuses a resource to everyone, as a missing RBAC role would, until
// it is cleared; the other resources stay readable, and the setting survives its JSON form.
TEST_F(ServerAuthTest, AForbiddenResourcesFaultRefusesThatResourceToEveryoneUntilCleared) {
    FaultSettings faults;
    faults.forbiddenResources = {QStringLiteral("configmaps")};
    EXPECT_EQ(FaultSettings::fromJson(faults.toJson()).forbiddenResources, faults.forbiddenResources);
    cluster.setFaults(faults);
    const Reply refused = client.get(QStringLiteral("/api/v1/namespaces/default/configmaps"));
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(
        refused.json.value(QStringLiteral("message")).toString(),
        QStringLiteral("configmaps is forbidden: User \"admin\" cannot list resource \"configmaps\" in API "
                       "group \"\" in the namespace \"default\""));
    EXPECT_EQ(client.get(QStringLiteral("/api/v1/namespaces/default/configmaps"), As::Viewer).status, 403);
    EXPECT_EQ(client.get(QStringLiteral("/api/v1/namespaces/default/secrets")).status, 200);
    cluster.setFaults({});
    EXPECT_EQ(client.get(QStringLiteral("/api/v1/namespaces/default/configmaps")).status, 200);
}

TEST_F(ServerAuthTest, ViewerReadsButCannotWrite) {
    EXPECT_EQ(client.get(QStringLiteral("/api/v1/namespaces/default/configmaps"), As::Viewer).status, 200);
    const Reply denied = client.post(QStringLiteral("/api/v1/namespaces/default/configmaps"),
                                     configMap(QStringLiteral("a")), As::Viewer);
    EXPECT_EQ(denied.status, 403);
    EXPECT_EQ(denied.json.value(QStringLiteral("reason")).toString(), QStringLiteral("Forbidden"));
    EXPECT_EQ(denied.json.value(QStringLiteral("message")).toString(),
              QStringLiteral(
                  "configmaps is forbidden: User \"viewer\" cannot create resource \"configmaps\" in API "
                  "group \"\" in the namespace \"default\""));
    const Reply deleteDenied = client.send(
        "DELETE", QStringLiteral("/apis/apps/v1/namespaces/default/deployments/web"), {}, As::Viewer);
    EXPECT_EQ(deleteDenied.status, 403);
    EXPECT_EQ(deleteDenied.json.value(QStringLiteral("message")).toString(),
              QStringLiteral("deployments.apps \"web\" is forbidden: User \"viewer\" cannot delete resource "
                             "\"deployments\" in API group \"apps\" in the namespace \"default\""));
    const Reply clusterScoped =
        client.send("DELETE", QStringLiteral("/api/v1/namespaces/default"), {}, As::Viewer);
    EXPECT_EQ(clusterScoped.status, 403);
    EXPECT_TRUE(clusterScoped.json.value(QStringLiteral("message"))
                    .toString()
                    .endsWith(QStringLiteral("at the cluster scope")));
}

TEST_F(ServerAuthTest, FaultEndpointIsAdminOnly) {
    const QByteArray body = R"({"latencyMs": 5})";
    EXPECT_EQ(client.send("POST", QStringLiteral("/kubesim/faults"), body, As::Viewer).status, 403);
    ServerClient admin(cluster); // a fresh client: QNAM may reuse the viewer's certificate-less connection
    const Reply ok = admin.send("POST", QStringLiteral("/kubesim/faults"), body);
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.json.value(QStringLiteral("latencyMs")).toInt(), 5);
}

TEST_F(ServerAuthTest, InjectedThrottlingAnswers429WithRetryAfter) {
    FaultSettings faults;
    faults.throttleRate = 1.0;
    faults.retryAfterSeconds = 7;
    cluster.setFaults(faults);
    const Reply reply = client.get(QStringLiteral("/api/v1/namespaces"));
    EXPECT_EQ(reply.status, 429);
    EXPECT_EQ(reply.header("Retry-After"), "7");
    EXPECT_EQ(reply.json.value(QStringLiteral("reason")).toString(), QStringLiteral("TooManyRequests"));
    faults = {};
    faults.errorRate = 1.0;
    cluster.setFaults(faults);
    EXPECT_EQ(client.get(QStringLiteral("/api/v1/namespaces")).status, 500);
    cluster.setFaults({});
    EXPECT_EQ(client.get(QStringLiteral("/api/v1/namespaces")).status, 200);
}

TEST_F(ServerAuthTest, InjectedTokenRevocationRejectsTheNextTokenRequests) {
    FaultSettings faults;
    faults.rejectTokenRequests = 2;
    cluster.setFaults(faults);
    // Client certificates are not affected and do not count.
    EXPECT_EQ(client.get(QStringLiteral("/api/v1/namespaces")).status, 200);
    EXPECT_EQ(client.get(QStringLiteral("/api/v1/namespaces"), As::Viewer).status, 401);
    EXPECT_EQ(client.get(QStringLiteral("/api/v1/namespaces"), As::Viewer).status, 401);
    EXPECT_EQ(client.get(QStringLiteral("/api/v1/namespaces"), As::Viewer).status, 200);
}

TEST_F(ServerAuthTest, RefusedConnectionsRecoverAfterThePeriod) {
    FaultSettings faults;
    faults.refuseConnectionsMs = 1500;
    cluster.setFaults(faults);
    ServerClient refused(cluster); // new connections only: an open keep-alive connection stays up
    EXPECT_EQ(refused.get(QStringLiteral("/version")).status, 0);
    EXPECT_TRUE(driftdeck::test::waitUntil(
        [&]() {
            ServerClient later(cluster);
            return later.get(QStringLiteral("/version")).status == 200;
        },
        std::chrono::seconds(10)));
}

TEST_F(ServerAuthTest, DiscoveryListsGroupsAndResources) {
    const Reply groups = client.get(QStringLiteral("/apis"));
    ASSERT_EQ(groups.status, 200);
    EXPECT_TRUE(groups.body.contains("\"apps/v1\""));
    const Reply apps = client.get(QStringLiteral("/apis/apps/v1"));
    ASSERT_EQ(apps.status, 200);
    EXPECT_TRUE(apps.body.contains("\"deployments/scale\""));
    EXPECT_EQ(client.get(QStringLiteral("/apis/nope.example.com/v1")).status, 404);
    EXPECT_EQ(client.get(QStringLiteral("/version")).json.value(QStringLiteral("minor")).toString(),
              QStringLiteral("32"));
    QNetworkRequest aggregated = client.request(QStringLiteral("/apis"));
    aggregated.setRawHeader("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                                      "application/json");
    QNetworkReply* reply = client.nam().get(aggregated);
    ASSERT_TRUE(driftdeck::test::waitUntil([reply]() { return reply->isFinished(); }));
    EXPECT_TRUE(reply->header(QNetworkRequest::ContentTypeHeader)
                    .toString()
                    .contains(QStringLiteral("as=APIGroupDiscoveryList")));
    const QJsonObject list = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    EXPECT_EQ(list.value(QStringLiteral("kind")).toString(), QStringLiteral("APIGroupDiscoveryList"));
    EXPECT_TRUE(QJsonDocument(list).toJson().contains("\"horizontalpodautoscalers\""));
}

} // namespace
