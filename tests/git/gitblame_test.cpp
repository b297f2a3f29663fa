// Blame: which commit last changed each line of a file at a revision — the provenance gutter's
// and the CLI's source of truth — on work trees, bare repositories and cache clones, with hostile
// paths refused.

#include "git/gitrepository.h"
#include "git/gitworker.h"
#include "gittestrepo.h"

#include <QFile>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::git;
using driftdeck::test::GitTestRepo;
using driftdeck::test::waitUntil;

namespace {

const QByteArray kVersion1 = "apiVersion: apps/v1\n"          // 1
                             "kind: Deployment\n"             // 2
                             "metadata:\n"                    // 3
                             "  name: web\n"                  // 4
                             "spec:\n"                        // 5
                             "  replicas: 1\n"                // 6
                             "  template:\n"                  // 7
                             "    spec:\n"                    // 8
                             "      containers:\n"            // 9
                             "        - name: web\n"          // 10
                             "          image: nginx:1.25\n"; // 11

class GitBlameTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(repo.valid());
        repo.write(QStringLiteral("apps/web/deployment.yaml"), kVersion1);
        repo.write(QStringLiteral("README"), "docs\n");
        c1 = commitAs(QStringLiteral("Ada Author <ada@example.com>"), QStringLiteral("Add web"),
                      QStringLiteral("2024-01-01T10:00:00+00:00"));
        QByteArray v2 = kVersion1;
        v2.replace("replicas: 1", "replicas: 3");
        repo.write(QStringLiteral("apps/web/deployment.yaml"), v2);
        c2 = commitAs(QStringLiteral("Bob Builder <bob@example.com>"), QStringLiteral("Scale web to 3"),
                      QStringLiteral("2024-02-01T10:00:00+01:00"));
        QByteArray v3 = v2;
        v3.replace("nginx:1.25", "nginx:1.27");
        repo.write(QStringLiteral("apps/web/deployment.yaml"), v3);
        c3 = commitAs(QStringLiteral("Cleo Coder <cleo@example.com>"),
                      QStringLiteral("Bump nginx\n\nCVE fix."), QStringLiteral("2024-03-01T10:00:00+00:00"));
        repo.push();
    }

    QString commitAs(const QString& author, const QString& message, const QString& date) {
        repo.gitWork({QStringLiteral("add"), QStringLiteral("-A")});
        repo.gitWork({QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), message,
                      QStringLiteral("--author=") + author, QStringLiteral("--date=") + date});
        return repo.workRev(QStringLiteral("HEAD"));
    }

    static GitRepository opened(const QString& path) {
        Result<GitRepository> repo = GitRepository::open(path);
        EXPECT_TRUE(repo.ok()) << repo.error().message.toStdString();
        return std::move(repo).value();
    }

    // Line -> commit, checked against the three commits of SetUp.
    void expectThreeAuthors(const Result<QList<BlameHunk>>& hunks) {
        ASSERT_TRUE(hunks.ok()) << hunks.error().message.toStdString();
        const QList<BlameLine> lines = blameLines(*hunks);
        ASSERT_EQ(lines.size(), 11);
        for (int i = 0; i < lines.size(); ++i) {
            const BlameLine& line = lines.at(i);
            EXPECT_EQ(line.line, i + 1);
            const QString expected = line.line == 6 ? c2 : line.line == 11 ? c3 : c1;
            EXPECT_EQ(line.commitId, expected) << "line " << line.line;
            EXPECT_FALSE(line.depthLimited);
        }
        EXPECT_EQ(lines.at(5).authorName, QStringLiteral("Bob Builder"));
        EXPECT_EQ(lines.at(5).authorEmail, QStringLiteral("bob@example.com"));
        EXPECT_EQ(lines.at(5).summary, QStringLiteral("Scale web to 3"));
        EXPECT_EQ(lines.at(5).authorTime,
                  QDateTime::fromString(QStringLiteral("2024-02-01T10:00:00+01:00"), Qt::ISODate));
        EXPECT_EQ(lines.at(10).authorName, QStringLiteral("Cleo Coder"));
        EXPECT_EQ(lines.at(10).summary, QStringLiteral("Bump nginx"));
        EXPECT_EQ(lines.at(0).authorName, QStringLiteral("Ada Author"));
        EXPECT_EQ(
            lines.at(0).authorTime.toSecsSinceEpoch(),
            QDateTime::fromString(QStringLiteral("2024-01-01T10:00:00Z"), Qt::ISODate).toSecsSinceEpoch());
    }

    GitTestRepo repo;
    QString c1, c2, c3;
};

