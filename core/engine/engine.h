#pragma once

#include "engine/enginetypes.h"
#include "history/historytypes.h"
#include "model/error.h"
#include "provenance/desiredprovenance.h"
#include "sync/syncplan.h"
#include "sync/syncstate.h"
#include "workspace/workspace.h"

#include <QFuture>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

// The reconciliation engine: for every application of a workspace it renders desired state from
// Git, keeps the live state of its cluster current through watches, and compares the two; it
// publishes immutable snapshots of the fleet and runs the operator's commands (sync, rollback,
// revert) as operations with ids, progress and cancellation.
//
// Threads: the Engine object lives on the thread that created it (the GUI moves it to a thread of
// its own; the CLI keeps it on the main thread, which has nothing else to do). Network requests run
// on each cluster's own thread (kube::ClusterClient), libgit2 on the Git worker's thread, rendering
// and comparing on a thread pool; the engine's thread only routes events and merges results, and
// never waits on the network, Git or disk. Snapshots reach subscribers through queued signals.
// To run it on a thread of its own: construct it, moveToThread(), start the thread, then invoke
// start() queued. Everything it creates is created in start(), on that thread.
namespace driftdeck::engine {

struct EngineSettings {
    QString kubeconfigPath;     // KUBECONFIG-style list; empty: $KUBECONFIG, else ~/.kube/config
    QString gitCacheRoot;       // empty: git::GitRepository::defaultCacheRoot()
    QString discoveryCacheRoot; // empty: kube::Discovery::defaultCacheRoot()
    // Reconcile every `interval` (jittered by ±`jitter`): fetch repositories, compare what changed.
    std::chrono::milliseconds interval{std::chrono::seconds(180)};
    double jitter = 0.1;
    // Live events for an application are gathered this long before it is compared again.
    std::chrono::milliseconds debounce{100};
    int workerThreads = 0; // render and compare pool; 0: the number of cores
    bool autoSync = true;  // honour the applications' automated sync policies
    // selfHeal at one commit: the first repair runs at once; each further one within five minutes
    // of the previous automated sync waits `selfHealBackoff` after it, doubling up to five minutes,
    // so a sync that always leaves drift (a controller or webhook undoing it) cannot hammer the
    // cluster. A new commit is synced at once.
    std::chrono::milliseconds selfHealBackoff{std::chrono::seconds(5)};
    QString fieldManager = QStringLiteral("driftdeck");
    // Health wait between sync waves.
    std::chrono::seconds healthTimeout{300};
    // The history database; empty: history::HistoryStore::defaultPath(). "-": none (tests of
    // other things; the CLI's --no-history).
    QString historyPath;
};

// What the operator asks a sync to do (the plan is computed from the latest comparison).
struct SyncRequest {
    bool dryRun = false;
    bool prune = false;
    QSet<ResourceKey> only; // non-empty: a selective sync of these resources
    bool forceConflicts = false;
    bool createNamespace = false;
    bool replace = false;
};

// Which commit last changed a drifted field of desired state (driftdeck-cli blame).
struct FieldBlame {
    ResourceKey key;
    diff::ObjectDiff::State state = diff::ObjectDiff::State::OutOfSync;
    QString pointer; // the drifted field; empty for a whole missing object
    diff::FieldChange::Type change = diff::FieldChange::Type::Changed;
    QString file;                          // repository-relative source file
    provenance::LineProvenance provenance; // exact = false: the object's newest commit
};

struct OperationResult {
    quint64 id = 0;
    QString kind; // "sync", "rollback", "resume", "revert"
    QString application;
    bool ok = false;
    QString message;            // one line for the operator
    std::optional<Error> error; // the operation could not run or failed as a whole
    sync::SyncResult sync;      // sync and rollback
    QString revision;           // the commit synced to, or the revert commit
    QString revertNote;         // revert: pushed or why not
};

class Engine : public QObject {
    Q_OBJECT
public:
    Engine(workspace::Workspace workspace, EngineSettings settings = {}, QObject* parent = nullptr);
    ~Engine() override;

    const workspace::Workspace& workspace() const;
    // Connects to every cluster, fetches every repository and compares every application.
    void start();
    // The latest snapshot; safe to call from any thread.
    Snapshot snapshot() const;

    // Fetch and compare again (one application, or all when empty). Hard: drop the render cache and
    // the live caches of the application's cluster first.
    void refresh(const QString& application = {});
    void hardRefresh(const QString& application = {});

    // The plan a sync would run now, from the latest comparison: what the sync dialog and
    // `driftdeck-cli sync` show before anything is sent. An error when the application was not
    // compared, its render failed (never a prune of everything) or the plan is refused.
    Result<sync::SyncPlan> planSync(const QString& application, const SyncRequest& request) const;

    // The same, from any thread: the plan is computed on the engine's thread.
    QFuture<Result<sync::SyncPlan>> planSyncAsync(const QString& application, const SyncRequest& request);

    // Operations: each returns its id at once, reports operationProgress and ends with
    // operationFinished (also when it cannot start: then with the reason). Call them on the
    // engine's thread; from another thread (the GUI) take an id with reserveOperationId() and
    // invoke the call with it queued (QMetaObject::invokeMethod), so the id is known at once.
    quint64 reserveOperationId();
    quint64 sync(const QString& application, const SyncRequest& request = {}, quint64 id = 0);
    // Sync to `revision` (a commit of the application's history): the application is pinned to it
    // and its auto-sync paused until resume().
    quint64 rollback(const QString& application, const QString& revision, const SyncRequest& request = {},
                     quint64 id = 0);
    // Unpins the application and resumes auto-sync; the next comparison is against its target again.
    quint64 resume(const QString& application, quint64 id = 0);
    // `git revert` of `commit` on the application's branch (a new commit, pushed unless the
    // repository is a local path, which receives the commit directly); then fetch and compare.
    quint64 revert(const QString& application, const QString& commit, quint64 id = 0);
    void cancel(quint64 operationId);

    // Blame of the drifted fields of an application at its compared commit: for each, the commit
    // that last changed the source line (per object where the renderer cannot say). From any thread.
    QFuture<Result<QList<FieldBlame>>> blame(const QString& application);
    // For the diff's provenance gutter: one entry per line of the resource's ObjectDiff.desired
    // yamlLines(), null for lines desired state does not set (server defaults). From any thread.
    QFuture<Result<QList<provenance::LineProvenance>>> desiredLineProvenance(const QString& application,
                                                                             const ResourceKey& key);
    // The comparison of live state with the application's desired state at `revision` (any commit
    // of its history), without changing the application's status. From any thread.
    QFuture<Result<QList<ResourceStatus>>> compareAtRevision(const QString& application,
                                                             const QString& revision);

    // The plan a rollback to `revision` would run: live state compared with the application's
    // desired state at that commit, planned as planSync() does. Changes nothing. From any thread.
    QFuture<Result<sync::SyncPlan>> planSyncAtRevision(const QString& application, const QString& revision,
                                                       const SyncRequest& request = {});

    // The history of operations, newest first (paged); an error when the database is unusable.
    QFuture<Result<history::HistoryPage>> history(const history::HistoryQuery& query) const;

    struct Private;

Q_SIGNALS:
    void snapshotChanged(driftdeck::engine::Snapshot snapshot);
    void operationProgress(driftdeck::engine::OperationProgress progress);
    void operationFinished(driftdeck::engine::OperationResult result);

private:
    std::unique_ptr<Private> d;
    friend struct Private;
};

} // namespace driftdeck::engine

Q_DECLARE_METATYPE(driftdeck::engine::OperationResult)
