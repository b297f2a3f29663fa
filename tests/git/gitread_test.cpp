// Cloning, resolving and reading trees: what the render pipeline relies on.

#include "git/git_p.h"
#include "git/gitrepository.h"
#include "gittestrepo.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::git;
using driftdeck::test::GitTestRepo;

namespace {

class GitReadTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(repo.valid());
        repo.write(QStringLiteral("apps/web/deploy.yaml"), "kind: Deployment\n");
        repo.write(QStringLiteral("apps/web/svc.yaml"), "kind: Service\n");
        repo.write(QStringLiteral("apps/db/db.yaml"), "kind: StatefulSet\n");
        first = repo.commitAll(QStringLiteral("Initial apps"));
        repo.gitWork({QStringLiteral("tag"), QStringLiteral("v1-light")});
        repo.gitWork({QStringLiteral("tag"), QStringLiteral("-a"), QStringLiteral("v1"), QStringLiteral("-m"),
                      QStringLiteral("release 1")});
        repo.write(QStringLiteral("apps/db/db.yaml"), "kind: StatefulSet\nreplicas: 2\n");
        second = repo.commitAll(QStringLiteral("Scale db"));
        repo.gitWork({QStringLiteral("branch"), QStringLiteral("feature"), first});
        repo.push(QStringLiteral("main"));
        repo.push(QStringLiteral("feature"));
        repo.gitWork({QStringLiteral("push"), QStringLiteral("-q"), QStringLiteral("origin"),
                      QStringLiteral("--tags")});
    }

    Result<GitRepository> cached() {
        return GitRepository::openOrClone(repo.remoteUrl(), {}, repo.cacheRoot());
    }

    GitTestRepo repo;
    QString first;
    QString second;
};

TEST_F(GitReadTest, CloneIntoCacheAndResolveEveryKindOfRevision) {
    Result<GitRepository> git = cached();
    ASSERT_TRUE(git.ok()) << git.error().message.toStdString();
    EXPECT_TRUE(git->isBare());
    EXPECT_EQ(QDir(git->gitDirectory()).absolutePath(),
              QDir(GitRepository::cacheDirectoryFor(repo.remoteUrl(), repo.cacheRoot())).absolutePath());
    EXPECT_EQ(git->displayName(), repo.remoteUrl());

    const auto commitOf = [&](const QString& rev) {
        Result<ResolvedRevision> r = git->resolve(rev);
        EXPECT_TRUE(r.ok()) << rev.toStdString() << ": " << (r.ok() ? "" : r.error().message.toStdString());
        return r.ok() ? r->commitId : QString();
    };
    EXPECT_EQ(commitOf(QStringLiteral("main")), second);
    EXPECT_EQ(commitOf(QStringLiteral("HEAD")), second);
    EXPECT_EQ(commitOf(QStringLiteral("origin/main")), second);
    EXPECT_EQ(commitOf(QStringLiteral("refs/heads/main")), second);
    EXPECT_EQ(commitOf(QStringLiteral("feature")), first);
    EXPECT_EQ(commitOf(QStringLiteral("v1")), first); // annotated tag peels to its commit
    EXPECT_EQ(commitOf(QStringLiteral("v1-light")), first);
    EXPECT_EQ(commitOf(first), first);
    EXPECT_EQ(commitOf(first.left(8)), first);
    EXPECT_EQ(git->resolve(QStringLiteral("main"))->refName, QStringLiteral("refs/heads/main"));
    EXPECT_EQ(git->resolve(QStringLiteral("v1"))->refName, QStringLiteral("refs/tags/v1"));

    Result<ResolvedRevision> missing = git->resolve(QStringLiteral("no-such-branch"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, Error::Code::NotFound);
    EXPECT_TRUE(missing.error().message.contains(QStringLiteral("no-such-branch")));
    EXPECT_TRUE(missing.error().message.contains(repo.remoteUrl()));

    Result<ResolvedRevision> noPath = git->resolve(QStringLiteral("main"), QStringLiteral("apps/nope"));
    ASSERT_FALSE(noPath.ok());
    EXPECT_EQ(noPath.error().code, Error::Code::NotFound);
    EXPECT_TRUE(noPath.error().message.contains(QStringLiteral("apps/nope")));

    // A second openOrClone reuses the cache entry instead of cloning again.
    Result<GitRepository> again = cached();
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->gitDirectory(), git->gitDirectory());
}

