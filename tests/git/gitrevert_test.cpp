// Reverting a commit: the operator's rollback button. Success must reach the remote; every
// refusal must leave refs, index, work tree and remote exactly as they were.

#include "git/gitrepository.h"
#include "gittestrepo.h"

#include <QFile>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::git;
using driftdeck::test::GitTestRepo;

namespace {

class GitRevertTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(repo.valid());
        repo.write(QStringLiteral("apps/web/deploy.yaml"), "image: web:1\nreplicas: 2\n");
        repo.write(QStringLiteral("apps/db/db.yaml"), "image: db:1\n");
        base = repo.commitAll(QStringLiteral("Initial"));
        repo.write(QStringLiteral("apps/web/deploy.yaml"), "image: web:2-broken\nreplicas: 2\n");
        bad = repo.commitAll(QStringLiteral("Roll out web 2"));
        repo.write(QStringLiteral("apps/db/db.yaml"), "image: db:2\n");
        later = repo.commitAll(QStringLiteral("Upgrade db"));
        repo.push();
    }

    struct Snapshot {
        QString workHead, workMain, remoteMain, status;
        QByteArray index, deploy;
        bool operator==(const Snapshot&) const = default;
    };
    Snapshot snapshot() {
        return {repo.workRev(QStringLiteral("HEAD")),
                repo.workRev(QStringLiteral("refs/heads/main")),
                repo.remoteRev(QStringLiteral("main")),
                repo.gitWork({QStringLiteral("status"), QStringLiteral("--porcelain")}),
                test::readFile(repo.workPath() + QStringLiteral("/.git/index")),
                test::readFile(repo.workPath() + QStringLiteral("/apps/web/deploy.yaml"))};
    }
    static void expectUnchanged(const Snapshot& before, const Snapshot& after) {
        EXPECT_EQ(before.workHead, after.workHead) << "HEAD moved";
        EXPECT_EQ(before.workMain, after.workMain) << "branch moved";
        EXPECT_EQ(before.remoteMain, after.remoteMain) << "remote changed";
        EXPECT_EQ(before.status, after.status) << "work tree status changed";
        EXPECT_EQ(before.index, after.index) << "index changed";
        EXPECT_EQ(before.deploy, after.deploy) << "work tree file changed";
    }

    RevertRequest request(const QString& commit) {
        RevertRequest r;
        r.commit = commit;
        r.branch = QStringLiteral("main");
        return r;
    }

    GitTestRepo repo;
    QString base, bad, later;
};

TEST_F(GitRevertTest, RevertCommitsUpdatesTheCheckoutAndPushes) {
    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok());
    Result<RevertResult> result = git->revert(request(bad));
    ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
    EXPECT_TRUE(result->pushed) << result->pushNote.toStdString();
    EXPECT_TRUE(result->workTreeUpdated);
    EXPECT_EQ(result->previousTip, later);
    EXPECT_EQ(result->changedFiles, QStringList{QStringLiteral("apps/web/deploy.yaml")});

    // The remote now has the revert on main, with git's message and the configured author.
    EXPECT_EQ(repo.remoteRev(QStringLiteral("main")), result->revertCommitId);
    EXPECT_EQ(repo.git(repo.remotePath(), {QStringLiteral("log"), QStringLiteral("-1"),
                                           QStringLiteral("--format=%B"), QStringLiteral("main")}),
              QStringLiteral("Revert \"Roll out web 2\"\n\nThis reverts commit ") + bad + QLatin1Char('.'));
    EXPECT_EQ(repo.git(repo.remotePath(), {QStringLiteral("log"), QStringLiteral("-1"),
                                           QStringLiteral("--format=%an <%ae>|%P"), QStringLiteral("main")}),
              QStringLiteral("Ada Author <ada@example.com>|") + later);
    EXPECT_EQ(
        repo.git(repo.remotePath(), {QStringLiteral("show"), QStringLiteral("main:apps/web/deploy.yaml")}),
        QStringLiteral("image: web:1\nreplicas: 2"));
    EXPECT_EQ(repo.git(repo.remotePath(), {QStringLiteral("show"), QStringLiteral("main:apps/db/db.yaml")}),
              QStringLiteral("image: db:2"))
        << "the later commit is kept";

    // Local branch, index and work tree follow; nothing is left dirty.
    EXPECT_EQ(repo.workRev(QStringLiteral("HEAD")), result->revertCommitId);
    EXPECT_EQ(test::readFile(repo.workPath() + QStringLiteral("/apps/web/deploy.yaml")),
              QByteArray("image: web:1\nreplicas: 2\n"));
    EXPECT_EQ(repo.gitWork({QStringLiteral("status"), QStringLiteral("--porcelain")}), QString());
    EXPECT_EQ(repo.workRev(QStringLiteral("origin/main")), result->revertCommitId) << "tracking ref updated";
}

