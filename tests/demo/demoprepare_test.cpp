// DemoFleet::prepare: the repository and its history, the workspace, reuse and reset, and the
// refusal to touch a directory that is not the demo's.

#include "demo/demofleet.h"
#include "demotestsupport.h"
#include "git/gitrepository.h"
#include "manifest/toolprocess.h"
#include "workspace/workspace.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

using namespace driftdeck;
using namespace driftdeck::demo;
using driftdeck::test::gitIn;
using driftdeck::test::whyNot;

namespace {

const QString kBadSummary = QStringLiteral("payments: roll out 2.1.0 to prod");

class DemoPrepareTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::demoTestHome();
        ASSERT_TRUE(tmp.isValid());
    }
    QString root() const { return tmp.filePath(QStringLiteral("demo")); }
    QTemporaryDir tmp;
};

TEST_F(DemoPrepareTest, BuildsTheRepositoryWithItsHistoryAndTheBadCommit) {
    DemoFleet fleet;
    QElapsedTimer timer;
    timer.start();
    Result<DemoLayout> layout = fleet.prepare({root(), false});
    ASSERT_TRUE(layout.ok()) << whyNot(layout);
    std::printf("demo: prepare (build) took %lld ms\n", static_cast<long long>(timer.elapsed()));
    EXPECT_FALSE(layout->reused);
    EXPECT_EQ(layout->root, root());
    EXPECT_EQ(layout->commitCount, 6);

    const QString repo = layout->repositoryPath;
    EXPECT_EQ(gitIn(repo, {QStringLiteral("rev-parse"), QStringLiteral("--is-bare-repository")}),
              QStringLiteral("true"));
    const QStringList log =
        gitIn(repo, {QStringLiteral("log"), QStringLiteral("--format=%H %an|%s"), QStringLiteral("main")})
            .split(QLatin1Char('\n'));
    ASSERT_EQ(log.size(), 6) << log.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(log.first().startsWith(layout->headCommitId));
    EXPECT_TRUE(log.last().endsWith(
        QStringLiteral("|Add the fleet: guestbook, payments, auth, status-page and metrics")));
    // The bad commit is not the newest: reverting it is a real revert, not a reset.
    EXPECT_EQ(layout->badCommitSummary, kBadSummary);
    EXPECT_EQ(gitIn(repo, {QStringLiteral("rev-parse"), QStringLiteral("main~1")}), layout->badCommitId);
    EXPECT_EQ(gitIn(repo, {QStringLiteral("log"), QStringLiteral("-1"), QStringLiteral("--format=%s"),
                           layout->badCommitId}),
              kBadSummary);
    EXPECT_EQ(gitIn(repo, {QStringLiteral("diff-tree"), QStringLiteral("--no-commit-id"),
                           QStringLiteral("--name-only"), QStringLiteral("-r"), layout->badCommitId}),
              QStringLiteral("payments/overlays/prod/kustomization.yaml"));
    EXPECT_TRUE(gitIn(repo, {QStringLiteral("show"), layout->badCommitId})
                    .contains(QStringLiteral("+    newTag: 2.1.0-crashloop")));
    // Fixed authors and dates.
    EXPECT_EQ(gitIn(repo, {QStringLiteral("log"), QStringLiteral("-1"),
                           QStringLiteral("--format=%an <%ae> %aI"), layout->badCommitId}),
              QStringLiteral("Sam Reyes <sam@fleet.driftdeck.invalid> 2026-06-11T17:55:00+02:00"));
    const QStringList files = gitIn(repo, {QStringLiteral("ls-tree"), QStringLiteral("-r"),
                                           QStringLiteral("--name-only"), QStringLiteral("main")})
                                  .split(QLatin1Char('\n'));
    for (const QString& expected :
         {QStringLiteral("guestbook/deployment.yaml"), QStringLiteral("payments/base/kustomization.yaml"),
          QStringLiteral("payments/overlays/staging/kustomization.yaml"), QStringLiteral("auth/secret.yaml"),
          QStringLiteral("status-page/configmap.yaml"), QStringLiteral("metrics/Chart.yaml")})
        EXPECT_TRUE(files.contains(expected)) << expected.toStdString();
    gitIn(repo, {QStringLiteral("fsck"), QStringLiteral("--strict")});
    // A revert in the demo needs an author even where Git was never set up.
    EXPECT_EQ(gitIn(repo, {QStringLiteral("config"), QStringLiteral("user.name")}),
              QStringLiteral("Driftdeck Demo"));
}