TEST_F(GitReadTest, ClonesAPlainLocalPathToo) {
    Result<GitRepository> git = GitRepository::openOrClone(repo.remotePath(), {}, repo.cacheRoot());
    ASSERT_TRUE(git.ok()) << git.error().message.toStdString();
    EXPECT_EQ(git->resolve(QStringLiteral("main"))->commitId, second);
}

TEST_F(GitReadTest, OpenInPlaceReadsCommittedStateOnly) {
    repo.write(QStringLiteral("apps/web/deploy.yaml"), "edited but not committed\n");
    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok()) << git.error().message.toStdString();
    EXPECT_FALSE(git->isBare());
    Result<TreeSnapshot> tree = git->readTree(QStringLiteral("HEAD"), QStringLiteral("apps/web"));
    ASSERT_TRUE(tree.ok()) << tree.error().message.toStdString();
    ASSERT_EQ(tree->files.size(), 2);
    EXPECT_EQ(tree->files[0].path, QStringLiteral("deploy.yaml"));
    EXPECT_EQ(tree->files[0].content, QByteArray("kind: Deployment\n"));
    // The work tree is untouched by reading.
    EXPECT_EQ(test::readFile(repo.workPath() + QStringLiteral("/apps/web/deploy.yaml")),
              QByteArray("edited but not committed\n"));

    Result<GitRepository> notARepo = GitRepository::open(repo.root());
    ASSERT_FALSE(notARepo.ok());
    EXPECT_TRUE(notARepo.error().message.contains(repo.root()));
}

TEST_F(GitReadTest, FetchSeesACommitPushedByAnotherClone) {
    Result<GitRepository> git = cached();
    ASSERT_TRUE(git.ok());
    const QString other = repo.cloneAnother(QStringLiteral("other"));
    QFile file(other + QStringLiteral("/apps/web/new.yaml"));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("kind: ConfigMap\n");
    file.close();
    repo.git(other, {QStringLiteral("add"), QStringLiteral("-A")});
    repo.git(other, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"),
                     QStringLiteral("Add cm")});
    repo.git(other, {QStringLiteral("push"), QStringLiteral("-q"), QStringLiteral("origin"),
                     QStringLiteral("main")});
    const QString pushed = repo.git(other, {QStringLiteral("rev-parse"), QStringLiteral("HEAD")});

    EXPECT_EQ(git->resolve(QStringLiteral("main"))->commitId, second) << "no fetch yet";
    int progressCalls = 0;
    RemoteOptions options;
    options.progress = [&](const TransferProgress&) { ++progressCalls; };
    Status fetched = git->fetch(options);
    ASSERT_TRUE(fetched.ok()) << fetched.error().message.toStdString();
    EXPECT_EQ(git->resolve(QStringLiteral("main"))->commitId, pushed);
    EXPECT_EQ(git->resolve(QStringLiteral("origin/main"))->commitId, pushed);
    EXPECT_GT(progressCalls, 0);
    Result<TreeSnapshot> tree = git->readTree(QStringLiteral("main"), QStringLiteral("apps/web"));
    ASSERT_TRUE(tree.ok());
    EXPECT_EQ(tree->files.size(), 3);
}

TEST_F(GitReadTest, FetchPrunesBranchesDeletedOnTheRemote) {
    Result<GitRepository> git = cached();
    ASSERT_TRUE(git.ok());
    ASSERT_TRUE(git->resolve(QStringLiteral("feature")).ok());
    repo.gitWork(
        {QStringLiteral("push"), QStringLiteral("-q"), QStringLiteral("origin"), QStringLiteral(":feature")});
    ASSERT_TRUE(git->fetch().ok());
    Result<ResolvedRevision> gone = git->resolve(QStringLiteral("feature"));
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, Error::Code::NotFound);
    EXPECT_EQ(git->resolve(QStringLiteral("main"))->commitId, second);
}

TEST_F(GitReadTest, FetchInPlaceUpdatesRemoteTrackingRefsOnly) {
    Result<GitRepository> work = GitRepository::open(repo.workPath());
    ASSERT_TRUE(work.ok());
    const QString other = repo.cloneAnother(QStringLiteral("other"));
    repo.git(other, {QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("--allow-empty"),
                     QStringLiteral("-m"), QStringLiteral("Empty")});
    repo.git(other, {QStringLiteral("push"), QStringLiteral("-q"), QStringLiteral("origin"),
                     QStringLiteral("main")});
    const QString pushed = repo.git(other, {QStringLiteral("rev-parse"), QStringLiteral("HEAD")});
    Status fetched = work->fetch();
    ASSERT_TRUE(fetched.ok()) << fetched.error().message.toStdString();
    EXPECT_EQ(work->resolve(QStringLiteral("origin/main"))->commitId, pushed);
    EXPECT_EQ(work->resolve(QStringLiteral("main"))->commitId, second) << "the local branch is the user's";
    EXPECT_EQ(repo.workRev(QStringLiteral("HEAD")), second);
}

