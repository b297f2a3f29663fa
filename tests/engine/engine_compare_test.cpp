// The engine's comparison loop against kubesim clusters (or the real control plane, with one
// cluster) and a Git repository built by the test:
// status of a synced fleet, live edits and new commits showing as drift, missing and extra objects,
// a failed render and an unreachable cluster that do not hold up the rest.
#include "diff/pairing.h"
#include "enginetestsupport.h"
#include "testsupport.h"

#include <QJsonArray>

#include <gtest/gtest.h>
#include <optional>

using namespace Qt::StringLiterals;
using namespace driftdeck;
using namespace driftdeck::engine;
using namespace driftdeck::engine::test;

namespace {

// Puts an application's objects on a cluster as a sync would: applied by driftdeck's field
// manager, with the application's tracking id.
void seed(kube::ClusterClient* client, const QString& ns, const QString& app, const QString& value,
          int replicas = 2) {
    for (QJsonObject object : appObjects(app, value, replicas)) {
        QJsonObject metadata = object.value(u"metadata").toObject();
        metadata.insert(u"namespace"_s, ns);
        QJsonObject withNamespace = object;
        withNamespace.insert(u"metadata"_s, metadata);
        const ResourceKey key = ResourceKey::fromObject(withNamespace);
        metadata.insert(u"annotations"_s,
                        QJsonObject{{u"driftdeck.io/tracking-id"_s, diff::trackingId(app, key)}});
        object.insert(u"metadata"_s, metadata);
        ASSERT_TRUE(applyAs(client, object, u"driftdeck"_s)) << app.toStdString();
    }
}

const AppStatus* app(const FleetSnapshot& snapshot, const QString& name) {
    return snapshot.application(name);
}

SyncStatus syncOf(const FleetSnapshot& snapshot, const QString& name) {
    const AppStatus* status = snapshot.application(name);
    return status ? status->sync : SyncStatus::Unknown;
}

// On kubesim shop and blog live on two clusters; the real control plane is one cluster, so there
// blog shares c0 with shop (in the same namespace: what one application sees of the other is still
// asserted, only the second cluster is not).
const QString kBlogCluster = driftdeck::test::onRealKube() ? u"c0"_s : u"c1"_s;

class EngineCompareTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(fleet.start(kBlogCluster == u"c1"_s ? 2 : 1, true));
        fleet.writeApp(u"shop"_s, u"hello"_s);
        fleet.writeApp(u"blog"_s, u"bonjour"_s);
        fleet.writeApp(u"far"_s, u"hola"_s);
        fleet.repo().write(u"apps/broken/bad.yaml"_s, "kind: [unclosed\n");
        fleet.repo().commitAll(u"four applications"_s);
        fleet.repo().push();
        seed(fleet.client(0), fleet.ns(), u"shop"_s, u"hello"_s);
        seed(fleet.client(kBlogCluster == u"c1"_s ? 1 : 0), fleet.ns(), u"blog"_s, u"bonjour"_s);
    }

    std::unique_ptr<Engine> startEngine(std::optional<EngineSettings> settings = std::nullopt) {
        auto engine = std::make_unique<Engine>(
            fleet.workspace({fleet.appSpec(u"shop"_s, u"c0"_s), fleet.appSpec(u"blog"_s, kBlogCluster),
                             fleet.appSpec(u"far"_s, u"dead"_s), fleet.appSpec(u"broken"_s, u"c0"_s)}),
            settings.value_or(fleet.settings()));
        engine->start();
        return engine;
    }

    TestFleet fleet;
};

