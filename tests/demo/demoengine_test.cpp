// The demo as `driftdeck --demo` runs it: the engine over the demo's workspace, kubeconfig and
// caches. It sees each seeded drift, heals the self-heal application by itself, and the demo's
// story ends well: reverting the bad commit and syncing makes prod healthy.

#include "demo/demofleet.h"
#include "demotestsupport.h"
#include "engine/engine.h"
#include "testsupport.h"
#include "workspace/workspace.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

using namespace driftdeck;
using namespace driftdeck::demo;
using driftdeck::engine::SyncStatus;
using driftdeck::test::whyNot;

namespace {

SyncStatus syncOf(const engine::FleetSnapshot& s, const QString& name) {
    const engine::AppStatus* app = s.application(name);
    return app ? app->sync : SyncStatus::Unknown;
}

health::HealthStatus healthOf(const engine::FleetSnapshot& s, const QString& name) {
    const engine::AppStatus* app = s.application(name);
    return app ? app->health.status : health::HealthStatus::Unknown;
}

// "name: Sync/Health" of every application, for failure messages.
std::string describe(const engine::FleetSnapshot& s) {
    QStringList out;
    for (const engine::AppStatus& app : s.applications)
        out.append(QStringLiteral("%1: %2/%3 %4")
                       .arg(app.name, engine::syncStatusName(app.sync), health::statusName(app.health.status),
                            app.error ? app.error->message : QString()));
    return out.join(QStringLiteral("; ")).toStdString();
}

TEST(DemoEngineTest, TheEngineSeesTheDriftHealsTheSelfHealAppAndARevertFixesProd) {
    test::demoTestHome();
    QTemporaryDir tmp;
    DemoFleet demo;
    Result<DemoLayout> layout = demo.prepare({tmp.filePath(QStringLiteral("demo")), false});
    ASSERT_TRUE(layout.ok()) << whyNot(layout);
    Status started = demo.startClusters();
    ASSERT_TRUE(started.ok()) << whyNot(started);
    Result<workspace::LoadedWorkspace> ws = workspace::loadWorkspace(layout->workspacePath);
    ASSERT_TRUE(ws.ok()) << whyNot(ws);

    engine::EngineSettings settings;
    settings.kubeconfigPath = layout->kubeconfigPath;
    settings.gitCacheRoot = layout->gitCacheRoot;
    settings.discoveryCacheRoot = layout->discoveryCacheRoot;
    settings.historyPath = layout->historyPath;
    QElapsedTimer timer;
    timer.start();
    engine::Engine engine(ws->workspace, settings);
    engine.start();
    const auto snapshot = [&] { return engine.snapshot(); };

    const qsizetype apps = ws->workspace.applications.size();
    ASSERT_TRUE(test::waitUntil(
        [&] {
            const engine::Snapshot s = snapshot();
            return s->applications.size() == apps && s->complete();
        },
        std::chrono::seconds(30)))
        << describe(*snapshot());
    std::printf("demo: engine's first complete snapshot after %lld ms\n",
                static_cast<long long>(timer.elapsed()));
    for (const engine::ClusterStatus& cluster : snapshot()->clusters)
        EXPECT_EQ(cluster.connection, engine::ConnectionState::Connected) << cluster.name.toStdString();

    // Auto-sync with self-heal puts the banner back; the others keep their drift until asked. The
    // crash-looping rollout is Degraded once its progress deadline (20 s in prod) has passed.
    ASSERT_TRUE(test::waitUntil(
        [&] {
            const engine::Snapshot s = snapshot();
            return syncOf(*s, QStringLiteral("status-page")) == SyncStatus::Synced &&
                   healthOf(*s, QStringLiteral("payments-prod")) == health::HealthStatus::Degraded;
        },
        std::chrono::seconds(45)))
        << describe(*snapshot());
    const engine::Snapshot seen = snapshot();
    for (const QString& drifted : {QStringLiteral("guestbook"), QStringLiteral("payments-dev"),
                                   QStringLiteral("payments-staging"), QStringLiteral("auth-staging")})
        EXPECT_EQ(syncOf(*seen, drifted), SyncStatus::OutOfSync)
            << drifted.toStdString() << ": " << describe(*seen);
    QStringList inSync{QStringLiteral("payments-prod"), QStringLiteral("auth-prod")};
    if (layout->applications.contains(QStringLiteral("metrics")))
        inSync.append(QStringLiteral("metrics")); // with helm on PATH (ctest label realkube)
    for (const QString& synced : std::as_const(inSync))
        EXPECT_EQ(syncOf(*seen, synced), SyncStatus::Synced)
            << synced.toStdString() << ": " << describe(*seen);
    EXPECT_GE(seen->application(QStringLiteral("status-page"))->lastSyncAt.isValid(), true);

    // The fix: revert the bad commit (it lands in the demo repository), then sync prod.
    std::optional<engine::OperationResult> finished;
    QObject::connect(&engine, &engine::Engine::operationFinished,
                     [&](const engine::OperationResult& result) { finished = result; });
    engine.revert(QStringLiteral("payments-prod"), layout->badCommitId);
    ASSERT_TRUE(test::waitUntil([&] { return finished.has_value(); }, std::chrono::seconds(30)));
    ASSERT_TRUE(finished->ok) << finished->message.toStdString();
    ASSERT_TRUE(test::waitUntil(
        [&] { return syncOf(*snapshot(), QStringLiteral("payments-prod")) == SyncStatus::OutOfSync; },
        std::chrono::seconds(30)))
        << describe(*snapshot());
    finished.reset();
    engine.sync(QStringLiteral("payments-prod"));
    ASSERT_TRUE(test::waitUntil([&] { return finished.has_value(); }, std::chrono::seconds(60)));
    EXPECT_TRUE(finished->ok) << finished->message.toStdString();
    EXPECT_TRUE(test::waitUntil(
        [&] {
            const engine::Snapshot s = snapshot();
            return syncOf(*s, QStringLiteral("payments-prod")) == SyncStatus::Synced &&
                   healthOf(*s, QStringLiteral("payments-prod")) == health::HealthStatus::Healthy;
        },
        std::chrono::seconds(60)))
        << describe(*snapshot());
    EXPECT_TRUE(QFileInfo::exists(layout->historyPath)) << "the engine's history stays under the demo root";
}

// Runs last (this file is linked last): nothing any demo test did went outside its demo root.
TEST(DemoIsolationTest, NothingOutsideTheDemoRootWasWritten) {
    // Every test gives its own root, so the home directory (and with it ~/.kube, the workspace file,
    // ~/.cache and ~/.local/share) must still be empty.
    const QString home = test::demoTestHome();
    QStringList written;
    QDirIterator it(home, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        written.append(it.next().mid(home.size()));
    EXPECT_EQ(written, QStringList()) << written.join(u' ').toStdString();
}

} // namespace
