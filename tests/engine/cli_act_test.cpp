// Acceptance of "Reconcile and act" through the CLI (parts 2 and 3): a live edit and a new commit
// show in `driftdeck-cli diff` naming the field; a selective sync touches only the chosen resource;
// a failed render and an empty render never prune, and neither is an object without the
// application's tracking id; a conflict names the other field manager; and no Secret value reaches
// any output, log or history record (searched plain and base64 after every test).
#include "cliacceptsupport.h"
#include "historycommand.h"
#include "statuscommand.h"
#include "synccommand.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace driftdeck;
using namespace driftdeck::engine::test;

namespace {

class CliActTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(cli.xdg.valid());
        ASSERT_TRUE(cli.fleet.start(1));
        cli.fleet.writeApp(u"shop"_s, u"hello"_s);
        writeShopSecret(cli.fleet.repo(), kSecretValue);
        first = commit(u"shop: first"_s);
        ASSERT_TRUE(cli.writeWorkspace({cli.fleet.appSpec(u"shop"_s, u"c0"_s)}));
    }

    void TearDown() override {
        // Every output of the test, every log line and the history database: no Secret value.
        QByteArray history;
        for (const QString& suffix : {u""_s, u"-wal"_s, u"-journal"_s}) {
            QFile file(cli.xdg.historyPath() + suffix);
            if (file.open(QIODevice::ReadOnly))
                history += file.readAll();
        }
        const QString logText = logs.text();
        for (const QString& secret : secretSpellings()) {
            EXPECT_FALSE(transcript.contains(secret)) << "CLI output shows " << secret.toStdString();
            EXPECT_FALSE(logText.contains(secret)) << "a log line shows " << secret.toStdString();
            EXPECT_FALSE(history.contains(secret.toUtf8()))
                << "the history file holds " << secret.toStdString();
        }
    }

    QString commit(const QString& message) {
        const QString id = cli.fleet.repo().commitAll(message);
        cli.fleet.repo().push();
        return id;
    }

    CliRun run(CliVerb verb, const QStringList& arguments) {
        CliRun result = cli.run(verb, arguments);
        transcript += result.out + result.err;
        return result;
    }
    // `history` reads the database only: no workspace or kubeconfig.
    CliRun history(const QStringList& arguments) {
        CliRun result = runVerb(cli::runHistoryCommand, arguments);
        transcript += result.out + result.err;
        return result;
    }

    kube::ClusterClient* client() { return cli.fleet.client(0); }
    QString ns() const { return cli.fleet.ns(); }

    LogCapture logs; // first: it sees everything the others log
    CliFleet cli;
    QString first;
    QString transcript;
};

TEST_F(CliActTest, ALiveEditAndANewCommitShowInDiffNamingTheField) {
    ASSERT_EQ(run(cli::runSyncCommand, {}).exitCode, 0) << transcript.toStdString();
    const CliRun clean = run(cli::runFleetDiffCommand, {});
    ASSERT_EQ(clean.exitCode, 0) << clean.describe();

    ASSERT_TRUE(applyConfigMap(client(), ns(), u"shop-config"_s, u"edited by hand"_s, u"kubectl-edit"_s));
    const CliRun edited = run(cli::runFleetDiffCommand, {u"-o"_s, u"json"_s});
    EXPECT_EQ(edited.exitCode, 1) << edited.describe();
    EXPECT_EQ(diffEntry(edited.out, u"ConfigMap"_s, u"shop-config"_s),
              (QStringList{u"OutOfSync"_s, u"/data/greeting"_s}))
        << edited.describe();
    EXPECT_EQ(diffEntry(edited.out, u"Deployment"_s, u"shop"_s), QStringList{u"Synced"_s});

    // A new commit: one fetch (the one every CLI run makes) shows it.
    cli.fleet.writeApp(u"shop"_s, u"edited by hand"_s, 3);
    const QString second = commit(u"shop: three replicas"_s);
    const CliRun committed = run(cli::runFleetDiffCommand, {u"-o"_s, u"json"_s});
    EXPECT_EQ(committed.exitCode, 1) << committed.describe();
    EXPECT_TRUE(committed.out.contains(second)) << committed.describe();
    EXPECT_EQ(diffEntry(committed.out, u"Deployment"_s, u"shop"_s),
              (QStringList{u"OutOfSync"_s, u"/spec/replicas"_s}))
        << committed.describe();
    EXPECT_EQ(diffEntry(committed.out, u"ConfigMap"_s, u"shop-config"_s), QStringList{u"Synced"_s});
    // The text form names the object and the field too.
    const CliRun text = run(cli::runFleetDiffCommand, {});
    EXPECT_EQ(text.exitCode, 1);
    EXPECT_TRUE(text.out.contains(u"replicas"_s) && text.out.contains(u"Deployment"_s)) << text.describe();
}