TEST_F(GitReadTest, TreeIdIsStableUntilThePathChanges) {
    Result<GitRepository> work = GitRepository::open(repo.workPath());
    ASSERT_TRUE(work.ok());
    const QString webAtFirst = work->resolve(first, QStringLiteral("apps/web"))->treeId;
    const QString webAtSecond = work->resolve(second, QStringLiteral("apps/web"))->treeId;
    EXPECT_FALSE(webAtFirst.isEmpty());
    EXPECT_EQ(webAtFirst, webAtSecond) << "the second commit touched apps/db only";
    EXPECT_NE(work->resolve(first, QStringLiteral("apps/db"))->treeId,
              work->resolve(second, QStringLiteral("apps/db"))->treeId);
    EXPECT_EQ(work->resolve(second, QStringLiteral("./apps/web/"))->treeId, webAtSecond);

    repo.write(QStringLiteral("apps/web/svc.yaml"), "kind: Service\nspec: {}\n");
    const QString third = repo.commitAll(QStringLiteral("Change web"));
    EXPECT_NE(work->resolve(third, QStringLiteral("apps/web"))->treeId, webAtSecond);

    Result<ResolvedRevision> escaping = work->resolve(third, QStringLiteral("apps/../../etc"));
    ASSERT_FALSE(escaping.ok());
    EXPECT_EQ(escaping.error().code, Error::Code::Invalid);
}

TEST_F(GitReadTest, ReadsFilesModesSymlinksAndSkipsSubmodules) {
    repo.write(QStringLiteral("apps/web/run.sh"), "#!/bin/sh\n");
    QFile script(repo.workPath() + QStringLiteral("/apps/web/run.sh"));
    ASSERT_TRUE(script.setPermissions(script.permissions() | QFileDevice::ExeOwner));
    ASSERT_TRUE(
        QFile::link(QStringLiteral("deploy.yaml"), repo.workPath() + QStringLiteral("/apps/web/alias.yaml")));
    repo.gitWork({QStringLiteral("add"), QStringLiteral("-A")});
    // A gitlink entry, as a submodule leaves in the tree.
    repo.gitWork({QStringLiteral("update-index"), QStringLiteral("--add"), QStringLiteral("--cacheinfo"),
                  QStringLiteral("160000,") + first + QStringLiteral(",apps/web/vendored")});
    repo.gitWork({QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"),
                  QStringLiteral("Script etc.")});

    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok());
    Result<TreeSnapshot> tree = git->readTree(QStringLiteral("main"), QStringLiteral("apps/web"));
    ASSERT_TRUE(tree.ok()) << tree.error().message.toStdString();
    ASSERT_EQ(tree->files.size(), 4);
    EXPECT_EQ(tree->files[0].path, QStringLiteral("alias.yaml"));
    EXPECT_EQ(tree->files[0].kind, TreeFile::Kind::Symlink);
    EXPECT_EQ(tree->files[0].symlinkTarget, QStringLiteral("deploy.yaml"));
    EXPECT_EQ(tree->files[2].path, QStringLiteral("run.sh"));
    EXPECT_EQ(tree->files[2].kind, TreeFile::Kind::Executable);
    EXPECT_EQ(tree->skippedSubmodules, QStringList{QStringLiteral("vendored")});

    QTemporaryDir out;
    Result<TreeSnapshot> written = git->materialise(QStringLiteral("main"), QStringLiteral("apps/web"),
                                                    out.path() + QStringLiteral("/app"));
    ASSERT_TRUE(written.ok()) << written.error().message.toStdString();
    EXPECT_EQ(written->treeId, tree->treeId);
    const QString dir = out.path() + QStringLiteral("/app");
    EXPECT_EQ(test::readFile(dir + QStringLiteral("/svc.yaml")), QByteArray("kind: Service\n"));
    EXPECT_EQ(test::readFile(dir + QStringLiteral("/alias.yaml")), QByteArray("kind: Deployment\n"));
    EXPECT_TRUE(QFileInfo(dir + QStringLiteral("/alias.yaml")).isSymLink());
    EXPECT_TRUE(QFileInfo(dir + QStringLiteral("/run.sh")).isExecutable());
    EXPECT_FALSE(QFileInfo::exists(dir + QStringLiteral("/vendored")));
    EXPECT_TRUE(written->files[1].content.isEmpty()) << "materialised snapshots do not hold contents";
}

