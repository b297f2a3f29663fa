// History of a path and the diff of one commit: what the history and diff panes show.

#include "git/gitrepository.h"
#include "gittestrepo.h"

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::git;
using driftdeck::test::GitTestRepo;

namespace {

class GitHistoryTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(repo.valid());
        repo.write(QStringLiteral("apps/web/deploy.yaml"), "replicas: 1\n");
        repo.write(QStringLiteral("apps/web/old.yaml"),
                   "name: old\nkeep: this content for rename detection\n");
        repo.write(QStringLiteral("apps/web/gone.yaml"), "bye: 1\n");
        c1 = repo.commitAll(QStringLiteral("Add web"));
        repo.write(QStringLiteral("apps/db/db.yaml"), "db: 1\n");
        c2 = repo.commitAll(QStringLiteral("Add db"));
        repo.write(QStringLiteral("apps/web/deploy.yaml"), "replicas: 3\n");
        repo.gitWork(
            {QStringLiteral("mv"), QStringLiteral("apps/web/old.yaml"), QStringLiteral("apps/web/new.yaml")});
        repo.remove(QStringLiteral("apps/web/gone.yaml"));
        repo.write(QStringLiteral("apps/web/added.yaml"), "hello: world\n");
        c3 = repo.commitAll(QStringLiteral("Scale web\n\nBecause traffic grew.\nSee ticket 42."));
        repo.write(QStringLiteral("README"), "docs\n");
        c4 = repo.commitAll(QStringLiteral("Docs"));
        git = std::make_unique<Result<GitRepository>>(GitRepository::open(repo.workPath()));
        ASSERT_TRUE(git->ok());
    }
    GitRepository& g() { return git->value(); }

    GitTestRepo repo;
    QString c1, c2, c3, c4;
    std::unique_ptr<Result<GitRepository>> git;
};

TEST_F(GitHistoryTest, HistoryListsOnlyCommitsTouchingThePathNewestFirst) {
    Result<QList<CommitInfo>> history = g().history(QStringLiteral("main"), QStringLiteral("apps/web"));
    ASSERT_TRUE(history.ok()) << history.error().message.toStdString();
    ASSERT_EQ(history->size(), 2);
    const CommitInfo& newest = history->at(0);
    EXPECT_EQ(newest.id, c3);
    EXPECT_EQ(newest.summary, QStringLiteral("Scale web"));
    EXPECT_EQ(newest.body, QStringLiteral("Because traffic grew.\nSee ticket 42."));
    EXPECT_EQ(newest.authorName, QStringLiteral("Ada Author"));
    EXPECT_EQ(newest.authorEmail, QStringLiteral("ada@example.com"));
    EXPECT_TRUE(newest.authorTime.isValid());
    EXPECT_EQ(newest.parentIds, QStringList{c2});
    QStringList files = newest.changedFiles;
    files.sort();
    EXPECT_EQ(files,
              (QStringList{QStringLiteral("apps/web/added.yaml"), QStringLiteral("apps/web/deploy.yaml"),
                           QStringLiteral("apps/web/gone.yaml"), QStringLiteral("apps/web/new.yaml"),
                           QStringLiteral("apps/web/old.yaml")}));
    EXPECT_EQ(history->at(1).id, c1);
    EXPECT_TRUE(history->at(1).parentIds.isEmpty());

    Result<QList<CommitInfo>> limited = g().history(QStringLiteral("main"), QStringLiteral("apps/web"), 1);
    ASSERT_TRUE(limited.ok());
    ASSERT_EQ(limited->size(), 1);
    EXPECT_EQ(limited->at(0).id, c3);

    Result<QList<CommitInfo>> whole = g().history(QStringLiteral("main"), QString());
    ASSERT_TRUE(whole.ok());
    EXPECT_EQ(whole->size(), 4);

    std::atomic_bool cancel{true};
    Result<QList<CommitInfo>> cancelled = g().history(QStringLiteral("main"), QString(), 50, &cancel);
    ASSERT_FALSE(cancelled.ok());
    EXPECT_EQ(cancelled.error().code, Error::Code::Cancelled);
}