TEST_F(CliActTest, ASelectiveSyncTouchesOnlyTheChosenResource) {
    ASSERT_EQ(run(cli::runSyncCommand, {}).exitCode, 0) << transcript.toStdString();
    cli.fleet.writeApp(u"shop"_s, u"second"_s, 3);
    commit(u"shop: greeting and replicas"_s);

    const CliRun selective =
        run(cli::runSyncCommand, {u"--resource"_s, u"/ConfigMap/"_s + ns() + u"/shop-config"_s});
    ASSERT_EQ(selective.exitCode, 0) << selective.describe();
    EXPECT_EQ(greetingOf(cli.fleet), u"second"_s);
    EXPECT_EQ(liveObject(client(), shopDeploymentPath(cli.fleet))[u"spec"][u"replicas"].toInt(), 2)
        << "the Deployment was not chosen and must not change";
    const CliRun diff = run(cli::runFleetDiffCommand, {u"-o"_s, u"json"_s});
    EXPECT_EQ(diff.exitCode, 1);
    EXPECT_EQ(diffEntry(diff.out, u"ConfigMap"_s, u"shop-config"_s), QStringList{u"Synced"_s});
    EXPECT_EQ(diffEntry(diff.out, u"Deployment"_s, u"shop"_s),
              (QStringList{u"OutOfSync"_s, u"/spec/replicas"_s}));

    // A resource that is not the application's is refused, and nothing runs.
    const CliRun foreign =
        run(cli::runSyncCommand, {u"--resource"_s, u"/ConfigMap/"_s + ns() + u"/not-shops"_s});
    EXPECT_EQ(foreign.exitCode, 2) << foreign.describe();
    EXPECT_TRUE(foreign.out.contains(u"not-shops"_s)) << foreign.describe();
}

TEST_F(CliActTest, FailedAndEmptyRendersNeverPruneNorDoesAnythingUntracked) {
    ASSERT_EQ(run(cli::runSyncCommand, {}).exitCode, 0) << transcript.toStdString();
    // Not the application's: one without a tracking id, one tracked by another application.
    ASSERT_TRUE(applyConfigMap(client(), ns(), u"handmade"_s, u"mine"_s, u"kubectl"_s));
    ASSERT_TRUE(applyConfigMap(client(), ns(), u"shop-other"_s, u"theirs"_s, u"driftdeck"_s, u"other"_s));
    const auto shopObjectsLive = [&] {
        return !liveObject(client(), shopConfigPath(cli.fleet)).isEmpty() &&
               !liveObject(client(), shopDeploymentPath(cli.fleet)).isEmpty() &&
               !liveObject(client(), shopServicePath(cli.fleet)).isEmpty() &&
               !liveObject(client(), shopSecretPath(cli.fleet)).isEmpty();
    };

    // A commit whose render fails: nothing is synced, nothing pruned; the error names the file.
    cli.fleet.repo().write(u"apps/shop/bad.yaml"_s, "kind: [unclosed\n");
    commit(u"shop: broken"_s);
    const CliRun broken = run(cli::runSyncCommand, {u"--prune"_s});
    EXPECT_EQ(broken.exitCode, 2) << broken.describe();
    EXPECT_TRUE(broken.describe().find("bad.yaml") != std::string::npos) << broken.describe();
    EXPECT_TRUE(shopObjectsLive());

    // The application's path rendered empty (no manifests left): a prune would delete everything.
    for (const QString& file :
         {u"bad.yaml"_s, u"deployment.yaml"_s, u"service.yaml"_s, u"config.yaml"_s, u"secret.yaml"_s})
        cli.fleet.repo().remove(u"apps/shop/"_s + file);
    cli.fleet.repo().write(u"apps/shop/README.md"_s, "moved elsewhere\n");
    commit(u"shop: emptied"_s);
    const CliRun empty = run(cli::runSyncCommand, {u"--prune"_s});
    EXPECT_EQ(empty.exitCode, 2) << empty.describe();
    EXPECT_TRUE(shopObjectsLive()) << empty.describe();

    // A real prune (the ConfigMap left Git) deletes only the application's own tracked object.
    cli.fleet.writeApp(u"shop"_s, u"hello"_s);
    writeShopSecret(cli.fleet.repo(), kSecretValue);
    cli.fleet.repo().remove(u"apps/shop/config.yaml"_s);
    commit(u"shop: no ConfigMap"_s);
    const CliRun pruned = run(cli::runSyncCommand, {u"--prune"_s});
    EXPECT_EQ(pruned.exitCode, 0) << pruned.describe();
    EXPECT_TRUE(driftdeck::test::waitUntil([&] {
        return liveObject(client(), shopConfigPath(cli.fleet)).isEmpty();
    })) << pruned.describe();
    EXPECT_FALSE(liveObject(client(), cli.fleet.corePath(u"configmaps/handmade"_s)).isEmpty());
    EXPECT_FALSE(liveObject(client(), cli.fleet.corePath(u"configmaps/shop-other"_s)).isEmpty());
    EXPECT_FALSE(liveObject(client(), shopDeploymentPath(cli.fleet)).isEmpty());
}