TEST_F(DemoPrepareTest, WritesAWorkspaceThatLoadsAndPointsAtTheDemo) {
    DemoFleet fleet;
    Result<DemoLayout> layout = fleet.prepare({root(), false});
    ASSERT_TRUE(layout.ok()) << whyNot(layout);
    Result<workspace::LoadedWorkspace> loaded = workspace::loadWorkspace(layout->workspacePath);
    ASSERT_TRUE(loaded.ok()) << whyNot(loaded);
    EXPECT_TRUE(loaded->warnings.isEmpty()) << loaded->warnings.join(QLatin1Char('\n')).toStdString();
    const workspace::Workspace& ws = loaded->workspace;

    ASSERT_EQ(ws.clusters.size(), 3);
    EXPECT_EQ(layout->clusters,
              (QStringList{QStringLiteral("dev"), QStringLiteral("staging"), QStringLiteral("prod")}));
    ASSERT_NE(ws.cluster(QStringLiteral("prod")), nullptr);
    EXPECT_TRUE(ws.cluster(QStringLiteral("prod"))->tags.contains(QStringLiteral("production")));
    EXPECT_FALSE(ws.cluster(QStringLiteral("dev"))->tags.contains(QStringLiteral("production")));
    ASSERT_EQ(ws.repositories.size(), 1);
    EXPECT_EQ(ws.repositories.first().url, layout->repositoryPath);

    const AppSpec* selfHeal = ws.application(QStringLiteral("status-page"));
    ASSERT_NE(selfHeal, nullptr);
    EXPECT_TRUE(selfHeal->syncPolicy.automated && selfHeal->syncPolicy.selfHeal);
    ASSERT_NE(ws.application(QStringLiteral("payments-prod")), nullptr);
    EXPECT_EQ(ws.application(QStringLiteral("payments-prod"))->renderer.type, RendererSpec::Type::Kustomize);

    // The Helm application is there exactly when the engine could render it.
    const bool helm = !manifest::findTool(QStringLiteral("helm")).isEmpty();
    std::printf("demo: helm on PATH: %s\n", helm ? "yes" : "no");
    EXPECT_EQ(ws.application(QStringLiteral("metrics")) != nullptr, helm);
    EXPECT_EQ(layout->applications.size(), helm ? 8 : 7);
    EXPECT_EQ(layout->notes.join(QLatin1Char('\n')).contains(QStringLiteral("helm is not on PATH")), !helm);

    for (const QString& dir : {layout->gitCacheRoot, layout->stateDirectory})
        EXPECT_TRUE(QFileInfo(dir).isDir()) << dir.toStdString();
    EXPECT_TRUE(layout->kubeconfigPath.startsWith(root() + QLatin1Char('/')));
    EXPECT_FALSE(QFileInfo::exists(layout->kubeconfigPath)) << "written when the clusters start";
}

TEST_F(DemoPrepareTest, DefaultRootIsUnderXdgDataHome) {
    EXPECT_EQ(DemoFleet::defaultRoot(),
              test::demoTestHome() + QStringLiteral("/.local/share/driftdeck/demo"));
}

TEST_F(DemoPrepareTest, ASecondPrepareReusesTheRepositoryAndResetRestoresIt) {
    Result<DemoLayout> first = DemoFleet().prepare({root(), false});
    ASSERT_TRUE(first.ok()) << whyNot(first);

    // The operator's work in the demo (e.g. a revert) is a new commit on main.
    {
        Result<git::GitRepository> repo = git::GitRepository::open(first->repositoryPath);
        ASSERT_TRUE(repo.ok());
        git::RevertRequest revert;
        revert.commit = first->badCommitId;
        revert.branch = QStringLiteral("main");
        revert.authorName = QStringLiteral("Demo User");
        revert.authorEmail = QStringLiteral("user@example.com");
        revert.push = false;
        Result<git::RevertResult> reverted = repo->revert(revert);
        ASSERT_TRUE(reverted.ok()) << whyNot(reverted);
    }
    QElapsedTimer timer;
    timer.start();
    Result<DemoLayout> again = DemoFleet().prepare({root(), false});
    ASSERT_TRUE(again.ok()) << whyNot(again);
    std::printf("demo: prepare (reuse) took %lld ms\n", static_cast<long long>(timer.elapsed()));
    EXPECT_TRUE(again->reused);
    EXPECT_EQ(again->commitCount, 7);
    EXPECT_NE(again->headCommitId, first->headCommitId);
    EXPECT_EQ(again->badCommitId, first->badCommitId) << "found again by its summary";

    Result<DemoLayout> reset = DemoFleet().prepare({root(), true});
    ASSERT_TRUE(reset.ok()) << whyNot(reset);
    EXPECT_FALSE(reset->reused);
    EXPECT_EQ(reset->commitCount, 6);
    // Fixed authors and dates make the rebuilt history the same commits.
    EXPECT_EQ(reset->headCommitId, first->headCommitId);
    EXPECT_EQ(reset->badCommitId, first->badCommitId);
}

