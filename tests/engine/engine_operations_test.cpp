// Operations at their edges, found in the review of "Reconcile and act": a revert while a sync
// runs, a rollback cancelled while its revision resolves, a rollback to a revision that renders
// what the current one does, and selfHeal against something that keeps undoing its syncs.
#include "diff/pairing.h"
#include "enginetestsupport.h"
#include "testsupport.h"

#include <QHash>
#include <QJsonDocument>

#include <chrono>
#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace driftdeck;
using namespace driftdeck::engine;
using namespace driftdeck::engine::test;

namespace {

using Clock = std::chrono::steady_clock;

// The application's objects on the cluster as a sync leaves them (driftdeck's manager, tracking id).
void seed(kube::ClusterClient* client, const QString& ns, const QString& app, const QString& value) {
    for (QJsonObject object : appObjects(app, value)) {
        QJsonObject metadata = object.value(u"metadata").toObject();
        metadata.insert(u"namespace"_s, ns);
        QJsonObject placed = object;
        placed.insert(u"metadata"_s, metadata);
        metadata.insert(u"annotations"_s,
                        QJsonObject{{u"driftdeck.io/tracking-id"_s,
                                     diff::trackingId(app, ResourceKey::fromObject(placed))}});
        object.insert(u"metadata"_s, metadata);
        ASSERT_TRUE(applyAs(client, object, u"driftdeck"_s)) << app.toStdString();
    }
}

// A hand edit as `kubectl edit` makes it (an Update by another manager).
bool editGreeting(kube::ClusterClient* client, const QString& ns, const QString& greeting) {
    const kube::ResourceInfo configMaps{u""_s, u"v1"_s, u"ConfigMap"_s, u"configmaps"_s, true, {}};
    QFuture<kube::ApiReply> reply = client->mergePatch(
        configMaps, ns, u"shop-config"_s, QJsonObject{{u"data"_s, QJsonObject{{u"greeting"_s, greeting}}}});
    return driftdeck::test::waitUntil([&] { return reply.isFinished(); }, std::chrono::seconds(20)) &&
           reply.result().ok();
}

SyncStatus syncOf(const Engine& engine, const QString& name) {
    const AppStatus* status = engine.snapshot()->application(name);
    return status ? status->sync : SyncStatus::Unknown;
}

// Every operation's start (its first progress report) and end, as the engine's thread saw them.
struct OperationLog {
    explicit OperationLog(Engine& engine) {
        QObject::connect(&engine, &Engine::operationProgress, &engine, [this](const OperationProgress& p) {
            if (!started.contains(p.id))
                started.insert(p.id, Clock::now());
        });
        QObject::connect(&engine, &Engine::operationFinished, &engine, [this](const OperationResult& r) {
            finished.insert(r.id, r);
            endedAt.insert(r.id, Clock::now());
            order.append(r.id);
        });
    }
    bool waitFor(quint64 id, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        return driftdeck::test::waitUntil([&] { return finished.contains(id); }, timeout);
    }
    QHash<quint64, Clock::time_point> started;
    QHash<quint64, Clock::time_point> endedAt;
    QHash<quint64, OperationResult> finished;
    QList<quint64> order;
};

class EngineOperationsTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(fleet.start(1));
        fleet.writeApp(u"shop"_s, u"hello"_s);
        first = fleet.repo().commitAll(u"shop says hello"_s);
        fleet.repo().push();
    }

    std::unique_ptr<Engine> startEngine(const AppSpec& spec, EngineSettings settings) {
        settings.historyPath = u"-"_s;
        auto engine = std::make_unique<Engine>(fleet.workspace({spec}), settings);
        engine->start();
        return engine;
    }

    TestFleet fleet;
    QString first;
};

TEST_F(EngineOperationsTest, ARevertIsRefusedWhileASyncOfTheApplicationRuns) {
    fleet.writeApp(u"shop"_s, u"bye"_s);
    fleet.repo().commitAll(u"shop says bye"_s);
    fleet.repo().push();
    EngineSettings settings = fleet.settings();
    settings.autoSync = false;
    auto engine = startEngine(fleet.appSpec(u"shop"_s, u"c0"_s), settings);
    OperationLog log(*engine);
    ASSERT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        const AppStatus* app = s.application(u"shop"_s);
        return app && app->sync == SyncStatus::OutOfSync;
    }));

    const quint64 synced = engine->sync(u"shop"_s);
    const quint64 reverted = engine->revert(u"shop"_s, fleet.repo().remoteRev(u"main"_s));
    ASSERT_TRUE(log.waitFor(reverted));
    ASSERT_TRUE(log.waitFor(synced));
    const OperationResult revert = log.finished.value(reverted);
    ASSERT_TRUE(revert.error.has_value()) << revert.message.toStdString();
    EXPECT_EQ(revert.error->code, Error::Code::Conflict) << revert.error->toString().toStdString();
    EXPECT_TRUE(log.finished.value(synced).ok) << log.finished.value(synced).message.toStdString();
    // Nothing was committed: the branch is where it was.
    EXPECT_EQ(fleet.repo().remoteRev(u"main"_s), fleet.repo().workRev(u"HEAD"_s));
}