TEST_F(CliActTest, AConflictNamesTheOtherManager) {
    ASSERT_EQ(run(cli::runSyncCommand, {}).exitCode, 0) << transcript.toStdString();
    // Another field manager takes spec.replicas (as an autoscaler or `kubectl scale` would).
    ASSERT_TRUE(
        applyAs(client(),
                QJsonObject{{u"apiVersion"_s, u"apps/v1"_s},
                            {u"kind"_s, u"Deployment"_s},
                            {u"metadata"_s, QJsonObject{{u"name"_s, u"shop"_s}, {u"namespace"_s, ns()}}},
                            {u"spec"_s, QJsonObject{{u"replicas"_s, 5}}}},
                u"ops-autoscaler"_s));
    cli.fleet.writeApp(u"shop"_s, u"hello"_s, 3);
    commit(u"shop: three replicas"_s);

    const CliRun conflict = run(cli::runSyncCommand, {});
    EXPECT_EQ(conflict.exitCode, 2) << conflict.describe();
    EXPECT_TRUE(conflict.out.contains(u"ops-autoscaler"_s)) << conflict.describe();
    EXPECT_EQ(liveObject(client(), shopDeploymentPath(cli.fleet))[u"spec"][u"replicas"].toInt(), 5);

    const CliRun forced = run(cli::runSyncCommand, {u"--force-conflicts"_s});
    EXPECT_EQ(forced.exitCode, 0) << forced.describe();
    EXPECT_EQ(liveObject(client(), shopDeploymentPath(cli.fleet))[u"spec"][u"replicas"].toInt(), 3);
}

TEST_F(CliActTest, NoSecretValueInAnyOutputLogOrHistoryRecord) {
    ASSERT_EQ(run(cli::runSyncCommand, {}).exitCode, 0) << transcript.toStdString();
    EXPECT_FALSE(liveObject(client(), shopSecretPath(cli.fleet)).isEmpty());
    // Someone changes the Secret by hand: diff, status and a sync handle it in every format.
    ASSERT_TRUE(applyAs(
        client(),
        QJsonObject{{u"apiVersion"_s, u"v1"_s},
                    {u"kind"_s, u"Secret"_s},
                    {u"metadata"_s, QJsonObject{{u"name"_s, u"shop-secret"_s}, {u"namespace"_s, ns()}}},
                    {u"data"_s, QJsonObject{{u"password"_s,
                                             QString::fromLatin1(kRotatedSecretValue.toUtf8().toBase64())}}}},
        u"kubectl-edit"_s));
    for (const QString& format : {u"text"_s, u"json"_s, u"yaml"_s}) {
        const CliRun diff = run(cli::runFleetDiffCommand, {u"-o"_s, format});
        EXPECT_EQ(diff.exitCode, 1) << diff.describe();
        EXPECT_TRUE(diff.out.contains(u"shop-secret"_s)) << diff.describe();
        EXPECT_EQ(run(cli::runStatusCommand, {u"-o"_s, format}).exitCode, 0);
    }
    EXPECT_EQ(run(cli::runFleetDiffCommand, {u"--side-by-side"_s}).exitCode, 1);
    EXPECT_EQ(run(cli::runSyncCommand, {u"--preview"_s}).exitCode, 0);
    // The hand edit took data.password over (server-side apply, forced): the sync takes it back.
    const CliRun conflict = run(cli::runSyncCommand, {u"--dry-run"_s, u"-o"_s, u"json"_s});
    EXPECT_EQ(conflict.exitCode, 2) << conflict.describe();
    EXPECT_TRUE(conflict.out.contains(u"kubectl-edit"_s)) << conflict.describe();
    EXPECT_EQ(run(cli::runSyncCommand, {u"--dry-run"_s, u"--force-conflicts"_s}).exitCode, 0);
    const CliRun sync = run(cli::runSyncCommand, {u"--force-conflicts"_s, u"-o"_s, u"json"_s});
    EXPECT_EQ(sync.exitCode, 0) << sync.describe();
    EXPECT_EQ(run(cli::runFleetDiffCommand, {}).exitCode, 0);
    const CliRun records = history({u"--resources"_s, u"-o"_s, u"json"_s});
    EXPECT_EQ(records.exitCode, 0) << records.describe();
    EXPECT_TRUE(records.out.contains(u"shop-secret"_s))
        << "the history records the Secret's key, not its value";
    EXPECT_EQ(history({u"--resources"_s}).exitCode, 0);
    // TearDown searches all of it.
}

} // namespace