TEST_F(GitReadTest, SymlinkEscapingThePathIsRefused) {
    ASSERT_TRUE(QFile::link(QStringLiteral("../../../etc/passwd"),
                            repo.workPath() + QStringLiteral("/apps/web/evil.yaml")));
    repo.commitAll(QStringLiteral("Evil link"));
    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok());
    for (bool onDisk : {false, true}) {
        QTemporaryDir out;
        Result<TreeSnapshot> tree =
            onDisk ? git->materialise(QStringLiteral("main"), QStringLiteral("apps/web"), out.path())
                   : git->readTree(QStringLiteral("main"), QStringLiteral("apps/web"));
        ASSERT_FALSE(tree.ok());
        EXPECT_EQ(tree.error().code, Error::Code::Invalid);
        EXPECT_TRUE(tree.error().message.contains(QStringLiteral("apps/web/evil.yaml")))
            << tree.error().message.toStdString();
        EXPECT_FALSE(tree.error().message.contains(QStringLiteral("passwd"))) << "no link contents in errors";
        EXPECT_FALSE(QFileInfo(out.path() + QStringLiteral("/evil.yaml")).isSymLink());
        if (onDisk) {
            EXPECT_TRUE(QDir(out.path()).entryList(QDir::Files | QDir::System | QDir::Hidden).isEmpty())
                << "the files written before the refusal are removed";
        }
    }
    // A link that stays inside the read path, but not inside apps/web, is refused for apps/web
    // and accepted when the whole repository is read.
    repo.remove(QStringLiteral("apps/web/evil.yaml"));
    ASSERT_TRUE(
        QFile::link(QStringLiteral("../db/db.yaml"), repo.workPath() + QStringLiteral("/apps/web/db.yaml")));
    repo.commitAll(QStringLiteral("Sibling link"));
    EXPECT_FALSE(git->readTree(QStringLiteral("main"), QStringLiteral("apps/web")).ok());
    EXPECT_TRUE(git->readTree(QStringLiteral("main"), QString()).ok());
}

TEST_F(GitReadTest, SymlinkClimbingOutThroughAnotherLinkIsRefused) {
    // "here -> ." is harmless alone, but "up -> here/.." resolves to the parent on disk.
    ASSERT_TRUE(QFile::link(QStringLiteral("."), repo.workPath() + QStringLiteral("/apps/web/here")));
    ASSERT_TRUE(QFile::link(QStringLiteral("here/.."), repo.workPath() + QStringLiteral("/apps/web/up")));
    repo.commitAll(QStringLiteral("Tricky links"));
    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok());
    Result<TreeSnapshot> tree = git->readTree(QStringLiteral("main"), QStringLiteral("apps/web"));
    ASSERT_FALSE(tree.ok());
    EXPECT_TRUE(tree.error().message.contains(QStringLiteral("apps/web/up")))
        << tree.error().message.toStdString();
}

TEST_F(GitReadTest, HostileTreeEntryNamesAreRefused) {
    // git itself never writes such trees; a hostile server can. Built byte by byte here.
    const QString blob = repo.git(
        repo.workPath(), {QStringLiteral("hash-object"), QStringLiteral("-w"), QStringLiteral("--stdin")},
        "planted\n");
    const auto treeWith = [&](const QByteArray& name) {
        const QByteArray entry = "100644 " + name + '\0' + QByteArray::fromHex(blob.toLatin1());
        return repo.git(repo.workPath(),
                        {QStringLiteral("hash-object"), QStringLiteral("-t"), QStringLiteral("tree"),
                         QStringLiteral("-w"), QStringLiteral("--literally"), QStringLiteral("--stdin")},
                        entry);
    };
    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok());
    for (const QByteArray& name : {QByteArray(".."), QByteArray(".git"), QByteArray("a/b")}) {
        const QString tree = treeWith(name);
        const QString commit = repo.git(repo.workPath(), {QStringLiteral("commit-tree"), tree,
                                                          QStringLiteral("-m"), QStringLiteral("hostile")});
        QTemporaryDir out;
        const QString target = out.path() + QStringLiteral("/app");
        Result<TreeSnapshot> written = git->materialise(commit, QString(), target);
        ASSERT_FALSE(written.ok()) << name.toStdString();
        EXPECT_EQ(written.error().code, Error::Code::Invalid);
        EXPECT_TRUE(written.error().message.contains(QStringLiteral("unsafe file name")))
            << written.error().message.toStdString();
        EXPECT_EQ(QDir(out.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden),
                  QStringList{QStringLiteral("app")});
        EXPECT_TRUE(QDir(target).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden).isEmpty());
    }
}

