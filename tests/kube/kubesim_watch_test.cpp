// LiveCache's watch against kubesim when the stream misbehaves: silence on a half-open connection and
// oversized events.
#include "kube/clusterclient.h"
#include "kube/livecache.h"
#include "kubesimfixture.h"
#include "testsupport.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::kube;
using namespace driftdeck::kube::test;

namespace {

bool cacheHolds(const LiveCache& cache, const QString& name, const QString& value) {
    const auto o = cache.object(QStringLiteral("default"), name);
    return !o.isNull() &&
           o.json().value(QLatin1String("data")).toObject().value(QLatin1String("v")).toString() == value;
}

} // namespace

// Review item 5: a stream that goes silent (half-open connection) left the cache "synced" with stale
// objects for ever. Now silence beyond the watch's timeout plus a grace period aborts and resumes it.
TEST_F(KubesimTest, SilentWatchIsAbortedAndResumed) {
    ConnectionSettings s = settings(QStringLiteral("sim"));
    s.watchTimeoutMin = std::chrono::seconds(2);
    s.watchTimeoutMax = std::chrono::seconds(2);
    s.watchIdleGrace = std::chrono::milliseconds(1000);
    ClusterClient client(s);
    ASSERT_TRUE(wait(client.apply(kConfigMaps, configMap(QStringLiteral("cm"), QStringLiteral("0")))).ok());
    LiveCache cache(&client, kConfigMaps, QStringLiteral("default"));
    QStringList errors;
    QObject::connect(&cache, &LiveCache::errorOccurred, [&](const Error& e) { errors.append(e.message); });
    cache.start();
    ASSERT_TRUE(driftdeck::test::waitUntil([&] { return cache.isSynced(); }, std::chrono::seconds(30)));
    // An edit through the watch shows the stream is established.
    ASSERT_TRUE(wait(client.apply(kConfigMaps, configMap(QStringLiteral("cm"), QStringLiteral("1")))).ok());
    ASSERT_TRUE(driftdeck::test::waitUntil(
        [&] { return cacheHolds(cache, QStringLiteral("cm"), QStringLiteral("1")); },
        std::chrono::seconds(30)));

    kubesim::FaultSettings stall;
    stall.stallWatches = true;
    cluster->setFaults(stall);
    const auto silenceNoticed = [&] {
        for (const QString& e : std::as_const(errors)) {
            if (e.contains(QStringLiteral("delivered nothing")))
                return true;
        }
        return false;
    };
    EXPECT_TRUE(driftdeck::test::waitUntil(silenceNoticed, std::chrono::seconds(30)))
        << errors.join(QLatin1Char('\n')).toStdString();
    cluster->setFaults({});
    // Every stream open during the fault stays dead; the edit can only arrive over a resumed watch.
    ASSERT_TRUE(wait(client.apply(kConfigMaps, configMap(QStringLiteral("cm"), QStringLiteral("2")))).ok());
    EXPECT_TRUE(driftdeck::test::waitUntil(
        [&] { return cacheHolds(cache, QStringLiteral("cm"), QStringLiteral("2")); },
        std::chrono::seconds(30)));
    EXPECT_TRUE(cache.isSynced());
}

// Review (Low): the watch line buffer grew without bound. One event past maxWatchEventBytes stops the
// stream with an error; a relist brings the state, and the watch goes on from there.
TEST_F(KubesimTest, OversizedWatchEventStopsTheStreamAndRelists) {
    ConnectionSettings s = settings(QStringLiteral("sim"));
    s.maxWatchEventBytes = 4096;
    ClusterClient client(s);
    LiveCache cache(&client, kConfigMaps, QStringLiteral("default"));
    QStringList errors;
    QObject::connect(&cache, &LiveCache::errorOccurred, [&](const Error& e) {
        if (e.code == Error::Code::TooLarge)
            errors.append(e.message);
    });
    cache.start();
    ASSERT_TRUE(driftdeck::test::waitUntil([&] { return cache.isSynced(); }, std::chrono::seconds(30)));
    const QString big(10000, QLatin1Char('x'));
    ASSERT_TRUE(wait(client.apply(kConfigMaps, configMap(QStringLiteral("big"), big))).ok());
    EXPECT_TRUE(driftdeck::test::waitUntil([&] { return !errors.isEmpty(); }, std::chrono::seconds(30)));
    ASSERT_FALSE(errors.isEmpty());
    EXPECT_TRUE(errors.first().contains(QStringLiteral("4096 bytes"))) << errors.first().toStdString();
    // The list (not limited per event) brings the object; the watch then carries on.
    EXPECT_TRUE(driftdeck::test::waitUntil([&] { return cacheHolds(cache, QStringLiteral("big"), big); },
                                           std::chrono::seconds(30)));
    ASSERT_TRUE(
        wait(client.apply(kConfigMaps, configMap(QStringLiteral("small"), QStringLiteral("1")))).ok());
    EXPECT_TRUE(driftdeck::test::waitUntil(
        [&] { return cacheHolds(cache, QStringLiteral("small"), QStringLiteral("1")); },
        std::chrono::seconds(30)));
}