TEST_F(EngineCompareTest, SyncedApplicationsAreSyncedAndTheOthersSayWhy) {
    auto engine = startEngine();
    ASSERT_TRUE(waitForSnapshot(*engine,
                                [](const FleetSnapshot& s) {
                                    return syncOf(s, u"shop"_s) == SyncStatus::Synced &&
                                           syncOf(s, u"blog"_s) == SyncStatus::Synced &&
                                           syncOf(s, u"broken"_s) == SyncStatus::Error &&
                                           syncOf(s, u"far"_s) == SyncStatus::Error;
                                }))
        << "shop " << syncStatusName(syncOf(*engine->snapshot(), u"shop"_s)).toStdString() << ", far "
        << syncStatusName(syncOf(*engine->snapshot(), u"far"_s)).toStdString();

    const Snapshot snapshot = engine->snapshot();
    const AppStatus* shop = app(*snapshot, u"shop"_s);
    ASSERT_EQ(shop->resources.size(), 3);
    EXPECT_EQ(shop->commitId, fleet.repo().remoteRev(u"main"_s));
    for (const ResourceStatus& resource : shop->resources)
        EXPECT_EQ(resource.diff.state, diff::ObjectDiff::State::Synced)
            << resource.key.toString().toStdString();

    // The render failure names the file; the unreachable cluster is reported on the cluster.
    const AppStatus* broken = app(*snapshot, u"broken"_s);
    ASSERT_TRUE(broken->error.has_value());
    EXPECT_TRUE(broken->error->toString().contains(u"bad.yaml"_s)) << broken->error->toString().toStdString();
    const ClusterStatus* dead = snapshot->cluster(u"dead"_s);
    ASSERT_NE(dead, nullptr);
    EXPECT_EQ(dead->connection, ConnectionState::Unreachable);
    ASSERT_TRUE(dead->error.has_value());
    EXPECT_FALSE(dead->error->toString().contains(u"not-a-real-token"_s));
    EXPECT_EQ(snapshot->cluster(u"c0"_s)->connection, ConnectionState::Connected);

    // The controllers (kubesim's, or the real controller-manager with kwok) roll the Deployment out:
    // the application becomes Healthy.
    EXPECT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        return s.application(u"shop"_s)->health.status == health::HealthStatus::Healthy;
    })) << engine->snapshot()->application(u"shop"_s)->health.message.toStdString();
}

TEST_F(EngineCompareTest, TheDeploymentsReplicaSetsAndPodsAreItsChildren) {
    auto engine = startEngine();
    // kubesim's controllers make a ReplicaSet for shop's Deployment and two Pods for it.
    ASSERT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        const AppStatus* shop = s.application(u"shop"_s);
        if (!shop)
            return false;
        int pods = 0;
        for (const ChildStatus& child : shop->children)
            pods += child.key.kind == u"Pod" ? 1 : 0;
        return shop->sync == SyncStatus::Synced && pods == 2;
    }));
    const AppStatus* shop = engine->snapshot()->application(u"shop"_s);
    QString deploymentUid;
    for (const ResourceStatus& resource : shop->resources)
        if (resource.key.kind == u"Deployment")
            deploymentUid = resource.uid;
    ASSERT_FALSE(deploymentUid.isEmpty());
    QString replicaSetUid;
    for (const ChildStatus& child : shop->children)
        if (child.key.kind == u"ReplicaSet") {
            EXPECT_EQ(child.ownerUid, deploymentUid);
            EXPECT_EQ(child.owner.kind, u"Deployment"_s);
            replicaSetUid = child.uid;
        }
    ASSERT_FALSE(replicaSetUid.isEmpty());
    for (const ChildStatus& child : shop->children)
        if (child.key.kind == u"Pod") {
            EXPECT_EQ(child.ownerUid, replicaSetUid);
            EXPECT_EQ(child.owner.kind, u"ReplicaSet"_s);
        }
    // Children are not drift: the application stays Synced, and blog has none of shop's.
    for (const ChildStatus& child : engine->snapshot()->application(u"blog"_s)->children)
        EXPECT_FALSE(child.key.name.startsWith(u"shop"_s)) << child.key.toString().toStdString();
}

TEST_F(EngineCompareTest, ALiveEditShowsAsOutOfSyncThroughTheWatch) {
    auto engine = startEngine();
    // Both applications compared first: the end of the test says the other one was not touched.
    ASSERT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        return syncOf(s, u"shop"_s) == SyncStatus::Synced && syncOf(s, u"blog"_s) == SyncStatus::Synced;
    }));
    const quint64 before = engine->snapshot()->generation;
    const quint64 comparedBefore = engine->snapshot()->application(u"shop"_s)->comparedObjects;

    QJsonObject edited{
        {u"apiVersion"_s, u"v1"_s},
        {u"kind"_s, u"ConfigMap"_s},
        {u"metadata"_s, QJsonObject{{u"name"_s, u"shop-config"_s}, {u"namespace"_s, fleet.ns()}}},
        {u"data"_s, QJsonObject{{u"greeting"_s, u"edited by hand"_s}}}};
    ASSERT_TRUE(applyAs(fleet.client(0), edited, u"kubectl-edit"_s));

    ASSERT_TRUE(waitForSnapshot(
        *engine, [](const FleetSnapshot& s) { return syncOf(s, u"shop"_s) == SyncStatus::OutOfSync; }));
    const Snapshot snapshot = engine->snapshot();
    EXPECT_GT(snapshot->generation, before);
    const AppStatus* shop = app(*snapshot, u"shop"_s);
    ASSERT_EQ(shop->count(diff::ObjectDiff::State::OutOfSync), 1);
    // Only what changed was compared again: the Service kept its earlier result.
    EXPECT_LT(shop->comparedObjects - comparedBefore, quint64(shop->resources.size()));
    for (const ResourceStatus& resource : shop->resources) {
        if (resource.diff.state != diff::ObjectDiff::State::OutOfSync)
            continue;
        EXPECT_EQ(resource.key.name, u"shop-config"_s);
        ASSERT_FALSE(resource.diff.changes.isEmpty());
        EXPECT_EQ(resource.diff.changes.first().pointer, u"/data/greeting"_s);
    }
    // The other application (on the other cluster, on kubesim) was not touched.
    EXPECT_EQ(syncOf(*snapshot, u"blog"_s), SyncStatus::Synced);
}