TEST_F(GitReadTest, FileOverTheSizeLimitIsRefusedWithoutReadingIt) {
    // 50 MB of a repeated line: tiny once compressed, so only the object header says how big it is.
    QByteArray big;
    big.reserve(50 * 1024 * 1024);
    const QByteArray line = "secret-looking-line: 0123456789abcdef0123456789abcdef0123456789\n";
    while (big.size() < 50 * 1024 * 1024)
        big += line;
    const qint64 bigSize = big.size();
    repo.write(QStringLiteral("apps/web/huge.bin"), big);
    big.clear();
    repo.commitAll(QStringLiteral("Huge file"));
    repo.push();

    Result<GitRepository> git = cached();
    ASSERT_TRUE(git.ok()) << git.error().message.toStdString();
    Result<TreeSnapshot> tree = git->readTree(QStringLiteral("main"), QStringLiteral("apps/web"));
    ASSERT_FALSE(tree.ok());
    EXPECT_EQ(tree.error().code, Error::Code::TooLarge);
    const QString message = tree.error().toString();
    EXPECT_TRUE(message.contains(QStringLiteral("apps/web/huge.bin"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QString::number(10 * 1024 * 1024))) << "names the limit";
    EXPECT_FALSE(message.contains(QStringLiteral("secret-looking-line"))) << "never echoes contents";

    // Other paths of the same commit stay readable, and the limit can be raised.
    EXPECT_TRUE(git->readTree(QStringLiteral("main"), QStringLiteral("apps/db")).ok());
    ReadLimits generous;
    generous.maxFileSize = 64 * 1024 * 1024;
    Result<TreeSnapshot> raised = git->readTree(QStringLiteral("main"), QStringLiteral("apps/web"), generous);
    ASSERT_TRUE(raised.ok());
    EXPECT_EQ(raised->files[1].size, bigSize);
}

// Every link is checked against the set of all links; building that set once per link made a tree
// with the allowed 20,000 files quadratic. Counted, not timed.
TEST_F(GitReadTest, ManySymlinksAreCheckedAgainstOneSetOfLinks) {
    constexpr int kLinks = 500;
    ASSERT_TRUE(QDir().mkpath(repo.workPath() + QStringLiteral("/apps/links")));
    for (int i = 0; i < kLinks; ++i)
        ASSERT_TRUE(QFile::link(QStringLiteral("../web/deploy.yaml"),
                                repo.workPath() + QStringLiteral("/apps/links/l%1.yaml").arg(i)));
    repo.commitAll(QStringLiteral("Many links"));
    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok());
    const qint64 before = detail::linkSetBuilds();
    Result<TreeSnapshot> tree = git->readTree(QStringLiteral("main"), QStringLiteral("apps"));
    ASSERT_TRUE(tree.ok()) << tree.error().message.toStdString();
    EXPECT_EQ(tree->files.size(), kLinks + 3);
    EXPECT_EQ(detail::linkSetBuilds() - before, 1) << "one set of links per read, not one per link";
}

TEST_F(GitReadTest, DirectoriesNestedBeyondTheDepthLimitAreRefused) {
    QString deep = QStringLiteral("apps/deep");
    for (int level = 0; level < 300; ++level)
        deep += QStringLiteral("/d");
    repo.write(deep + QStringLiteral("/x.yaml"), "a: 1\n");
    repo.commitAll(QStringLiteral("Deep"));
    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok());
    Result<TreeSnapshot> tree = git->readTree(QStringLiteral("main"), QStringLiteral("apps/deep"));
    ASSERT_FALSE(tree.ok());
    EXPECT_EQ(tree.error().code, Error::Code::TooLarge);
    EXPECT_TRUE(tree.error().message.contains(QStringLiteral("nest deeper than 256 levels")))
        << tree.error().message.toStdString();
    // 200 levels are fine.
    EXPECT_TRUE(
        git->readTree(QStringLiteral("main"), deep.left(QStringLiteral("apps/deep").size() + 2 * 100)).ok());
}