TEST_F(GitRevertTest, RevertInTheBareCacheCloneReachesTheRemote) {
    Result<GitRepository> git = GitRepository::openOrClone(repo.remoteUrl(), {}, repo.cacheRoot());
    ASSERT_TRUE(git.ok());
    RevertRequest r = request(bad);
    r.authorName = QStringLiteral("Driftdeck Operator");
    r.authorEmail = QStringLiteral("ops@example.com");
    Result<RevertResult> result = git->revert(r);
    ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
    EXPECT_TRUE(result->pushed) << result->pushNote.toStdString();
    EXPECT_FALSE(result->workTreeUpdated);
    EXPECT_EQ(repo.remoteRev(QStringLiteral("main")), result->revertCommitId);
    EXPECT_EQ(repo.git(repo.remotePath(), {QStringLiteral("log"), QStringLiteral("-1"),
                                           QStringLiteral("--format=%an"), QStringLiteral("main")}),
              QStringLiteral("Driftdeck Operator"));
    // The user's own checkout was not touched.
    EXPECT_EQ(repo.workRev(QStringLiteral("HEAD")), later);
}

TEST_F(GitRevertTest, ConflictingRevertChangesNothing) {
    repo.write(QStringLiteral("apps/web/deploy.yaml"), "image: web:3\nreplicas: 2\n");
    repo.commitAll(QStringLiteral("Roll out web 3"));
    repo.push();
    const Snapshot before = snapshot();

    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok());
    Result<RevertResult> result = git->revert(request(bad));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::Conflict);
    EXPECT_TRUE(result.error().message.contains(QStringLiteral("apps/web/deploy.yaml")))
        << result.error().message.toStdString();
    EXPECT_TRUE(result.error().message.contains(bad.left(10)));
    expectUnchanged(before, snapshot());
}

TEST_F(GitRevertTest, DirtyAffectedFileRefusesTheRevert) {
    repo.write(QStringLiteral("apps/web/deploy.yaml"), "image: web:2-broken\nreplicas: 5\n");
    const Snapshot before = snapshot();
    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok());
    Result<RevertResult> result = git->revert(request(bad));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::Conflict);
    EXPECT_TRUE(
        result.error().message.contains(QStringLiteral("uncommitted changes in apps/web/deploy.yaml")))
        << result.error().message.toStdString();
    expectUnchanged(before, snapshot());
}

TEST_F(GitRevertTest, UnrelatedLocalChangesSurviveTheRevert) {
    repo.write(QStringLiteral("apps/db/db.yaml"), "image: db:local-experiment\n");
    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok());
    Result<RevertResult> result = git->revert(request(bad));
    ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
    EXPECT_EQ(test::readFile(repo.workPath() + QStringLiteral("/apps/db/db.yaml")),
              QByteArray("image: db:local-experiment\n"));
    EXPECT_EQ(repo.gitWork({QStringLiteral("status"), QStringLiteral("--porcelain")}),
              QStringLiteral("M apps/db/db.yaml"));
}

