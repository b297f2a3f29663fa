#include "git/gitworker.h"

#include "git/git_p.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QThread>

namespace driftdeck::git {

namespace {

// Lives on the Git thread; owns every open repository. Only ever touched from that thread.
class GitThreadContext : public QObject {
public:
    QString cacheRoot;
    QHash<QString, std::shared_ptr<GitRepository>> repositories;

    static QString keyOf(const RepositorySource& source) {
        return (source.inPlace ? QStringLiteral("local:") : QStringLiteral("cache:")) + source.url;
    }

    Result<GitRepository*> repositoryFor(const RepositorySource& source, const RemoteOptions& options) {
        const QString key = keyOf(source);
        auto found = repositories.find(key);
        if (found != repositories.end()) {
            // A cache entry removed behind our back is cloned again; a local repository that
            // vanished is reported (by the repository itself) on first use.
            if (source.inPlace || QFileInfo::exists((*found)->gitDirectory() + QStringLiteral("/HEAD")))
                return found->get();
            repositories.erase(found);
        }
        Result<GitRepository> opened = source.inPlace
                                           ? GitRepository::open(source.url)
                                           : GitRepository::openOrClone(source.url, options, cacheRoot);
        if (!opened)
            return opened.error();
        auto shared = std::make_shared<GitRepository>(std::move(opened).value());
        repositories.insert(key, shared);
        return shared.get();
    }
};

} // namespace

struct GitWorker::Private {
    QThread thread;
    GitThreadContext* context = nullptr; // owned by `thread` (deleted when it finishes)
    std::atomic<quint64> nextId{1};
    QMutex mutex;
    QHash<quint64, std::shared_ptr<std::atomic_bool>> cancelFlags;
};

GitWorker::GitWorker(const QString& cacheRoot, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>()) {
    d->thread.setObjectName(QStringLiteral("driftdeck-git"));
    d->context = new GitThreadContext;
    d->context->cacheRoot = cacheRoot;
    d->context->moveToThread(&d->thread);
    connect(&d->thread, &QThread::finished, d->context, &QObject::deleteLater);
    d->thread.start();
}

GitWorker::~GitWorker() {
    cancelAll();
    d->thread.quit();
    d->thread.wait();
}

void GitWorker::cancel(quint64 jobId) {
    QMutexLocker lock(&d->mutex);
    if (auto flag = d->cancelFlags.value(jobId))
        flag->store(true);
}

void GitWorker::cancelAll() {
    QMutexLocker lock(&d->mutex);
    for (const auto& flag : std::as_const(d->cancelFlags))
        flag->store(true);
}

quint64 GitWorker::post(const RepositorySource& source, bool needsRepository, Task task) {
    const quint64 id = d->nextId.fetch_add(1);
    auto flag = std::make_shared<std::atomic_bool>(false);
    {
        QMutexLocker lock(&d->mutex);
        d->cancelFlags.insert(id, flag);
    }
    GitWorker* self = this; // alive while any job runs: the destructor waits for the thread
    GitThreadContext* context = d->context;
    Private* priv = d.get();
    QMetaObject::invokeMethod(
        context,
        [self, priv, context, id, flag, source, needsRepository, task = std::move(task)] {
            RemoteOptions options;
            options.credentials = source.credentials;
            options.cancel = flag.get();
            // libgit2 reports every object; the owner's thread gets at most ten reports a second
            // plus the last one of each phase, so a large clone cannot flood its event queue.
            auto throttle = std::make_shared<QElapsedTimer>();
            options.progress = [self, id, throttle](const TransferProgress& progress) {
                const bool phaseDone =
                    progress.totalObjects > 0 && (progress.receivedObjects == progress.totalObjects ||
                                                  progress.indexedObjects == progress.totalObjects);
                if (throttle->isValid() && throttle->elapsed() < 100 && !phaseDone)
                    return;
                throttle->start();
                // Queued: the signal is emitted from this thread and delivered on the owner's.
                Q_EMIT self->progress(id, progress);
            };
            std::optional<Error> failure;
            GitRepository* repo = nullptr;
            if (flag->load()) {
                failure = Error::make(Error::Code::Cancelled,
                                      QStringLiteral("the Git job for ") + detail::redactUrl(source.url) +
                                          QStringLiteral(" was cancelled before it started"));
            } else if (needsRepository) {
                Result<GitRepository*> opened = context->repositoryFor(source, options);
                if (opened)
                    repo = *opened;
                else
                    failure = opened.error();
            }
            task(repo, failure ? &*failure : nullptr, options);
            // The owner thread may be deleting the worker; `priv` outlives this thread (the
            // destructor waits for it), so forgetting the flag is safe.
            QMutexLocker lock(&priv->mutex);
            priv->cancelFlags.remove(id);
        },
        Qt::QueuedConnection);
    return id;
}

namespace {

template <typename T, typename F>
GitJob<T> submit(GitWorker* worker, const RepositorySource& source, F work) {
    return worker->run<T>(source,
                          std::function<Result<T>(GitRepository&, const RemoteOptions&)>(std::move(work)));
}

} // namespace

GitJob<Done> GitWorker::fetch(const RepositorySource& source) {
    return submit<Done>(
        this, source, [](GitRepository& repo, const RemoteOptions& options) { return repo.fetch(options); });
}

GitJob<ResolvedRevision> GitWorker::resolve(const RepositorySource& source, const QString& revision,
                                            const QString& path) {
    return submit<ResolvedRevision>(
        this, source,
        [revision, path](GitRepository& repo, const RemoteOptions&) { return repo.resolve(revision, path); });
}

GitJob<TreeSnapshot> GitWorker::readTree(const RepositorySource& source, const QString& revision,
                                         const QString& path, const ReadLimits& limits) {
    return submit<TreeSnapshot>(this, source,
                                [revision, path, limits](GitRepository& repo, const RemoteOptions&) {
                                    return repo.readTree(revision, path, limits);
                                });
}

GitJob<TreeSnapshot> GitWorker::materialise(const RepositorySource& source, const QString& revision,
                                            const QString& path, const QString& directory,
                                            const ReadLimits& limits) {
    return submit<TreeSnapshot>(
        this, source, [revision, path, directory, limits](GitRepository& repo, const RemoteOptions&) {
            return repo.materialise(revision, path, directory, limits);
        });
}

GitJob<QList<CommitInfo>> GitWorker::history(const RepositorySource& source, const QString& revision,
                                             const QString& path, int maxCount) {
    return submit<QList<CommitInfo>>(
        this, source, [revision, path, maxCount](GitRepository& repo, const RemoteOptions& options) {
            return repo.history(revision, path, maxCount, options.cancel);
        });
}

GitJob<CommitDiff> GitWorker::commitDiff(const RepositorySource& source, const QString& revision,
                                         const QString& path) {
    return submit<CommitDiff>(this, source, [revision, path](GitRepository& repo, const RemoteOptions&) {
        return repo.commitDiff(revision, path);
    });
}

GitJob<QList<BlameHunk>> GitWorker::blame(const RepositorySource& source, const QString& revision,
                                          const QString& filePath, const ReadLimits& limits) {
    return submit<QList<BlameHunk>>(this, source,
                                    [revision, filePath, limits](GitRepository& repo, const RemoteOptions&) {
                                        return repo.blame(revision, filePath, limits);
                                    });
}

GitJob<RevertResult> GitWorker::revert(const RepositorySource& source, const RevertRequest& request) {
    const bool cached = !source.inPlace;
    return submit<RevertResult>(this, source,
                                [request, cached](GitRepository& repo, const RemoteOptions& options) {
                                    // A cache clone is only as fresh as its last fetch; reverting onto a
                                    // stale tip would make the push fail as a non-fast-forward.
                                    if (cached) {
                                        if (Status fetched = repo.fetch(options); !fetched)
                                            return Result<RevertResult>(fetched.error());
                                    }
                                    return repo.revert(request, options);
                                });
}

} // namespace driftdeck::git