TEST_F(GitReadTest, FileCountLimitNamesTheLimitAndThePath) {
    for (int i = 0; i < 5; ++i)
        repo.write(QStringLiteral("apps/many/f%1.yaml").arg(i), "a: 1\n");
    repo.commitAll(QStringLiteral("Many files"));
    Result<GitRepository> git = GitRepository::open(repo.workPath());
    ASSERT_TRUE(git.ok());
    ReadLimits limits;
    limits.maxFileCount = 3;
    Result<TreeSnapshot> tree = git->readTree(QStringLiteral("main"), QStringLiteral("apps/many"), limits);
    ASSERT_FALSE(tree.ok());
    EXPECT_EQ(tree.error().code, Error::Code::TooLarge);
    EXPECT_TRUE(tree.error().message.contains(QStringLiteral("more than 3 files")));
    EXPECT_TRUE(tree.error().message.contains(QStringLiteral("apps/many/f3.yaml")))
        << tree.error().message.toStdString();
}

TEST_F(GitReadTest, RepositoryRemovedFromDiskGivesAClearError) {
    Result<GitRepository> git = cached();
    ASSERT_TRUE(git.ok());
    ASSERT_TRUE(git->resolve(QStringLiteral("main")).ok());
    ASSERT_TRUE(QDir(git->gitDirectory()).removeRecursively());
    for (const Error& error :
         {git->resolve(QStringLiteral("main")).error(),
          git->readTree(QStringLiteral("main"), QString()).error(),
          git->history(QStringLiteral("main"), QString()).error(), git->fetch().error()}) {
        EXPECT_EQ(error.code, Error::Code::NotFound);
        EXPECT_TRUE(error.message.contains(QStringLiteral("vanished"))) << error.message.toStdString();
        EXPECT_TRUE(error.message.contains(repo.remoteUrl())) << error.message.toStdString();
    }
}

TEST_F(GitReadTest, RemoteRemovedFromDiskMakesFetchFailClearly) {
    Result<GitRepository> git = cached();
    ASSERT_TRUE(git.ok());
    ASSERT_TRUE(QDir(repo.remotePath()).removeRecursively());
    Status fetched = git->fetch();
    ASSERT_FALSE(fetched.ok());
    EXPECT_TRUE(fetched.error().message.contains(QStringLiteral("vanished or is unreachable")))
        << fetched.error().message.toStdString();
    EXPECT_TRUE(fetched.error().message.contains(repo.remoteUrl()));
    EXPECT_TRUE(git->resolve(QStringLiteral("main")).ok()) << "the cached clone still answers";
}

TEST(GitCloneErrors, CredentialsInTheUrlNeverReachAnError) {
    test::isolateGitEnvironment();
    QTemporaryDir cache;
    // Port 1 on loopback refuses the connection at once.
    const QString url = QStringLiteral("https://operator:hunter2-token@127.0.0.1:1/org/repo.git");
    Result<GitRepository> git = GitRepository::openOrClone(url, {}, cache.path());
    ASSERT_FALSE(git.ok());
    const QString text = git.error().toString();
    EXPECT_FALSE(text.contains(QStringLiteral("hunter2"))) << text.toStdString();
    EXPECT_FALSE(text.contains(QStringLiteral("operator"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("https://127.0.0.1:1/org/repo.git"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("check the URL"))) << text.toStdString();
    EXPECT_EQ(git.error().code, Error::Code::Unavailable);
    EXPECT_TRUE(QDir(cache.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty())
        << "a failed clone leaves nothing in the cache";
}

TEST(GitCloneErrors, CancelledCloneLeavesNothingBehind) {
    GitTestRepo repo;
    ASSERT_TRUE(repo.valid());
    for (int i = 0; i < 50; ++i)
        repo.write(QStringLiteral("f%1.yaml").arg(i), QByteArray::number(i).repeated(1000));
    repo.commitAll(QStringLiteral("Files"));
    repo.push();
    std::atomic_bool cancel{false};
    RemoteOptions options;
    options.cancel = &cancel;
    options.progress = [&](const TransferProgress&) { cancel = true; };
    Result<GitRepository> git = GitRepository::openOrClone(repo.remoteUrl(), options, repo.cacheRoot());
    ASSERT_FALSE(git.ok());
    EXPECT_EQ(git.error().code, Error::Code::Cancelled) << git.error().message.toStdString();
    EXPECT_TRUE(QDir(repo.cacheRoot()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty());
}

} // namespace