TEST_F(EngineOperationsTest, ARollbackCancelledWhileItsRevisionResolvesPinsNothing) {
    seed(fleet.client(0), fleet.ns(), u"shop"_s, u"hello"_s);
    fleet.writeApp(u"shop"_s, u"bye"_s);
    fleet.repo().commitAll(u"shop says bye"_s);
    fleet.repo().push();
    EngineSettings settings = fleet.settings();
    settings.autoSync = false;
    auto engine = startEngine(fleet.appSpec(u"shop"_s, u"c0"_s), settings);
    OperationLog log(*engine);
    ASSERT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        const AppStatus* app = s.application(u"shop"_s);
        return app && app->sync == SyncStatus::OutOfSync;
    }));

    const quint64 id = engine->rollback(u"shop"_s, first);
    engine->cancel(id); // before the Git worker answered: the engine's thread has not run since
    ASSERT_TRUE(log.waitFor(id));
    const OperationResult result = log.finished.value(id);
    ASSERT_TRUE(result.error.has_value()) << result.message.toStdString();
    EXPECT_EQ(result.error->code, Error::Code::Cancelled) << result.error->toString().toStdString();
    EXPECT_TRUE(log.started.isEmpty()) << "a sync ran";
    // Let anything queued behind the cancel run, then look: not pinned, auto-sync not paused.
    const quint64 probe = engine->resume(u"other"_s); // refused at once (no such application)
    ASSERT_TRUE(log.waitFor(probe));
    const AppStatus* app = engine->snapshot()->application(u"shop"_s);
    ASSERT_NE(app, nullptr);
    EXPECT_TRUE(app->pinnedRevision.isEmpty()) << app->pinnedRevision.toStdString();
    EXPECT_FALSE(app->autoSyncPaused);
    EXPECT_EQ(syncOf(*engine, u"shop"_s), SyncStatus::OutOfSync);
}

// An application of one ConfigMap: nothing on the cluster changes by itself, so no live event
// makes the engine compare it again (a Deployment's status would).
class QuietRollbackTest : public EngineOperationsTest {
protected:
    void SetUp() override {
        EngineOperationsTest::SetUp();
        const QJsonObject config = appObjects(u"quiet"_s, u"hello"_s).at(2);
        fleet.repo().write(u"apps/quiet/config.yaml"_s, QJsonDocument(config).toJson());
        quietFirst = fleet.repo().commitAll(u"quiet says hello"_s);
        // A newer commit that changes nothing the application renders.
        fleet.repo().write(u"README.md"_s, "the quiet one\n");
        fleet.repo().commitAll(u"readme"_s);
        fleet.repo().push();
        QJsonObject live = config;
        QJsonObject metadata = live.value(u"metadata").toObject();
        metadata.insert(u"namespace"_s, fleet.ns());
        live.insert(u"metadata"_s, metadata);
        metadata.insert(u"annotations"_s,
                        QJsonObject{{u"driftdeck.io/tracking-id"_s,
                                     diff::trackingId(u"quiet"_s, ResourceKey::fromObject(live))}});
        live.insert(u"metadata"_s, metadata);
        ASSERT_TRUE(applyAs(fleet.client(0), live, u"driftdeck"_s));
        EngineSettings settings = fleet.settings();
        settings.autoSync = false;
        // No debounce: the comparison the rollback asks for starts before its revision is rendered,
        // which is how a busy engine meets it. The periodic reconcile is an hour away
        // (fleet.settings()): only the rollback itself can start its sync.
        settings.debounce = std::chrono::milliseconds(0);
        engine = startEngine(fleet.appSpec(u"quiet"_s, u"c0"_s), settings);
        log = std::make_unique<OperationLog>(*engine);
        ASSERT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
            const AppStatus* app = s.application(u"quiet"_s);
            return app && app->sync == SyncStatus::Synced;
        }));
    }

    void expectRolledBack(quint64 id) {
        ASSERT_TRUE(log->waitFor(id)) << "the rollback never started its sync";
        const OperationResult result = log->finished.value(id);
        EXPECT_TRUE(result.ok) << result.message.toStdString();
        EXPECT_EQ(result.revision, quietFirst);
        EXPECT_TRUE(waitForSnapshot(*engine, [&](const FleetSnapshot& s) {
            return s.application(u"quiet"_s)->pinnedRevision == quietFirst;
        }));
    }

    QString quietFirst;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<OperationLog> log;
};