TEST_F(GitBlameTest, AttributesEachLineToTheCommitThatLastChangedIt) {
    GitRepository git = opened(repo.workPath());
    Result<QList<BlameHunk>> hunks =
        git.blame(QStringLiteral("main"), QStringLiteral("apps/web/deployment.yaml"));
    expectThreeAuthors(hunks);
    // Hunks cover the file in order, without gaps: 1-5 c1, 6 c2, 7-10 c1, 11 c3.
    ASSERT_EQ(hunks->size(), 4);
    EXPECT_EQ(hunks->at(0).startLine, 1);
    EXPECT_EQ(hunks->at(0).lineCount, 5);
    EXPECT_EQ(hunks->at(1).startLine, 6);
    EXPECT_EQ(hunks->at(1).lineCount, 1);
    EXPECT_EQ(hunks->at(1).originalPath, QStringLiteral("apps/web/deployment.yaml"));
    EXPECT_EQ(hunks->at(3).startLine, 11);
}

TEST_F(GitBlameTest, BlamesTheFileAsItIsAtTheAskedRevisionNotAtHead) {
    GitRepository git = opened(repo.workPath());
    Result<QList<BlameHunk>> hunks = git.blame(c2, QStringLiteral("apps/web/deployment.yaml"));
    ASSERT_TRUE(hunks.ok()) << hunks.error().message.toStdString();
    const QList<BlameLine> lines = blameLines(*hunks);
    ASSERT_EQ(lines.size(), 11);
    EXPECT_EQ(lines.at(5).commitId, c2);
    EXPECT_EQ(lines.at(10).commitId, c1); // the image was bumped only later

    // Local edits in the work tree are invisible: blame reads the object database.
    repo.write(QStringLiteral("apps/web/deployment.yaml"), "edited: locally\n");
    expectThreeAuthors(git.blame(QStringLiteral("HEAD"), QStringLiteral("./apps/web/deployment.yaml")));
}

TEST_F(GitBlameTest, WorksOnBareRepositoriesAndCacheClones) {
    GitRepository bare = opened(repo.remotePath());
    ASSERT_TRUE(bare.isBare());
    expectThreeAuthors(bare.blame(QStringLiteral("main"), QStringLiteral("apps/web/deployment.yaml")));

    Result<GitRepository> cache = GitRepository::openOrClone(repo.remoteUrl(), {}, repo.cacheRoot());
    ASSERT_TRUE(cache.ok()) << cache.error().message.toStdString();
    ASSERT_TRUE(cache->isBare());
    expectThreeAuthors(cache->blame(QStringLiteral("main"), QStringLiteral("apps/web/deployment.yaml")));
}

TEST_F(GitBlameTest, DepthLimitStopsTheWalkAndMarksTheLinesItCouldNotPlace) {
    GitRepository git = opened(repo.workPath());
    ReadLimits limits;
    limits.maxBlameDepth = 2; // c3 and c2 are examined; c1's lines stop at c2
    Result<QList<BlameHunk>> hunks =
        git.blame(QStringLiteral("main"), QStringLiteral("apps/web/deployment.yaml"), limits);
    ASSERT_TRUE(hunks.ok()) << hunks.error().message.toStdString();
    const QList<BlameLine> lines = blameLines(*hunks);
    ASSERT_EQ(lines.size(), 11);
    EXPECT_EQ(lines.at(10).commitId, c3);
    EXPECT_FALSE(lines.at(10).depthLimited);
    EXPECT_EQ(lines.at(0).commitId, c2);
    EXPECT_TRUE(lines.at(0).depthLimited);
    EXPECT_EQ(lines.at(5).commitId, c2); // replicas: c2 is where the walk stopped, too
    EXPECT_TRUE(lines.at(5).depthLimited);

    // A history shorter than the limit is walked to its root, and the root's lines are exact.
    limits.maxBlameDepth = 3;
    expectThreeAuthors(git.blame(QStringLiteral("main"), QStringLiteral("apps/web/deployment.yaml"), limits));
}

