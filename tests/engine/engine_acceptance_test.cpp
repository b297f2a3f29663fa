// Acceptance of "Reconcile and act" at the engine (parts 5 and 6): a fleet of kubesim clusters with
// one unreachable and one answering a fifth of its requests with 500 or 429 still gives every other
// application its status, without a crash or a hang, within the test's bounded waits (and the ctest
// TIMEOUT); auto-sync with selfHeal puts a live edit back; a kind refused by RBAC is compared once
// it is granted.
#include "cliacceptsupport.h"
#include "testsupport.h"

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace driftdeck;
using namespace driftdeck::engine;
using namespace driftdeck::engine::test;

namespace {

// A hand edit as `kubectl edit` makes it: a merge patch (an Update, not an apply).
bool editGreeting(kube::ClusterClient* client, const QString& ns, const QString& greeting) {
    const kube::ResourceInfo configMaps{u""_s, u"v1"_s, u"ConfigMap"_s, u"configmaps"_s, true, {}};
    QFuture<kube::ApiReply> reply = client->mergePatch(
        configMaps, ns, u"shop-config"_s, QJsonObject{{u"data"_s, QJsonObject{{u"greeting"_s, greeting}}}});
    return driftdeck::test::waitUntil([&] { return reply.isFinished(); }, std::chrono::seconds(20)) &&
           reply.result().ok();
}

TEST(EngineAcceptance, AFaultyFleetStillGivesEveryOtherApplicationItsStatus) {
    constexpr int kClusters = 5; // kubesim clusters, and one more that is unreachable
    constexpr int kAppsPerCluster = 20;
    TestFleet fleet;
    if (!fleet.requireKubesim()) // five clusters, one of them answering with faults
        return;
    ASSERT_TRUE(fleet.start(kClusters, true));
    for (int i = 0; i < kAppsPerCluster; ++i)
        fleet.writeApp(u"app%1"_s.arg(i), u"value %1"_s.arg(i));
    fleet.repo().commitAll(u"twenty applications"_s);
    fleet.repo().push();
    // Cluster c0 answers a fifth of its requests with 500 InternalError or 429 TooManyRequests.
    kubesim::FaultSettings faults;
    faults.errorRate = 0.1;
    faults.throttleRate = 0.1;
    fleet.cluster(0)->setFaults(faults);

    QList<AppSpec> apps;
    QStringList clusters;
    for (int c = 0; c < kClusters; ++c)
        clusters.append(u"c%1"_s.arg(c));
    clusters.append(u"dead"_s);
    for (const QString& cluster : std::as_const(clusters))
        for (int i = 0; i < kAppsPerCluster; ++i) {
            AppSpec spec = fleet.appSpec(u"%1-app%2"_s.arg(cluster).arg(i), cluster);
            spec.path = u"apps/app%1"_s.arg(i);
            apps.append(spec);
        }
    EngineSettings settings = fleet.settings();
    settings.historyPath = u"-"_s;
    Engine engine(fleet.workspace(apps), settings);
    engine.start();

    // Nothing was synced: every application on a reachable cluster is OutOfSync (its objects are
    // missing), every one on the dead cluster is in Error naming it.
    const bool reached = waitForSnapshot(
        engine,
        [&](const FleetSnapshot& s) {
            if (s.applications.isEmpty())
                return false;
            for (const AppStatus& app : s.applications) {
                const SyncStatus expected =
                    app.cluster == u"dead"_s ? SyncStatus::Error : SyncStatus::OutOfSync;
                if (app.sync != expected)
                    return false;
            }
            return true;
        },
        std::chrono::seconds(120));
    const Snapshot snapshot = engine.snapshot();
    QString report;
    for (const AppStatus& app : snapshot->applications)
        if (app.sync != (app.cluster == u"dead"_s ? SyncStatus::Error : SyncStatus::OutOfSync))
            report += app.name + u": "_s + syncStatusName(app.sync) + u' ' +
                      (app.error ? app.error->toString() : QString()) + u'\n';
    ASSERT_TRUE(reached) << report.toStdString();
    EXPECT_EQ(snapshot->applications.size(), kAppsPerCluster * (kClusters + 1));
    for (const AppStatus& app : snapshot->applications) {
        if (app.cluster != u"dead"_s) {
            EXPECT_EQ(app.count(diff::ObjectDiff::State::Missing), 3) << app.name.toStdString();
        }
    }
    EXPECT_EQ(snapshot->cluster(u"dead"_s)->connection, ConnectionState::Unreachable);
    for (int c = 1; c < kClusters; ++c)
        EXPECT_EQ(snapshot->cluster(clusters[c])->connection, ConnectionState::Connected);
}

TEST(EngineAcceptance, AutoSyncWithSelfHealPutsALiveEditBack) {
    TestFleet fleet;
    ASSERT_TRUE(fleet.start(1));
    fleet.writeApp(u"shop"_s, u"hello"_s);
    fleet.repo().commitAll(u"shop"_s);
    fleet.repo().push();
    AppSpec spec = fleet.appSpec(u"shop"_s, u"c0"_s);
    spec.syncPolicy.automated = true;
    spec.syncPolicy.selfHeal = true;
    EngineSettings settings = fleet.settings();
    settings.historyPath = u"-"_s;
    settings.autoSync = true;
    Engine engine(fleet.workspace({spec}), settings);
    int syncs = 0;
    QObject::connect(&engine, &Engine::operationFinished, &engine, [&](const OperationResult& result) {
        if (result.kind == u"sync"_s && result.ok)
            ++syncs;
    });
    engine.start();

    // The new commit is synced on its own. (On the real server a Deployment still rolling out may
    // be repaired once more by selfHeal: at least one sync, and it ends Synced.)
    ASSERT_TRUE(waitForSnapshot(engine,
                                [&](const FleetSnapshot& s) {
                                    return s.application(u"shop"_s) &&
                                           s.application(u"shop"_s)->sync == SyncStatus::Synced && syncs >= 1;
                                }))
        << syncStatusName(engine.snapshot()->application(u"shop"_s)->sync).toStdString() << ", "
        << engine.snapshot()->application(u"shop"_s)->lastSyncResult.toStdString();
    ASSERT_EQ(greetingOf(fleet), u"hello"_s);

    // A hand edit is put back by a further automated sync.
    const int before = syncs;
    ASSERT_TRUE(editGreeting(fleet.client(0), fleet.ns(), u"edited by hand"_s));
    EXPECT_TRUE(waitForSnapshot(engine, [&](const FleetSnapshot& s) {
        return s.application(u"shop"_s)->sync == SyncStatus::Synced && syncs > before &&
               greetingOf(fleet) == u"hello";
    })) << engine.snapshot()->application(u"shop"_s)->lastSyncResult.toStdString();
    EXPECT_EQ(greetingOf(fleet), u"hello"_s);
}

// RBAC granted while Driftdeck runs: a kind the cluster refuses (403) is the error of the
// applications that need it, and once a role grants it the next list clears that error — no hard
// refresh, no restart.
TEST(EngineAcceptance, AKindRefusedByRbacIsComparedOnceItIsGranted) {
    TestFleet fleet;
    if (!fleet.requireKubesim()) // the refusal is a kubesim fault setting
        return;
    ASSERT_TRUE(fleet.start(1));
    fleet.writeApp(u"shop"_s, u"hello"_s);
    fleet.repo().commitAll(u"shop"_s);
    fleet.repo().push();
    kubesim::FaultSettings refused;
    refused.forbiddenResources = {u"configmaps"_s};
    fleet.cluster(0)->setFaults(refused);
    EngineSettings settings = fleet.settings();
    settings.historyPath = u"-"_s;
    Engine engine(fleet.workspace({fleet.appSpec(u"shop"_s, u"c0"_s)}), settings);
    engine.start();

    ASSERT_TRUE(waitForSnapshot(engine, [](const FleetSnapshot& s) {
        const AppStatus* shop = s.application(u"shop"_s);
        return shop && shop->error && shop->error->code == Error::Code::Forbidden;
    }));
    const Error error = *engine.snapshot()->application(u"shop"_s)->error;
    EXPECT_TRUE(error.message.contains(u"configmaps"_s)) << error.toString().toStdString();

    fleet.cluster(0)->setFaults({}); // the role now exists
    // Nothing was synced, so once ConfigMaps are readable shop is OutOfSync (missing objects), with
    // no error. The cache retries with a backoff of at most 30 s.
    EXPECT_TRUE(waitForSnapshot(
        engine,
        [](const FleetSnapshot& s) {
            const AppStatus* shop = s.application(u"shop"_s);
            return shop && !shop->error && shop->sync == SyncStatus::OutOfSync;
        },
        std::chrono::seconds(90)))
        << engine.snapshot()->application(u"shop"_s)->error.value_or(Error()).toString().toStdString();
}

} // namespace
