// The asynchronous front: results arrive without blocking the caller, progress is reported,
// and cancellation stops jobs.

#include "git/gitworker.h"
#include "gittestrepo.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QSemaphore>
#include <QThread>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::git;
using driftdeck::test::GitTestRepo;
using driftdeck::test::waitUntil;

namespace {

class GitWorkerTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(repo.valid());
        for (int i = 0; i < 40; ++i)
            repo.write(QStringLiteral("apps/web/f%1.yaml").arg(i), "n: " + QByteArray::number(i) + '\n');
        head = repo.commitAll(QStringLiteral("Web"));
        repo.push();
        source.url = repo.remoteUrl();
    }

    template <typename T>
    static bool finished(const GitJob<T>& job) {
        return waitUntil([&] { return job.future.isFinished(); }, std::chrono::seconds(60));
    }

    GitTestRepo repo;
    QString head;
    RepositorySource source;
};

TEST_F(GitWorkerTest, DeliversResultsAndProgressFromItsOwnThread) {
    GitWorker worker(repo.cacheRoot());
    QList<quint64> progressJobs;
    QObject::connect(&worker, &GitWorker::progress, &worker,
                     [&](quint64 id, const TransferProgress&) { progressJobs << id; });
    GitJob<ResolvedRevision> resolved =
        worker.resolve(source, QStringLiteral("main"), QStringLiteral("apps/web"));
    GitJob<TreeSnapshot> tree = worker.readTree(source, QStringLiteral("main"), QStringLiteral("apps/web"));
    EXPECT_NE(resolved.id, tree.id);
    ASSERT_TRUE(finished(resolved));
    ASSERT_TRUE(finished(tree));
    Result<ResolvedRevision> r = resolved.future.result();
    ASSERT_TRUE(r.ok()) << r.error().message.toStdString();
    EXPECT_EQ(r->commitId, head);
    Result<TreeSnapshot> t = tree.future.result();
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->files.size(), 40);
    EXPECT_EQ(t->treeId, r->treeId);
    // The first job cloned the repository and reported transfer progress for it.
    EXPECT_TRUE(waitUntil([&] { return progressJobs.contains(resolved.id); }));

    GitJob<QList<CommitInfo>> history =
        worker.history(source, QStringLiteral("main"), QStringLiteral("apps/web"));
    ASSERT_TRUE(finished(history));
    ASSERT_TRUE(history.future.result().ok());
    EXPECT_EQ(history.future.result()->size(), 1);

    GitJob<TreeSnapshot> missing = worker.readTree(source, QStringLiteral("nope"), QString());
    ASSERT_TRUE(finished(missing));
    EXPECT_EQ(missing.future.result().error().code, Error::Code::NotFound);
}

TEST_F(GitWorkerTest, CancelsAQueuedJobBeforeItStarts) {
    GitWorker worker(repo.cacheRoot());
    QSemaphore release;
    QSemaphore started;
    // Occupies the single Git thread until the test lets it go.
    GitJob<int> blocker = worker.run<int>(source, [&](GitRepository&, const RemoteOptions&) -> Result<int> {
        started.release();
        release.acquire();
        return 1;
    });
    ASSERT_TRUE(started.tryAcquire(1, 60000));
    GitJob<Done> fetch = worker.fetch(source);
    worker.cancel(fetch.id);
    release.release();
    ASSERT_TRUE(finished(blocker));
    ASSERT_TRUE(finished(fetch));
    ASSERT_EQ(fetch.future.resultCount(), 1);
    EXPECT_EQ(fetch.future.result().error().code, Error::Code::Cancelled);
    EXPECT_EQ(blocker.future.result().value(), 1);
}

// Polls until `flag` is set (bounded), standing in for a transfer that is still running.
void holdUntilCancelled(const std::atomic_bool* flag) {
    QDeadlineTimer deadline(std::chrono::seconds(30));
    while (!flag->load() && !deadline.hasExpired())
        QThread::msleep(1);
}