TEST_F(QuietRollbackTest, ARollbackToARevisionThatRendersTheSameStillSyncs) {
    expectRolledBack(engine->rollback(u"quiet"_s, quietFirst));
}

TEST_F(QuietRollbackTest, ARollbackDuringARefreshSyncsItsOwnRevision) {
    // The refresh's resolution of the branch may still run when the rollback pins its revision.
    engine->refresh(u"quiet"_s);
    expectRolledBack(engine->rollback(u"quiet"_s, quietFirst));
}

TEST_F(EngineOperationsTest, SelfHealWaitsLongerEachTimeItsRepairIsUndone) {
    seed(fleet.client(0), fleet.ns(), u"shop"_s, u"hello"_s);
    AppSpec spec = fleet.appSpec(u"shop"_s, u"c0"_s);
    spec.syncPolicy.automated = true;
    spec.syncPolicy.selfHeal = true;
    EngineSettings settings = fleet.settings();
    settings.selfHealBackoff = std::chrono::milliseconds(1000);
    auto engine = startEngine(spec, settings);
    OperationLog log(*engine);
    ASSERT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        const AppStatus* app = s.application(u"shop"_s);
        return app && app->sync == SyncStatus::Synced;
    }));

    // Someone undoes every repair at once: four edits, each right after the previous repair.
    for (int round = 0; round < 4; ++round) {
        const qsizetype before = log.order.size();
        ASSERT_TRUE(editGreeting(fleet.client(0), fleet.ns(), u"edited %1"_s.arg(round)));
        ASSERT_TRUE(
            driftdeck::test::waitUntil([&] { return log.order.size() > before; }, std::chrono::seconds(30)))
            << "round " << round << ": no repair";
        const OperationResult& repaired = log.finished.value(log.order.constLast());
        ASSERT_TRUE(repaired.ok) << repaired.message.toStdString();
    }
    ASSERT_EQ(log.order.size(), 4);
    // The first two are at once (the first auto-sync, then the first repair); then 1 s, then 2 s
    // after the previous repair ended. Lower bounds the engine's timer guarantees: load only makes
    // the gaps longer.
    const auto gap = [&](int i) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(log.started.value(log.order[i]) -
                                                                     log.endedAt.value(log.order[i - 1]));
    };
    ASSERT_TRUE(log.started.contains(log.order[2]) && log.started.contains(log.order[3]));
    EXPECT_GE(gap(2).count(), 1000);
    EXPECT_GE(gap(3).count(), 2000);
    // And the last repair held.
    ASSERT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        const AppStatus* app = s.application(u"shop"_s);
        return app && app->sync == SyncStatus::Synced;
    }));
}

} // namespace

namespace {

// An application shipping a CustomResourceDefinition and a resource of its kind: before the first
// sync the kind is not served, so the engine cannot watch it; the sync creates both.
TEST_F(EngineOperationsTest, AKindASyncInstalledIsWatchedAfterIt) {
    fleet.repo().write(u"apps/widgets/crd.yaml"_s, R"({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced",
                 "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                 "versions": [{"name": "v1", "served": true, "storage": true,
                               "schema": {"openAPIV3Schema": {"type": "object",
                                          "x-kubernetes-preserve-unknown-fields": true}}}]}})");
    fleet.repo().write(u"apps/widgets/widget.yaml"_s,
                       R"({"apiVersion": "example.com/v1", "kind": "Widget",
                           "metadata": {"name": "w1", "annotations": {"argocd.argoproj.io/sync-wave": "1"}},
                           "spec": {"size": 3}})");
    fleet.repo().commitAll(u"widgets"_s);
    fleet.repo().push();
    EngineSettings settings = fleet.settings();
    settings.autoSync = false;
    auto engine = startEngine(fleet.appSpec(u"widgets"_s, u"c0"_s), settings);
    OperationLog log(*engine);
    ASSERT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        const AppStatus* app = s.application(u"widgets"_s);
        return app && app->sync == SyncStatus::OutOfSync;
    }));
    const quint64 id = engine->sync(u"widgets"_s);
    ASSERT_TRUE(log.waitFor(id));
    ASSERT_TRUE(log.finished.value(id).ok) << log.finished.value(id).message.toStdString();
    // The periodic reconcile is an hour away: only the sync's end can have the kind watched.
    EXPECT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        const AppStatus* app = s.application(u"widgets"_s);
        return app && app->sync == SyncStatus::Synced;
    })) << syncStatusName(syncOf(*engine, u"widgets"_s)).toStdString();
}

} // namespace
