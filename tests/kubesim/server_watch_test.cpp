#include "kubesim/objectstore.h"
#include "serverclient.h"

#include <gtest/gtest.h>

using namespace driftdeck::kubesim;
using namespace driftdeck::kubesim::test;
using driftdeck::test::waitUntil;

namespace {

const QString kConfigMaps = QStringLiteral("/api/v1/namespaces/default/configmaps");

class ServerWatchTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(cluster.start().ok()); }
    static QString typeOf(const QJsonObject& event) { return event.value(QStringLiteral("type")).toString(); }
    static QString nameOf(const QJsonObject& event) {
        return event.value(QStringLiteral("object"))
            .toObject()
            .value(QStringLiteral("metadata"))
            .toObject()
            .value(QStringLiteral("name"))
            .toString();
    }
    SimulatedCluster cluster;
    ServerClient client{cluster};
};

TEST_F(ServerWatchTest, StreamsAddedModifiedDeleted) {
    ASSERT_EQ(client.post(kConfigMaps, configMap(QStringLiteral("before"))).status, 201);
    auto watch = client.watch(kConfigMaps + QStringLiteral("?watch=1"));
    ASSERT_TRUE(waitUntil([&]() { return watch->events.size() >= 1; }));
    EXPECT_EQ(typeOf(watch->events.at(0)), QStringLiteral("ADDED"));
    EXPECT_EQ(nameOf(watch->events.at(0)), QStringLiteral("before"));

    ASSERT_EQ(client.post(kConfigMaps, configMap(QStringLiteral("x"))).status, 201);
    ASSERT_EQ(client
                  .send("PATCH", kConfigMaps + QStringLiteral("/x"), R"({"data":{"a":"b"}})", As::Admin,
                        "application/merge-patch+json")
                  .status,
              200);
    ASSERT_EQ(client.send("DELETE", kConfigMaps + QStringLiteral("/x")).status, 200);
    ASSERT_TRUE(waitUntil([&]() { return watch->events.size() >= 4; }));
    EXPECT_EQ(typeOf(watch->events.at(1)), QStringLiteral("ADDED"));
    EXPECT_EQ(typeOf(watch->events.at(2)), QStringLiteral("MODIFIED"));
    EXPECT_EQ(typeOf(watch->events.at(3)), QStringLiteral("DELETED"));
    EXPECT_EQ(nameOf(watch->events.at(3)), QStringLiteral("x"));
    watch->reply->abort();
    watch->reply->deleteLater();
}

TEST_F(ServerWatchTest, ResumesFromResourceVersion) {
    const Reply first = client.post(kConfigMaps, configMap(QStringLiteral("one")));
    const QString rv = first.json.value(QStringLiteral("metadata"))
                           .toObject()
                           .value(QStringLiteral("resourceVersion"))
                           .toString();
    ASSERT_EQ(client.post(kConfigMaps, configMap(QStringLiteral("two"))).status, 201);
    ASSERT_EQ(client.post(kConfigMaps, configMap(QStringLiteral("three"))).status, 201);
    auto watch = client.watch(kConfigMaps + QStringLiteral("?watch=1&resourceVersion=") + rv);
    ASSERT_TRUE(waitUntil([&]() { return watch->events.size() >= 2; }));
    EXPECT_EQ(nameOf(watch->events.at(0)), QStringLiteral("two"));
    EXPECT_EQ(nameOf(watch->events.at(1)), QStringLiteral("three"));
    watch->reply->abort();
    watch->reply->deleteLater();
}

TEST_F(ServerWatchTest, TooOldResourceVersionIsGoneExpired) {
    const Reply first = client.post(kConfigMaps, configMap(QStringLiteral("old")));
    const QString rv = first.json.value(QStringLiteral("metadata"))
                           .toObject()
                           .value(QStringLiteral("resourceVersion"))
                           .toString();
    // Push the first event out of the kept window without a thousand HTTP round trips.
    cluster.withStore([](ObjectStore& store) {
        const ResourceType type =
            *store.registry().find({}, QStringLiteral("v1"), QStringLiteral("configmaps"));
        for (int i = 0; i < ObjectStore::kEventWindow + 10; ++i)
            store.create(type, configMap(QStringLiteral("filler-%1").arg(i)));
    });
    auto watch = client.watch(kConfigMaps + QStringLiteral("?watch=1&resourceVersion=") + rv);
    ASSERT_TRUE(waitUntil([&]() { return !watch->events.isEmpty(); }));
    const QJsonObject event = watch->events.at(0);
    EXPECT_EQ(typeOf(event), QStringLiteral("ERROR"));
    const QJsonObject status = event.value(QStringLiteral("object")).toObject();
    EXPECT_EQ(status.value(QStringLiteral("code")).toInt(), 410);
    EXPECT_EQ(status.value(QStringLiteral("reason")).toString(), QStringLiteral("Expired"));
    EXPECT_TRUE(waitUntil([&]() { return watch->reply->isFinished(); }));
    watch->reply->deleteLater();
}

