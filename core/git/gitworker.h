#pragma once

#include "git/gitrepository.h"
#include "git/gittypes.h"
#include "model/error.h"

#include <QFuture>
#include <QObject>
#include <QPromise>

#include <functional>
#include <memory>

namespace driftdeck::git {

// A repository the worker should use: a URL (https, ssh, file:// or a local path) cloned into
// the cache, or — with inPlace — a local repository opened where it is.
struct RepositorySource {
    QString url;
    CredentialRef credentials;
    bool inPlace = false;
};

template <typename T>
struct GitJob {
    quint64 id = 0;
    // Finishes with a value — an Error when the job failed or was cancelled — except when the
    // worker is destroyed before the job ran: then the future is cancelled without a result.
    QFuture<Result<T>> future;
};

// The asynchronous front of the Git layer: one QThread runs every libgit2 call, one job after
// another; callers never block. Each request returns a job id and a future; cancel(id) stops a
// queued job before it starts and a running transfer at its next progress callback. Repositories
// are cloned into the cache on first use; only fetch() updates them.
class GitWorker : public QObject {
    Q_OBJECT
public:
    // `cacheRoot` empty: GitRepository::defaultCacheRoot().
    explicit GitWorker(const QString& cacheRoot = {}, QObject* parent = nullptr);
    ~GitWorker() override;

    GitJob<Done> fetch(const RepositorySource& source);
    GitJob<ResolvedRevision> resolve(const RepositorySource& source, const QString& revision,
                                     const QString& path = {});
    GitJob<TreeSnapshot> readTree(const RepositorySource& source, const QString& revision,
                                  const QString& path, const ReadLimits& limits = {});
    GitJob<TreeSnapshot> materialise(const RepositorySource& source, const QString& revision,
                                     const QString& path, const QString& directory,
                                     const ReadLimits& limits = {});
    GitJob<QList<CommitInfo>> history(const RepositorySource& source, const QString& revision,
                                      const QString& path, int maxCount = 50);
    GitJob<CommitDiff> commitDiff(const RepositorySource& source, const QString& revision,
                                  const QString& path);
    GitJob<QList<BlameHunk>> blame(const RepositorySource& source, const QString& revision,
                                   const QString& filePath, const ReadLimits& limits = {});
    // For a cache clone, fetches first so the revert lands on the remote's current tip.
    GitJob<RevertResult> revert(const RepositorySource& source, const RevertRequest& request);

    // Runs `work` on the worker thread with the (opened or cloned) repository. For callers that
    // need a combination of calls without a round trip per call.
    template <typename T>
    GitJob<T> run(const RepositorySource& source,
                  std::function<Result<T>(GitRepository&, const RemoteOptions&)> work);

    void cancel(quint64 jobId);
    void cancelAll();

Q_SIGNALS:
    // Transfer progress of a clone, fetch or push job; queued to the worker's owner thread, at
    // most about ten a second per job (plus the end of each phase).
    void progress(quint64 jobId, driftdeck::git::TransferProgress progress);

private:
    struct Private;
    using Task = std::function<void(GitRepository*, const Error*, const RemoteOptions&)>;
    quint64 post(const RepositorySource& source, bool needsRepository, Task task);
    std::unique_ptr<Private> d;
};

template <typename T>
GitJob<T> GitWorker::run(const RepositorySource& source,
                         std::function<Result<T>(GitRepository&, const RemoteOptions&)> work) {
    auto promise = std::make_shared<QPromise<Result<T>>>();
    GitJob<T> job;
    job.future = promise->future();
    promise->start();
    job.id =
        post(source, true, [promise, work](GitRepository* repo, const Error* error, const RemoteOptions& o) {
            if (error)
                promise->addResult(Result<T>(*error));
            else
                promise->addResult(work(*repo, o));
            promise->finish();
        });
    return job;
}

} // namespace driftdeck::git