TEST_F(GitWorkerTest, CancelsARunningFetchAtItsNextProgressReport) {
    GitWorker worker(repo.cacheRoot());
    GitJob<ResolvedRevision> cloned = worker.resolve(source, QStringLiteral("main"));
    ASSERT_TRUE(finished(cloned));
    ASSERT_TRUE(cloned.future.result().ok());
    repo.write(QStringLiteral("apps/web/more.yaml"), "more: 1\n");
    repo.commitAll(QStringLiteral("More"));
    repo.push();

    // The caller cancels as soon as it hears of progress, from its own thread.
    QObject::connect(&worker, &GitWorker::progress, &worker,
                     [&](quint64 id, const TransferProgress&) { worker.cancel(id); });
    GitJob<Done> fetch = worker.run<Done>(source, [](GitRepository& git, const RemoteOptions& options) {
        RemoteOptions held = options;
        held.progress = [options](const TransferProgress& p) {
            options.progress(p);
            holdUntilCancelled(options.cancel);
        };
        return git.fetch(held);
    });
    ASSERT_TRUE(finished(fetch));
    ASSERT_FALSE(fetch.future.result().ok());
    EXPECT_EQ(fetch.future.result().error().code, Error::Code::Cancelled)
        << fetch.future.result().error().message.toStdString();
    EXPECT_TRUE(fetch.future.result().error().message.contains(repo.remoteUrl()));

    // The cancelled fetch left the cache usable; a new fetch completes.
    QObject::disconnect(&worker, &GitWorker::progress, &worker, nullptr);
    GitJob<Done> again = worker.fetch(source);
    ASSERT_TRUE(finished(again));
    EXPECT_TRUE(again.future.result().ok()) << again.future.result().error().message.toStdString();
}

TEST_F(GitWorkerTest, ClonesAgainWhenTheCacheEntryWasRemoved) {
    GitWorker worker(repo.cacheRoot());
    GitJob<ResolvedRevision> first = worker.resolve(source, QStringLiteral("main"));
    ASSERT_TRUE(finished(first));
    ASSERT_TRUE(first.future.result().ok());
    ASSERT_TRUE(QDir(GitRepository::cacheDirectoryFor(source.url, repo.cacheRoot())).removeRecursively());
    GitJob<ResolvedRevision> second = worker.resolve(source, QStringLiteral("main"));
    ASSERT_TRUE(finished(second));
    ASSERT_TRUE(second.future.result().ok()) << second.future.result().error().message.toStdString();
    EXPECT_EQ(second.future.result()->commitId, head);

    RepositorySource local;
    local.url = repo.workPath() + QStringLiteral("/gone");
    local.inPlace = true;
    GitJob<ResolvedRevision> gone = worker.resolve(local, QStringLiteral("main"));
    ASSERT_TRUE(finished(gone));
    EXPECT_EQ(gone.future.result().error().code, Error::Code::NotFound);
    EXPECT_TRUE(gone.future.result().error().message.contains(local.url));
}

} // namespace

namespace {

TEST_F(GitWorkerTest, RevertThroughTheCacheFetchesFirstAndPushes) {
    GitWorker worker(repo.cacheRoot());
    repo.write(QStringLiteral("apps/web/f1.yaml"), "n: broken\n");
    const QString bad = repo.commitAll(QStringLiteral("Break f1"));
    repo.push();
    GitJob<ResolvedRevision> cloned = worker.resolve(source, QStringLiteral("main"));
    ASSERT_TRUE(finished(cloned));
    ASSERT_EQ(cloned.future.result()->commitId, bad);
    // Someone pushes after our clone: the cache is now behind the remote.
    repo.write(QStringLiteral("apps/web/f2.yaml"), "n: 2-new\n");
    const QString newer = repo.commitAll(QStringLiteral("Touch f2"));
    repo.push();

    RevertRequest request;
    request.commit = bad;
    request.branch = QStringLiteral("main");
    request.authorName = QStringLiteral("Driftdeck");
    request.authorEmail = QStringLiteral("driftdeck@example.com");
    GitJob<RevertResult> job = worker.revert(source, request);
    ASSERT_TRUE(finished(job));
    Result<RevertResult> result = job.future.result();
    ASSERT_TRUE(result.ok()) << result.error().message.toStdString();
    EXPECT_TRUE(result->pushed) << result->pushNote.toStdString();
    EXPECT_EQ(result->previousTip, newer);
    EXPECT_EQ(repo.remoteRev(QStringLiteral("main")), result->revertCommitId);
    EXPECT_EQ(repo.git(repo.remotePath(), {QStringLiteral("show"), QStringLiteral("main:apps/web/f1.yaml")}),
              QStringLiteral("n: 1"));
}

} // namespace
