// Acceptance of "Reconcile and act", part 4, through the CLI: a rollback ends in the live state of
// the earlier commit, pins the application and pauses its auto-sync (an engine with auto-sync on
// leaves it alone), and is in the history; `resume` compares against the branch again and auto-sync
// takes over; a revert is a new commit whose diff undoes the reverted one (checked with git), after
// which `diff` shows the drift a sync would fix.
#include "cliacceptsupport.h"
#include "historycommand.h"
#include "statuscommand.h"
#include "synccommand.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace driftdeck;
using namespace driftdeck::engine;
using namespace driftdeck::engine::test;

namespace {

class CliRollbackTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(cli.xdg.valid());
        ASSERT_TRUE(cli.fleet.start(1));
        cli.fleet.writeApp(u"shop"_s, u"hello"_s);
        first = commit(u"shop: first"_s);
        ASSERT_TRUE(cli.writeWorkspace({spec()}));
        ASSERT_EQ(cli.run(cli::runSyncCommand, {}).exitCode, 0);
        cli.fleet.writeApp(u"shop"_s, u"second"_s, 3);
        second = commit(u"shop: second greeting, three replicas"_s);
        const CliRun synced = cli.run(cli::runSyncCommand, {});
        ASSERT_EQ(synced.exitCode, 0) << synced.describe();
        ASSERT_EQ(greetingOf(cli.fleet), u"second"_s);
    }

    // Automated with selfHeal: what the engine would do on its own, were it not paused.
    AppSpec spec() const {
        AppSpec app = cli.fleet.appSpec(u"shop"_s, u"c0"_s);
        app.syncPolicy.automated = true;
        app.syncPolicy.selfHeal = true;
        return app;
    }

    QString commit(const QString& message) {
        const QString id = cli.fleet.repo().commitAll(message);
        cli.fleet.repo().push();
        return id;
    }

    // An engine as the desktop app runs it: auto-sync on, the CLI's history database.
    std::unique_ptr<Engine> startAutoSyncEngine() {
        EngineSettings settings = cli.fleet.settings();
        settings.autoSync = true;
        settings.historyPath = cli.xdg.historyPath();
        auto engine = std::make_unique<Engine>(cli.fleet.workspace({spec()}), settings);
        engine->start();
        return engine;
    }

    QJsonObject statusOfShop() {
        const CliRun status = cli.run(cli::runStatusCommand, {u"-o"_s, u"json"_s});
        EXPECT_EQ(status.exitCode, 0) << status.describe();
        return QJsonDocument::fromJson(status.out.toUtf8()).object()[u"applications"][0].toObject();
    }

    QJsonArray historyOf(const QString& kind) {
        const CliRun history =
            runVerb(cli::runHistoryCommand, {u"--app"_s, u"shop"_s, u"--kind"_s, kind, u"-o"_s, u"json"_s});
        EXPECT_EQ(history.exitCode, 0) << history.describe();
        return QJsonDocument::fromJson(history.out.toUtf8()).object()[u"operations"].toArray();
    }

    kube::ClusterClient* client() { return cli.fleet.client(0); }

    CliFleet cli;
    QString first;
    QString second;
};