TEST_F(ServerWatchTest, BookmarksAndTimeout) {
    auto watch =
        client.watch(kConfigMaps + QStringLiteral("?watch=1&allowWatchBookmarks=true&timeoutSeconds=2"));
    ASSERT_TRUE(waitUntil([&]() { return watch->reply->isFinished(); }, std::chrono::seconds(10)));
    bool sawBookmark = false;
    for (const QJsonObject& e : watch->events)
        sawBookmark = sawBookmark || typeOf(e) == QStringLiteral("BOOKMARK");
    EXPECT_TRUE(sawBookmark);
    EXPECT_EQ(watch->reply->error(), QNetworkReply::NoError);
    watch->reply->deleteLater();
}

TEST_F(ServerWatchTest, InjectedDropEndsStreams) {
    FaultSettings faults;
    faults.dropWatchSeconds = 1;
    cluster.setFaults(faults);
    auto watch = client.watch(kConfigMaps + QStringLiteral("?watch=1"));
    EXPECT_TRUE(waitUntil([&]() { return watch->reply->isFinished(); }, std::chrono::seconds(10)));
    watch->reply->deleteLater();
}

TEST_F(ServerWatchTest, InjectedStallSilencesStreamsForGood) {
    auto watch =
        client.watch(kConfigMaps + QStringLiteral("?watch=1&allowWatchBookmarks=true&timeoutSeconds=2"));
    // The first bookmark shows the stream is established before the fault is set.
    ASSERT_TRUE(waitUntil([&]() { return !watch->events.isEmpty(); }, std::chrono::seconds(10)));
    const qsizetype seen = watch->events.size();
    FaultSettings faults;
    faults.stallWatches = true;
    cluster.setFaults(faults);
    ASSERT_EQ(client.post(kConfigMaps, configMap(QStringLiteral("unseen"))).status, 201);
    cluster.setFaults({});
    ASSERT_EQ(client.post(kConfigMaps, configMap(QStringLiteral("unseen-too"))).status, 201);
    // A stream started later ends at its (later) timeout; the stalled one neither ends nor speaks.
    auto healthy = client.watch(kConfigMaps + QStringLiteral("?watch=1&timeoutSeconds=3"));
    ASSERT_TRUE(waitUntil([&]() { return healthy->reply->isFinished(); }, std::chrono::seconds(20)));
    EXPECT_EQ(healthy->events.size(), 2);
    EXPECT_FALSE(watch->reply->isFinished());
    EXPECT_EQ(watch->events.size(), seen);
    watch->reply->abort();
    watch->reply->deleteLater();
    healthy->reply->deleteLater();
}

TEST_F(ServerWatchTest, LabelSelectedWatchSkipsOthers) {
    auto watch = client.watch(kConfigMaps + QStringLiteral("?watch=1&labelSelector=app%3Dweb"));
    ASSERT_EQ(client
                  .post(kConfigMaps,
                        configMap(QStringLiteral("other"), {{QStringLiteral("app"), QStringLiteral("db")}}))
                  .status,
              201);
    ASSERT_EQ(client
                  .post(kConfigMaps,
                        configMap(QStringLiteral("mine"), {{QStringLiteral("app"), QStringLiteral("web")}}))
                  .status,
              201);
    ASSERT_TRUE(waitUntil([&]() { return !watch->events.isEmpty(); }));
    EXPECT_EQ(nameOf(watch->events.at(0)), QStringLiteral("mine"));
    watch->reply->abort();
    watch->reply->deleteLater();
}

} // namespace
