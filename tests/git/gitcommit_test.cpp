// Creating repositories and writing snapshot commits (used to build the demo fleet's repository),
// checked with the git command line as the referee.

#include "git/gitrepository.h"
#include "gittestrepo.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTimeZone>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::git;

namespace {

SnapshotCommit snapshot(QList<QPair<QString, QByteArray>> files, const QString& message, int day) {
    SnapshotCommit commit;
    commit.files = std::move(files);
    commit.message = message;
    commit.authorName = QStringLiteral("Dana Demo");
    commit.authorEmail = QStringLiteral("dana@example.com");
    commit.time = QDateTime(QDate(2026, 6, day), QTime(9, 30), QTimeZone(7200));
    return commit;
}

class GitCommitTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::isolateGitEnvironment();
        ASSERT_TRUE(tmp.isValid());
    }
    QString git(const QString& dir, const QStringList& args) {
        const test::ProcessResult r =
            test::runProcess(QStringLiteral("git"), QStringList{QStringLiteral("--git-dir"), dir} + args);
        EXPECT_EQ(r.exitCode, 0) << args.join(u' ').toStdString() << ": " << r.err.toStdString();
        return QString::fromUtf8(r.out).trimmed();
    }
    QTemporaryDir tmp;
};

TEST_F(GitCommitTest, SnapshotCommitsFormAHistoryGitReads) {
    const QString path = tmp.filePath(QStringLiteral("fleet.git"));
    Result<GitRepository> repo = GitRepository::init(path, true);
    ASSERT_TRUE(repo.ok()) << repo.error().message.toStdString();
    EXPECT_TRUE(repo->isBare());

    Result<QString> first =
        repo->commitSnapshot(snapshot({{QStringLiteral("apps/web/deploy.yaml"), "kind: Deployment\n"},
                                       {QStringLiteral("README.md"), "hi\n"}},
                                      QStringLiteral("Initial apps"), 1));
    ASSERT_TRUE(first.ok()) << first.error().message.toStdString();
    Result<QString> second = repo->commitSnapshot(
        snapshot({{QStringLiteral("apps/web/deploy.yaml"), "kind: Deployment\nreplicas: 2\n"}},
                 QStringLiteral("Scale web\n\nTwo replicas for the launch."), 2));
    ASSERT_TRUE(second.ok()) << second.error().message.toStdString();

    EXPECT_EQ(git(path, {QStringLiteral("rev-parse"), QStringLiteral("HEAD")}), *second);
    EXPECT_EQ(git(path, {QStringLiteral("rev-parse"), QStringLiteral("HEAD~1")}), *first);
    EXPECT_EQ(git(path, {QStringLiteral("log"), QStringLiteral("--format=%an <%ae> %aI %s")}),
              QStringLiteral("Dana Demo <dana@example.com> 2026-06-02T09:30:00+02:00 Scale web\n"
                             "Dana Demo <dana@example.com> 2026-06-01T09:30:00+02:00 Initial apps"));
    // The tree is exactly the snapshot: README.md is gone in the second commit.
    EXPECT_EQ(git(path, {QStringLiteral("ls-tree"), QStringLiteral("-r"), QStringLiteral("--name-only"),
                         QStringLiteral("HEAD")}),
              QStringLiteral("apps/web/deploy.yaml"));
    EXPECT_EQ(git(path, {QStringLiteral("show"), QStringLiteral("HEAD:apps/web/deploy.yaml")}),
              QStringLiteral("kind: Deployment\nreplicas: 2"));
    git(path, {QStringLiteral("fsck"), QStringLiteral("--strict")});

    Result<TreeSnapshot> tree = repo->readTree(QStringLiteral("main"), QStringLiteral("apps/web"));
    ASSERT_TRUE(tree.ok()) << tree.error().message.toStdString();
    ASSERT_EQ(tree->files.size(), 1);
    EXPECT_EQ(tree->files.first().content, QByteArray("kind: Deployment\nreplicas: 2\n"));
}

TEST_F(GitCommitTest, EqualSnapshotsGiveEqualCommitIds) {
    QStringList ids;
    for (const QString& name : {QStringLiteral("a.git"), QStringLiteral("b.git")}) {
        Result<GitRepository> repo = GitRepository::init(tmp.filePath(name), true);
        ASSERT_TRUE(repo.ok());
        Result<QString> id =
            repo->commitSnapshot(snapshot({{QStringLiteral("x.yaml"), "a: 1\n"}}, QStringLiteral("x"), 3));
        ASSERT_TRUE(id.ok());
        ids.append(*id);
    }
    EXPECT_EQ(ids[0], ids[1]);
}

TEST_F(GitCommitTest, InvalidRequestsWriteNothing) {
    const QString path = tmp.filePath(QStringLiteral("r.git"));
    Result<GitRepository> repo = GitRepository::init(path, true);
    ASSERT_TRUE(repo.ok());
    for (const QString& bad : {QStringLiteral("../escape.yaml"), QStringLiteral("/abs.yaml"),
                               QStringLiteral("a//b.yaml"), QStringLiteral(".git/config"), QString()}) {
        Result<QString> id = repo->commitSnapshot(snapshot({{bad, "x"}}, QStringLiteral("bad"), 4));
        ASSERT_FALSE(id.ok()) << bad.toStdString();
        EXPECT_EQ(id.error().code, Error::Code::Invalid);
    }
    Result<QString> twice = repo->commitSnapshot(
        snapshot({{QStringLiteral("a"), "1"}, {QStringLiteral("a"), "2"}}, QStringLiteral("dup"), 4));
    EXPECT_FALSE(twice.ok());
    SnapshotCommit noAuthor = snapshot({{QStringLiteral("a"), "1"}}, QStringLiteral("x"), 4);
    noAuthor.authorName.clear();
    EXPECT_FALSE(repo->commitSnapshot(noAuthor).ok());
    SnapshotCommit badBranch = snapshot({{QStringLiteral("a"), "1"}}, QStringLiteral("x"), 4);
    badBranch.branch = QStringLiteral("no..dots");
    EXPECT_FALSE(repo->commitSnapshot(badBranch).ok());
    EXPECT_FALSE(repo->resolve(QStringLiteral("main")).ok()) << "no commit may have been written";
}

TEST_F(GitCommitTest, InitRefusesAnExistingRepository) {
    const QString path = tmp.filePath(QStringLiteral("w"));
    ASSERT_TRUE(GitRepository::init(path, false).ok());
    Result<GitRepository> again = GitRepository::init(path, true);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, Error::Code::Conflict);
    EXPECT_TRUE(again.error().message.contains(path));
}

} // namespace