TEST_F(CliRollbackTest, RollbackPinsAndPausesUntilResume) {
    const CliRun rollback = cli.run(cli::runRollbackCommand, {first, u"--app"_s, u"shop"_s});
    ASSERT_EQ(rollback.exitCode, 0) << rollback.describe();
    EXPECT_EQ(greetingOf(cli.fleet), u"hello"_s);
    EXPECT_EQ(liveObject(client(), shopDeploymentPath(cli.fleet))[u"spec"][u"replicas"].toInt(), 2);

    const QJsonObject pinned = statusOfShop();
    EXPECT_EQ(pinned[u"pinnedRevision"].toString(), first);
    EXPECT_TRUE(pinned[u"autoSyncPaused"].toBool());
    EXPECT_EQ(pinned[u"revision"].toString(), first) << "compared against the pinned revision";
    EXPECT_EQ(pinned[u"sync"].toString(), u"Synced"_s);
    const QJsonArray rollbacks = historyOf(u"rollback"_s);
    ASSERT_EQ(rollbacks.size(), 1);
    EXPECT_EQ(rollbacks[0][u"revision"].toString(), first);
    EXPECT_EQ(rollbacks[0][u"outcome"].toString(), u"Succeeded"_s);

    {
        // An engine with auto-sync on does not undo the rollback, not even to heal a live edit.
        auto engine = startAutoSyncEngine();
        int operations = 0;
        QObject::connect(engine.get(), &Engine::operationProgress, engine.get(), [&] { ++operations; });
        QObject::connect(engine.get(), &Engine::operationFinished, engine.get(), [&] { ++operations; });
        ASSERT_TRUE(waitForSnapshot(*engine,
                                    [&](const FleetSnapshot& s) {
                                        const AppStatus* shop = s.application(u"shop"_s);
                                        return shop && shop->sync == SyncStatus::Synced &&
                                               shop->commitId == first && shop->autoSyncPaused;
                                    }))
            << "pinned to " << engine->snapshot()->application(u"shop"_s)->pinnedRevision.toStdString();
        for (const QString& edit : {u"edited once"_s, u"edited twice"_s, u"edited thrice"_s}) {
            ASSERT_TRUE(applyConfigMap(client(), cli.fleet.ns(), u"shop-config"_s, edit, u"kubectl-edit"_s));
            // Each comparison of the edit is a chance for auto-sync; the next edit waits for it.
            ASSERT_TRUE(waitForSnapshot(*engine, [&](const FleetSnapshot& s) {
                for (const ResourceStatus& r : s.application(u"shop"_s)->resources)
                    if (r.key.name == u"shop-config"_s &&
                        r.diff.state == diff::ObjectDiff::State::OutOfSync && !r.diff.changes.isEmpty() &&
                        r.diff.changes.first().live.toString() == edit)
                        return true;
                return false;
            })) << edit.toStdString();
        }
        EXPECT_EQ(operations, 0) << "auto-sync ran while paused";
        EXPECT_EQ(greetingOf(cli.fleet), u"edited thrice"_s);
    }

    const CliRun resume = cli.run(cli::runResumeCommand, {u"--app"_s, u"shop"_s});
    ASSERT_EQ(resume.exitCode, 0) << resume.describe();
    const QJsonObject resumed = statusOfShop();
    EXPECT_FALSE(resumed.contains(u"pinnedRevision"_s));
    EXPECT_FALSE(resumed[u"autoSyncPaused"].toBool());
    EXPECT_EQ(resumed[u"revision"].toString(), second) << "compared against the branch again";
    EXPECT_EQ(resumed[u"sync"].toString(), u"OutOfSync"_s);
    EXPECT_EQ(historyOf(u"resume"_s).size(), 1);

    // Auto-sync is back: the engine syncs the branch's commit.
    auto engine = startAutoSyncEngine();
    EXPECT_TRUE(waitForSnapshot(*engine, [&](const FleetSnapshot& s) {
        const AppStatus* shop = s.application(u"shop"_s);
        return shop && shop->sync == SyncStatus::Synced && shop->commitId == second && !shop->autoSyncPaused;
    }));
    EXPECT_EQ(greetingOf(cli.fleet), u"second"_s);
    EXPECT_EQ(liveObject(client(), shopDeploymentPath(cli.fleet))[u"spec"][u"replicas"].toInt(), 3);
}

TEST_F(CliRollbackTest, RevertCommitsTheUndoAndDiffShowsWhatASyncWouldFix) {
    // The workspace names a repository on this machine: the revert is committed in it directly,
    // with its Git identity (as an operator's own configuration would give it).
    driftdeck::test::GitTestRepo& repo = cli.fleet.repo();
    repo.git(repo.remotePath(), {u"config"_s, u"user.name"_s, u"Rhea Reverter"_s});
    repo.git(repo.remotePath(), {u"config"_s, u"user.email"_s, u"rhea@example.com"_s});
    const CliRun revert = cli.run(cli::runRevertCommand, {second, u"--app"_s, u"shop"_s});
    ASSERT_EQ(revert.exitCode, 0) << revert.describe();

    // The repository (the remote the workspace names) has a new commit on main after `second`,
    // whose tree under the application's path is the one of `first`.
    const QString head = repo.remoteRev(u"main"_s);
    EXPECT_NE(head, second);
    EXPECT_EQ(repo.git(repo.remotePath(), {u"rev-parse"_s, u"main^"_s}), second);
    EXPECT_EQ(repo.git(repo.remotePath(), {u"diff"_s, first, u"main"_s, u"--"_s, u"apps/shop"_s}), QString());
    EXPECT_FALSE(
        repo.git(repo.remotePath(), {u"diff"_s, second, u"main"_s, u"--"_s, u"apps/shop"_s}).isEmpty());
    EXPECT_TRUE(
        repo.git(repo.remotePath(), {u"log"_s, u"-1"_s, u"--format=%B"_s, u"main"_s}).contains(second))
        << "the revert's message names the commit it reverts";
    EXPECT_TRUE(revert.out.contains(head.left(12))) << revert.describe();

    // Nothing was synced: the live state is still `second`'s, which a sync would now undo.
    EXPECT_EQ(greetingOf(cli.fleet), u"second"_s);
    const CliRun diff = cli.run(cli::runFleetDiffCommand, {u"-o"_s, u"json"_s});
    EXPECT_EQ(diff.exitCode, 1) << diff.describe();
    EXPECT_TRUE(diff.out.contains(head)) << diff.describe();
    EXPECT_EQ(diffEntry(diff.out, u"ConfigMap"_s, u"shop-config"_s),
              (QStringList{u"OutOfSync"_s, u"/data/greeting"_s}));
    EXPECT_EQ(diffEntry(diff.out, u"Deployment"_s, u"shop"_s),
              (QStringList{u"OutOfSync"_s, u"/spec/replicas"_s}));
    const QJsonArray reverts = historyOf(u"revert"_s);
    ASSERT_EQ(reverts.size(), 1);
    EXPECT_EQ(reverts[0][u"revision"].toString(), head);

    const CliRun sync = cli.run(cli::runSyncCommand, {});
    EXPECT_EQ(sync.exitCode, 0) << sync.describe();
    EXPECT_EQ(greetingOf(cli.fleet), u"hello"_s);
    EXPECT_EQ(cli.run(cli::runFleetDiffCommand, {}).exitCode, 0);
}

} // namespace