TEST_F(EngineCompareTest, ANewCommitShowsAfterAFetch) {
    auto engine = startEngine();
    ASSERT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        return syncOf(s, u"blog"_s) == SyncStatus::Synced && syncOf(s, u"shop"_s) == SyncStatus::Synced;
    }));

    fleet.writeApp(u"blog"_s, u"salut"_s);
    const QString commit = fleet.repo().commitAll(u"blog: new greeting"_s);
    fleet.repo().push();
    engine->refresh(u"blog"_s);

    ASSERT_TRUE(waitForSnapshot(*engine, [&](const FleetSnapshot& s) {
        return s.application(u"blog"_s)->commitId == commit && syncOf(s, u"blog"_s) == SyncStatus::OutOfSync;
    }));
    EXPECT_EQ(syncOf(*engine->snapshot(), u"shop"_s), SyncStatus::Synced);
}

TEST_F(EngineCompareTest, ANewRenderIsComparedWithoutWaitingForTheLiveEventDebounce) {
    // The debounce coalesces bursts of live events; a finished render has nothing to coalesce. With
    // a debounce longer than every wait here, the status must still follow the new commit.
    EngineSettings settings = fleet.settings();
    settings.debounce = std::chrono::minutes(10);
    auto engine = startEngine(settings);
    ASSERT_TRUE(waitForSnapshot(
        *engine, [](const FleetSnapshot& s) { return syncOf(s, u"blog"_s) == SyncStatus::Synced; }));
    fleet.writeApp(u"blog"_s, u"salut"_s);
    const QString commit = fleet.repo().commitAll(u"blog: new greeting"_s);
    fleet.repo().push();
    engine->refresh(u"blog"_s);
    EXPECT_TRUE(waitForSnapshot(*engine, [&](const FleetSnapshot& s) {
        return s.application(u"blog"_s)->commitId == commit && syncOf(s, u"blog"_s) == SyncStatus::OutOfSync;
    }));
}

TEST_F(EngineCompareTest, MissingAndExtraObjectsAreReportedOnlyWhenTracked) {
    // Not on the cluster: the Service. Extra: a ConfigMap tracked by shop that Git no longer has.
    // Ignored: a ConfigMap nobody tracks.
    kube::ResourceInfo services{u""_s, u"v1"_s, u"Service"_s, u"services"_s, true, {}};
    QFuture<kube::ApiReply> removed = fleet.client(0)->remove(services, fleet.ns(), u"shop"_s);
    ASSERT_TRUE(driftdeck::test::waitUntil([&] { return removed.isFinished(); }));
    ASSERT_TRUE(removed.result().ok());
    const ResourceKey extraKey{u""_s, u"ConfigMap"_s, fleet.ns(), u"shop-old"_s};
    QJsonObject extra{
        {u"apiVersion"_s, u"v1"_s},
        {u"kind"_s, u"ConfigMap"_s},
        {u"metadata"_s,
         QJsonObject{{u"name"_s, u"shop-old"_s},
                     {u"namespace"_s, fleet.ns()},
                     {u"annotations"_s,
                      QJsonObject{{u"driftdeck.io/tracking-id"_s, diff::trackingId(u"shop"_s, extraKey)}}}}}};
    ASSERT_TRUE(applyAs(fleet.client(0), extra, u"driftdeck"_s));
    QJsonObject untracked{
        {u"apiVersion"_s, u"v1"_s},
        {u"kind"_s, u"ConfigMap"_s},
        {u"metadata"_s, QJsonObject{{u"name"_s, u"someone-else"_s}, {u"namespace"_s, fleet.ns()}}}};
    ASSERT_TRUE(applyAs(fleet.client(0), untracked, u"kubectl"_s));

    auto engine = startEngine();
    ASSERT_TRUE(waitForSnapshot(
        *engine, [](const FleetSnapshot& s) { return syncOf(s, u"shop"_s) == SyncStatus::OutOfSync; }));
    const AppStatus* shop = app(*engine->snapshot(), u"shop"_s);
    QStringList compared;
    for (const ResourceStatus& resource : shop->resources)
        compared.append(resource.key.toString());
    EXPECT_EQ(shop->count(diff::ObjectDiff::State::Missing), 1) << compared.join(u", "_s).toStdString();
    EXPECT_EQ(shop->count(diff::ObjectDiff::State::Extra), 1) << compared.join(u", "_s).toStdString();
    for (const ResourceStatus& resource : shop->resources) {
        EXPECT_NE(resource.key.name, u"someone-else"_s);
        if (resource.diff.state == diff::ObjectDiff::State::Missing) {
            EXPECT_EQ(resource.key.kind, u"Service"_s);
        }
        if (resource.diff.state == diff::ObjectDiff::State::Extra) {
            EXPECT_EQ(resource.key.toString(), extraKey.toString());
        }
    }
    // A missing object makes the application Missing in health, not Healthy.
    EXPECT_NE(shop->health.status, health::HealthStatus::Healthy);
}