TEST_F(GitRevertTest, PushRejectionKeepsTheLocalCommitAndSaysSo) {
    // Someone else pushes first: our push is not a fast-forward.
    const QString other = repo.cloneAnother(QStringLiteral("other"));
    QFile file(other + QStringLiteral("/NOTES"));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("x\n");
    file.close();
    repo.git(other, {QStringLiteral("add"), QStringLiteral("-A")});
    repo.git(other,
             {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("Notes")});
    repo.git(other, {QStringLiteral("push"), QStringLiteral("-q"), QStringLiteral("origin"),
                     QStringLiteral("main")});
    const QString remoteBefore = repo.remoteRev(QStringLiteral("main"));

    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok());
    Result<RevertResult> result = git->revert(request(bad));
    ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
    EXPECT_FALSE(result->pushed);
    EXPECT_TRUE(result->pushNote.startsWith(QStringLiteral("not pushed"))) << result->pushNote.toStdString();
    EXPECT_EQ(repo.remoteRev(QStringLiteral("main")), remoteBefore);
    EXPECT_EQ(repo.workRev(QStringLiteral("main")), result->revertCommitId);
}

// In the cache clone (a bare mirror of the remote) a rejected push must not leave the branch on a
// commit the remote never received: the next resolve("main") would hand it to a sync.
TEST_F(GitRevertTest, PushRejectionPutsTheCacheClonesBranchBack) {
    Result<GitRepository> git = GitRepository::openOrClone(repo.remoteUrl(), {}, repo.cacheRoot());
    ASSERT_TRUE(git.ok());
    const QString mirror = git->gitDirectory();
    ASSERT_EQ(repo.git(mirror, {QStringLiteral("rev-parse"), QStringLiteral("refs/heads/main")}), later);
    // Someone else pushes after the cache fetched: our push is not a fast-forward.
    const QString other = repo.cloneAnother(QStringLiteral("other"));
    QFile file(other + QStringLiteral("/NOTES"));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("x\n");
    file.close();
    repo.git(other, {QStringLiteral("add"), QStringLiteral("-A")});
    repo.git(other,
             {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), QStringLiteral("Notes")});
    repo.git(other, {QStringLiteral("push"), QStringLiteral("-q"), QStringLiteral("origin"),
                     QStringLiteral("main")});
    const QString remoteBefore = repo.remoteRev(QStringLiteral("main"));

    RevertRequest r = request(bad);
    r.authorName = QStringLiteral("Driftdeck Operator");
    r.authorEmail = QStringLiteral("ops@example.com");
    Result<RevertResult> result = git->revert(r);
    ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
    EXPECT_FALSE(result->pushed);
    EXPECT_EQ(repo.remoteRev(QStringLiteral("main")), remoteBefore);
    EXPECT_EQ(repo.git(mirror, {QStringLiteral("rev-parse"), QStringLiteral("refs/heads/main")}), later)
        << "the mirror's branch must be where the remote last had it, not on the unpushed revert";
    EXPECT_TRUE(result->pushNote.contains(QStringLiteral("is back on ") + later.left(10)))
        << result->pushNote.toStdString();
    Result<ResolvedRevision> resolved = git->resolve(QStringLiteral("main"));
    ASSERT_TRUE(resolved.ok());
    EXPECT_EQ(resolved->commitId, later);
}

TEST_F(GitRevertTest, NoPushLeavesItLocal) {
    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok());
    RevertRequest r = request(bad);
    r.push = false;
    Result<RevertResult> result = git->revert(r);
    ASSERT_TRUE(result.ok());
    EXPECT_FALSE(result->pushed);
    EXPECT_FALSE(result->pushNote.isEmpty());
    EXPECT_EQ(repo.remoteRev(QStringLiteral("main")), later);
}

TEST_F(GitRevertTest, BadRequestsAreRefusedClearly) {
    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok());
    RevertRequest noBranch = request(bad);
    noBranch.branch = QStringLiteral("release");
    EXPECT_EQ(git->revert(noBranch).error().code, Error::Code::NotFound);
    EXPECT_TRUE(git->revert(noBranch).error().message.contains(QStringLiteral("'release'")));
    EXPECT_EQ(git->revert(request(QStringLiteral("deadbeef"))).error().code, Error::Code::NotFound);
    EXPECT_EQ(git->revert(request(base)).error().code, Error::Code::Invalid) << "a root commit";
    ASSERT_TRUE(git->revert(request(bad)).ok());
    Result<RevertResult> twice = git->revert(request(bad));
    ASSERT_FALSE(twice.ok());
    EXPECT_TRUE(twice.error().message.contains(QStringLiteral("already reverted")));
}

} // namespace