TEST_F(DemoPrepareTest, TheEnginesCloneRevertsTheBadCommitAndPushesItToTheDemoRepository) {
    Result<DemoLayout> layout = DemoFleet().prepare({root(), false});
    ASSERT_TRUE(layout.ok()) << whyNot(layout);
    Result<git::GitRepository> clone =
        git::GitRepository::openOrClone(layout->repositoryPath, {}, layout->gitCacheRoot);
    ASSERT_TRUE(clone.ok()) << whyNot(clone);
    EXPECT_TRUE(clone->gitDirectory().startsWith(layout->gitCacheRoot));
    git::RevertRequest revert;
    revert.commit = layout->badCommitId;
    revert.branch = QStringLiteral("main");
    revert.authorName = QStringLiteral("Demo User");
    revert.authorEmail = QStringLiteral("user@example.com");
    Result<git::RevertResult> reverted = clone->revert(revert);
    ASSERT_TRUE(reverted.ok()) << whyNot(reverted);
    EXPECT_TRUE(reverted->pushed) << reverted->pushNote.toStdString();
    EXPECT_EQ(gitIn(layout->repositoryPath, {QStringLiteral("rev-parse"), QStringLiteral("main")}),
              reverted->revertCommitId);
    EXPECT_EQ(
        gitIn(layout->repositoryPath,
              {QStringLiteral("show"), QStringLiteral("main:payments/overlays/prod/kustomization.yaml")})
            .contains(QStringLiteral("crashloop")),
        false);
}

TEST_F(DemoPrepareTest, AnUnfinishedOrDamagedDemoIsRebuilt) {
    Result<DemoLayout> first = DemoFleet().prepare({root(), false});
    ASSERT_TRUE(first.ok()) << whyNot(first);
    ASSERT_TRUE(QDir(first->repositoryPath).removeRecursively());
    Result<DemoLayout> again = DemoFleet().prepare({root(), false});
    ASSERT_TRUE(again.ok()) << whyNot(again);
    EXPECT_FALSE(again->reused);
    EXPECT_EQ(again->headCommitId, first->headCommitId);
    EXPECT_TRUE(again->notes.join(QLatin1Char('\n')).contains(QStringLiteral("rebuilt")));
}

TEST_F(DemoPrepareTest, ResetRefusesADirectoryThatIsNotTheDemos) {
    QDir().mkpath(root());
    const QString precious = QDir(root()).filePath(QStringLiteral("thesis.tex"));
    {
        QFile file(precious);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write("years of work");
    }
    for (const bool reset : {true, false}) {
        Result<DemoLayout> refused = DemoFleet().prepare({root(), reset});
        ASSERT_FALSE(refused.ok());
        EXPECT_EQ(refused.error().code, Error::Code::Conflict);
        EXPECT_TRUE(refused.error().message.contains(root())) << whyNot(refused);
    }
    EXPECT_TRUE(QFileInfo::exists(precious));
    EXPECT_EQ(QDir(root()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
              QStringList{QStringLiteral("thesis.tex")});

    // A marker that is not the demo's JSON does not count either.
    QFile fake(QDir(root()).filePath(QStringLiteral(".driftdeck-demo")));
    ASSERT_TRUE(fake.open(QIODevice::WriteOnly));
    fake.write("not the demo");
    fake.close();
    EXPECT_FALSE(DemoFleet().prepare({root(), true}).ok());
    EXPECT_TRUE(QFileInfo::exists(precious));

    for (const QString& bad : {QStringLiteral("/"), test::demoTestHome(), QStringLiteral("relative/demo")})
        EXPECT_FALSE(DemoFleet().prepare({bad, true}).ok()) << bad.toStdString();
}

TEST_F(DemoPrepareTest, ADemoInUseIsNeitherResetNorRebuiltByAnother) {
    auto running = std::make_unique<DemoFleet>();
    Result<DemoLayout> first = running->prepare({root(), false});
    ASSERT_TRUE(first.ok()) << whyNot(first);
    for (const bool reset : {true, false}) {
        Result<DemoLayout> second = DemoFleet().prepare({root(), reset});
        ASSERT_FALSE(second.ok());
        EXPECT_EQ(second.error().code, Error::Code::Conflict);
        EXPECT_TRUE(second.error().message.contains(QStringLiteral("in use"))) << whyNot(second);
    }
    EXPECT_EQ(gitIn(first->repositoryPath, {QStringLiteral("rev-parse"), QStringLiteral("main")}),
              first->headCommitId);
    // The holder itself may reset (the lock survives it); once it is gone, anyone may.
    Result<DemoLayout> reset = running->prepare({root(), true});
    ASSERT_TRUE(reset.ok()) << whyNot(reset);
    running.reset();
    Result<DemoLayout> after = DemoFleet().prepare({root(), false});
    ASSERT_TRUE(after.ok()) << whyNot(after);
    EXPECT_TRUE(after->reused);
}

TEST_F(DemoPrepareTest, AnEmptyDirectoryMayHoldTheDemo) {
    QDir().mkpath(root());
    Result<DemoLayout> layout = DemoFleet().prepare({root(), true});
    ASSERT_TRUE(layout.ok()) << whyNot(layout);
    EXPECT_TRUE(QFileInfo::exists(QDir(root()).filePath(QStringLiteral(".driftdeck-demo"))));
}

} // namespace