TEST_F(EngineCompareTest, UnchangedInputsAreNotComparedAgain) {
    auto engine = startEngine();
    // Healthy, and so are its ReplicaSet and both Pods: the rollout is over, so the controllers (and
    // on the real server kwok, which reports the Pods' status a little later) no longer change
    // shop's objects.
    ASSERT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        const AppStatus* shop = s.application(u"shop"_s);
        if (!shop)
            return false;
        int healthyPods = 0;
        bool childrenHealthy = !shop->children.isEmpty();
        for (const ChildStatus& child : shop->children) {
            childrenHealthy = childrenHealthy && child.health.status == health::HealthStatus::Healthy;
            healthyPods += child.key.kind == u"Pod" ? 1 : 0;
        }
        return shop->sync == SyncStatus::Synced && shop->health.status == health::HealthStatus::Healthy &&
               childrenHealthy && healthyPods == 2;
    }));
    const quint64 compares = engine->snapshot()->application(u"shop"_s)->compareCount;
    // A commit outside shop's path: shop's render input (its tree) is unchanged.
    fleet.repo().write(u"README.md"_s, "docs\n");
    const QString commit = fleet.repo().commitAll(u"docs only"_s);
    fleet.repo().push();
    engine->refresh();
    ASSERT_TRUE(waitForSnapshot(*engine, [&](const FleetSnapshot& s) {
        return s.application(u"shop"_s)->commitId == commit && s.application(u"blog"_s)->commitId == commit;
    }));
    EXPECT_EQ(engine->snapshot()->application(u"shop"_s)->compareCount, compares);
    EXPECT_EQ(syncOf(*engine->snapshot(), u"shop"_s), SyncStatus::Synced);

    // A change inside its path is compared again.
    fleet.writeApp(u"shop"_s, u"hello again"_s);
    const QString second = fleet.repo().commitAll(u"shop: greeting"_s);
    fleet.repo().push();
    engine->refresh();
    ASSERT_TRUE(waitForSnapshot(*engine, [&](const FleetSnapshot& s) {
        return s.application(u"shop"_s)->commitId == second && syncOf(s, u"shop"_s) == SyncStatus::OutOfSync;
    }));
    EXPECT_GT(engine->snapshot()->application(u"shop"_s)->compareCount, compares);
}

// A hard refresh drops the caches and compares every application again, even when nothing changed
// (the benchmark found applications left uncompared after one).
TEST_F(EngineCompareTest, AHardRefreshComparesEveryApplicationAgain) {
    auto engine = startEngine();
    ASSERT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        return syncOf(s, u"shop"_s) == SyncStatus::Synced && syncOf(s, u"blog"_s) == SyncStatus::Synced;
    }));
    const quint64 shop = engine->snapshot()->application(u"shop"_s)->compareCount;
    const quint64 blog = engine->snapshot()->application(u"blog"_s)->compareCount;
    // A hard refresh trusts no earlier result: its comparison compares every object anew, where the
    // same objects at the same versions would otherwise all reuse their results.
    const quint64 comparedBefore = engine->snapshot()->application(u"shop"_s)->comparedObjects;
    engine->hardRefresh();
    EXPECT_TRUE(waitForSnapshot(*engine,
                                [&](const FleetSnapshot& s) {
                                    return s.application(u"shop"_s)->compareCount > shop &&
                                           s.application(u"blog"_s)->compareCount > blog &&
                                           syncOf(s, u"shop"_s) == SyncStatus::Synced &&
                                           syncOf(s, u"blog"_s) == SyncStatus::Synced &&
                                           s.application(u"shop"_s)->comparedObjects >= comparedBefore + 3;
                                }))
        << "objects compared after the hard refresh: "
        << engine->snapshot()->application(u"shop"_s)->comparedObjects - comparedBefore;
}

} // namespace