TEST_F(GitBlameTest, MissingFileOrRevisionIsNotFoundAndNamesBoth) {
    GitRepository git = opened(repo.workPath());
    Result<QList<BlameHunk>> missing =
        git.blame(QStringLiteral("main"), QStringLiteral("apps/web/nope.yaml"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, Error::Code::NotFound);
    EXPECT_TRUE(missing.error().message.contains(QStringLiteral("apps/web/nope.yaml")))
        << missing.error().message.toStdString();
    EXPECT_TRUE(missing.error().message.contains(QStringLiteral("'main'")))
        << missing.error().message.toStdString();

    // A file below a file is missing too, not a crash in the tree walk.
    Result<QList<BlameHunk>> under = git.blame(QStringLiteral("main"), QStringLiteral("README/deeper.yaml"));
    ASSERT_FALSE(under.ok());
    EXPECT_EQ(under.error().code, Error::Code::NotFound);

    Result<QList<BlameHunk>> noRevision = git.blame(QStringLiteral("nosuchbranch"), QStringLiteral("README"));
    ASSERT_FALSE(noRevision.ok());
    EXPECT_EQ(noRevision.error().code, Error::Code::NotFound);
    EXPECT_TRUE(noRevision.error().message.contains(QStringLiteral("nosuchbranch")));
}

TEST_F(GitBlameTest, RefusesPathsThatLeaveTheRepositoryOrAreNoFile) {
    GitRepository git = opened(repo.workPath());
    for (const QString& path :
         {QStringLiteral("../remote.git/HEAD"), QStringLiteral("apps/../../x"), QStringLiteral("/etc/passwd"),
          QStringLiteral(""), QStringLiteral("apps/web"), QStringLiteral("/")}) {
        Result<QList<BlameHunk>> hunks = git.blame(QStringLiteral("main"), path);
        ASSERT_FALSE(hunks.ok()) << path.toStdString();
        EXPECT_EQ(hunks.error().code, Error::Code::Invalid)
            << path.toStdString() << ": " << hunks.error().message.toStdString();
    }
}

TEST_F(GitBlameTest, RefusesFilesOverTheReadLimit) {
    repo.write(QStringLiteral("big.yaml"), QByteArray(4096, 'x') + '\n');
    const QString big = commitAs(QStringLiteral("Ada Author <ada@example.com>"), QStringLiteral("Big"),
                                 QStringLiteral("2024-04-01T10:00:00+00:00"));
    GitRepository git = opened(repo.workPath());
    ReadLimits limits;
    limits.maxFileSize = 1024;
    Result<QList<BlameHunk>> hunks = git.blame(big, QStringLiteral("big.yaml"), limits);
    ASSERT_FALSE(hunks.ok());
    EXPECT_EQ(hunks.error().code, Error::Code::TooLarge);
    EXPECT_TRUE(hunks.error().message.contains(QStringLiteral("big.yaml")));
    limits.maxFileSize = 8192;
    Result<QList<BlameHunk>> allowed = git.blame(big, QStringLiteral("big.yaml"), limits);
    ASSERT_TRUE(allowed.ok()) << allowed.error().message.toStdString();
    ASSERT_EQ(allowed->size(), 1);
    EXPECT_EQ(allowed->at(0).commitId, big);
}

TEST_F(GitBlameTest, FollowsSymbolicLinksInsideTheRepositoryOnly) {
    repo.gitWork({QStringLiteral("config"), QStringLiteral("core.symlinks"), QStringLiteral("true")});
    const auto link = [&](const QString& target, const QString& name) {
        ASSERT_TRUE(QFile::link(target, repo.workPath() + QLatin1Char('/') + name)) << name.toStdString();
    };
    link(QStringLiteral("web"), QStringLiteral("apps/alias"));                        // a directory link
    link(QStringLiteral("deployment.yaml"), QStringLiteral("apps/web/current.yaml")); // a file link
    link(QStringLiteral("../../.."), QStringLiteral("apps/web/escape"));              // climbs out
    link(QStringLiteral("/etc/passwd"), QStringLiteral("apps/web/absolute.yaml"));
    link(QStringLiteral("loop2"), QStringLiteral("apps/loop1"));
    link(QStringLiteral("loop1"), QStringLiteral("apps/loop2"));
    const QString head = commitAs(QStringLiteral("Ada Author <ada@example.com>"), QStringLiteral("Links"),
                                  QStringLiteral("2024-04-01T10:00:00+00:00"));
    GitRepository git = opened(repo.workPath());

    // Through links, the target file's own history is blamed.
    expectThreeAuthors(git.blame(head, QStringLiteral("apps/alias/deployment.yaml")));
    expectThreeAuthors(git.blame(head, QStringLiteral("apps/web/current.yaml")));

    for (const QString& path : {QStringLiteral("apps/web/escape/etc/passwd"),
                                QStringLiteral("apps/web/absolute.yaml"), QStringLiteral("apps/loop1")}) {
        Result<QList<BlameHunk>> hunks = git.blame(head, path);
        ASSERT_FALSE(hunks.ok()) << path.toStdString();
        EXPECT_EQ(hunks.error().code, Error::Code::Invalid) << path.toStdString();
        EXPECT_TRUE(hunks.error().message.contains(path)) << hunks.error().message.toStdString();
    }
}

TEST_F(GitBlameTest, ReadFileGivesTheTextBlamesLinesReferTo) {
    GitRepository bare = opened(repo.remotePath());
    Result<QByteArray> old = bare.readFile(c2, QStringLiteral("apps/web/deployment.yaml"));
    ASSERT_TRUE(old.ok()) << old.error().message.toStdString();
    EXPECT_TRUE(old->contains("replicas: 3"));
    EXPECT_TRUE(old->contains("nginx:1.25"));
    EXPECT_EQ(old->count('\n'), 11);

    Result<QByteArray> missing = bare.readFile(c1, QStringLiteral("apps/web/none.yaml"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, Error::Code::NotFound);
    EXPECT_TRUE(missing.error().message.contains(QStringLiteral("apps/web/none.yaml")));
    Result<QByteArray> climbing = bare.readFile(c1, QStringLiteral("apps/../../secret"));
    ASSERT_FALSE(climbing.ok());
    EXPECT_EQ(climbing.error().code, Error::Code::Invalid);
    ReadLimits tiny;
    tiny.maxFileSize = 10;
    Result<QByteArray> large = bare.readFile(c1, QStringLiteral("apps/web/deployment.yaml"), tiny);
    ASSERT_FALSE(large.ok());
    EXPECT_EQ(large.error().code, Error::Code::TooLarge);
    EXPECT_TRUE(large.error().message.contains(QStringLiteral("not read")));
}

TEST_F(GitBlameTest, WorkerRunsBlameAsAJob) {
    GitWorker worker(repo.cacheRoot());
    RepositorySource source;
    source.url = repo.remoteUrl();
    GitJob<QList<BlameHunk>> job =
        worker.blame(source, QStringLiteral("main"), QStringLiteral("apps/web/deployment.yaml"));
    ASSERT_TRUE(waitUntil([&] { return job.future.isFinished(); }, std::chrono::seconds(60)));
    expectThreeAuthors(job.future.result());

    GitJob<QList<BlameHunk>> missing =
        worker.blame(source, QStringLiteral("main"), QStringLiteral("nope.yaml"));
    ASSERT_TRUE(waitUntil([&] { return missing.future.isFinished(); }, std::chrono::seconds(60)));
    ASSERT_FALSE(missing.future.result().ok());
    EXPECT_EQ(missing.future.result().error().code, Error::Code::NotFound);
}

} // namespace