TEST_F(GitHistoryTest, HistoryFollowsFirstParentsOnly) {
    repo.gitWork(
        {QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("side"), c4});
    repo.write(QStringLiteral("apps/web/side.yaml"), "side: 1\n");
    const QString side = repo.commitAll(QStringLiteral("Side change"));
    repo.gitWork({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("main")});
    repo.write(QStringLiteral("apps/db/db.yaml"), "db: 2\n");
    repo.commitAll(QStringLiteral("Main change"));
    repo.gitWork({QStringLiteral("merge"), QStringLiteral("-q"), QStringLiteral("--no-ff"),
                  QStringLiteral("-m"), QStringLiteral("Merge side"), QStringLiteral("side")});
    Result<QList<CommitInfo>> history = g().history(QStringLiteral("main"), QStringLiteral("apps/web"));
    ASSERT_TRUE(history.ok());
    ASSERT_GE(history->size(), 1);
    EXPECT_EQ(history->at(0).summary, QStringLiteral("Merge side"));
    EXPECT_EQ(history->at(0).changedFiles, QStringList{QStringLiteral("apps/web/side.yaml")});
    for (const CommitInfo& info : *history)
        EXPECT_NE(info.id, side) << "commits of the merged branch are not walked";
}

TEST_F(GitHistoryTest, CommitDiffReportsEveryKindOfChangeUnderThePath) {
    Result<CommitDiff> diff = g().commitDiff(c3, QStringLiteral("apps/web"));
    ASSERT_TRUE(diff.ok()) << diff.error().message.toStdString();
    EXPECT_EQ(diff->commitId, c3);
    EXPECT_EQ(diff->parentId, c2);
    ASSERT_EQ(diff->files.size(), 4);
    QHash<QString, FileChange> byPath;
    for (const FileChange& change : diff->files)
        byPath.insert(change.newPath.isEmpty() ? change.oldPath : change.newPath, change);

    const FileChange modified = byPath.value(QStringLiteral("apps/web/deploy.yaml"));
    EXPECT_EQ(modified.status, FileChange::Status::Modified);
    EXPECT_EQ(modified.oldContent, QByteArray("replicas: 1\n"));
    EXPECT_EQ(modified.newContent, QByteArray("replicas: 3\n"));
    EXPECT_TRUE(modified.patch.contains(QStringLiteral("--- a/apps/web/deploy.yaml")))
        << modified.patch.toStdString();
    EXPECT_TRUE(modified.patch.contains(QStringLiteral("-replicas: 1\n+replicas: 3\n")));

    const FileChange added = byPath.value(QStringLiteral("apps/web/added.yaml"));
    EXPECT_EQ(added.status, FileChange::Status::Added);
    EXPECT_TRUE(added.oldContent.isEmpty());
    EXPECT_EQ(added.newContent, QByteArray("hello: world\n"));

    const FileChange deleted = byPath.value(QStringLiteral("apps/web/gone.yaml"));
    EXPECT_EQ(deleted.status, FileChange::Status::Deleted);
    EXPECT_EQ(deleted.oldContent, QByteArray("bye: 1\n"));
    EXPECT_TRUE(deleted.newPath.isEmpty());

    const FileChange renamed = byPath.value(QStringLiteral("apps/web/new.yaml"));
    EXPECT_EQ(renamed.status, FileChange::Status::Renamed);
    EXPECT_EQ(renamed.oldPath, QStringLiteral("apps/web/old.yaml"));

    // The same commit seen from another path changed nothing there.
    Result<CommitDiff> elsewhere = g().commitDiff(c3, QStringLiteral("apps/db"));
    ASSERT_TRUE(elsewhere.ok());
    EXPECT_TRUE(elsewhere->files.isEmpty());

    // A root commit diffs against the empty tree.
    Result<CommitDiff> root = g().commitDiff(c1, QString());
    ASSERT_TRUE(root.ok());
    EXPECT_TRUE(root->parentId.isEmpty());
    EXPECT_EQ(root->files.size(), 3);
}

TEST_F(GitHistoryTest, CommitDiffOmitsContentOverTheLimit) {
    ReadLimits small;
    small.maxFileSize = 5;
    Result<CommitDiff> diff = g().commitDiff(c3, QStringLiteral("apps/web/"), small);
    ASSERT_TRUE(diff.ok());
    for (const FileChange& change : diff->files) {
        EXPECT_TRUE(change.contentOmitted);
        EXPECT_TRUE(change.newContent.isEmpty());
        EXPECT_TRUE(change.patch.isEmpty());
    }
}

} // namespace
