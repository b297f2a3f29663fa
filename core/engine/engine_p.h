#pragma once

#include "comparejob_p.h"
#include "engine/engine.h"
#include "git/gitworker.h"
#include "history/historystore.h"
#include "kube/clusterclient.h"
#include "kube/discovery.h"
#include "kube/livecache.h"
#include "kubeobj/object.h"
#include "manifest/desiredobject.h"
#include "manifest/rendercache.h"
#include "manifest/revisionrender.h"
#include "sync/syncrunner.h"

#include <QHash>
#include <QPointer>
#include <QSet>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <memory>

namespace driftdeck::engine {

// "group/Kind": the live caches are per resource type, whatever the version.
QString groupKind(const QString& group, const QString& kind);
// The sync options of a request for an application (its syncOptions and policy applied).
sync::SyncOptions syncOptionsOf(const AppSpec& spec, const SyncRequest& request);
// Why an operation cannot start: the application runs another one (one at a time per application).
struct AppRuntime;
Error busyError(const AppRuntime* app);

struct ClusterRuntime {
    ClusterSpec spec;
    std::unique_ptr<kube::ClusterClient> client;
    std::unique_ptr<kube::Discovery> discovery;
    QHash<QString, kube::LiveCache*> caches; // by groupKind; owned (parent: the engine)
    QHash<QString, bool> namespaced;         // by groupKind, from discovery
    QHash<QString, QString> unservedKinds;   // groupKind -> why (not served by this cluster)
    QHash<QString, Error> forbiddenKinds;    // groupKind -> 403 on list or discovery (RBAC)
    QSet<QString> resolving;                 // groupKinds with a discovery request running
    // Live objects carrying an application's tracking id, by application: prune candidates.
    QHash<QString, QSet<ResourceKey>> tracked;
    // Children (ReplicaSets, Pods) by the uid of their owner, and which application owns each
    // top-level uid, so a Pod's change reaches the application whose Deployment made it.
    QHash<QString, QSet<ResourceKey>> childrenByOwner;
    QHash<ResourceKey, QString> ownerOfChild;
    QHash<QString, QString> appOfUid;
    bool childCachesStarted = false;
    ClusterStatus status;
    int retryDelayMs = 1000;
    bool retryScheduled = false;
};

struct AppRuntime {
    AppSpec spec;
    // Git
    QString commitId;
    QString treeId;
    bool resolving = false;
    bool resolveAgain = false; // asked again while resolving (a rollback pinned another revision)
    // Desired state of the last successful render, placed in its destination (unmasked: never
    // published, only compared and applied).
    QString renderedCommit;
    QByteArray renderInput;
    QList<kubeobj::Object> desired;
    QList<manifest::DesiredObject::Source> sources; // aligned with `desired`
    QSet<ResourceKey> desiredKeys;
    QStringList renderWarnings;
    std::optional<Error> renderError;
    bool rendering = false;
    bool renderAgain = false;
    // Operations: at most one runs per application.
    quint64 operation = 0;
    quint64 waitingOperation = 0; // a rollback waiting for the comparison at its revision
    QString autoSyncedCommit;     // the commit auto-sync last synced (without selfHeal: once per commit)
    int autoSyncFailures = 0;     // consecutive failures at autoSyncedCommit; 3 stop auto-sync there
    int selfHealRuns = 0;         // automated syncs at autoSyncedCommit since its first (backoff)
    std::chrono::steady_clock::time_point autoSyncEnded; // the end of the last automated sync
    bool selfHealTimer = false;                          // a compare is scheduled for the end of the backoff
    // Compare
    bool dirty = true;
    bool comparing = false;
    quint64 compareGeneration = 0;
    CompareMemos memos; // of the last comparison, reused for what did not change since
    AppStatus status;
};

struct Operation {
    quint64 id = 0;
    QString kind;
    AppRuntime* app = nullptr;
    SyncRequest request;
    QString revision;
    QString historyId; // the history record's operationId
    QPointer<sync::SyncRunner> runner;
    bool automated = false;
    bool cancelled = false;
    // A rollback pins the application before its sync starts; refused or cancelled before that
    // sync, the pin and pause it found are put back.
    bool pinned = false;
    QString pinnedBefore;
    bool pausedBefore = false;
};

struct Engine::Private {
    Engine* q = nullptr;
    workspace::Workspace workspace;
    EngineSettings settings;
    std::shared_ptr<manifest::RenderCache> renderCache = std::make_shared<manifest::RenderCache>();
    QThreadPool pool;
    std::unique_ptr<git::GitWorker> git;
    std::shared_ptr<std::atomic_bool> stopping = std::make_shared<std::atomic_bool>(false);

    QList<ClusterRuntime*> clusters; // owned
    QList<AppRuntime*> apps;         // owned
    QHash<QString, ClusterRuntime*> clusterByName;
    QHash<QString, AppRuntime*> appByName;
    QHash<QString, Error> repoErrors;
    std::unique_ptr<history::HistoryStore> history;
    std::optional<Error> historyError;
    bool appStatesLoaded = false;
    QHash<quint64, Operation> operations;
    std::atomic<quint64> nextOperationId{0}; // ids are handed out on any thread

    // Children of the engine, so they move with it to its thread.
    QTimer* compareTimer = nullptr;    // debounce of live events
    QTimer* compareNowTimer = nullptr; // a new render: compared as soon as the loop is free
    QTimer* publishTimer = nullptr;    // coalesces snapshot publication
    QTimer* intervalTimer = nullptr;   // periodic reconcile
    quint64 generation = 0;
    mutable std::mutex snapshotMutex;
    Snapshot current = std::make_shared<FleetSnapshot>();

    explicit Private(Engine* engine);
    ~Private();

    // engine.cpp
    void publishSoon();
    void publish();
    void scheduleInterval();
    void reconcile(const QString& application, bool fetch);

    // engineclusters.cpp
    void connectCluster(ClusterRuntime* cluster, const kube::Kubeconfig* config, const Error* configError);
    void ensureWatched(ClusterRuntime* cluster, const QList<kubeobj::Object>& objects);
    void startCache(ClusterRuntime* cluster, const kube::ResourceInfo& info);
    void onEvents(ClusterRuntime* cluster, const QList<kube::LiveEvent>& events);
    void startChildCaches(ClusterRuntime* cluster);
    void ensureKindWatched(ClusterRuntime* cluster, const QString& group, const QString& kind);
    void indexChildren(ClusterRuntime* cluster, const QList<kube::LiveEvent>& events,
                       QSet<QString>* touchedApps);
    void onCacheError(ClusterRuntime* cluster, const Error& error);
    void onCacheSynced(ClusterRuntime* cluster);
    void updateConnection(ClusterRuntime* cluster);
    void scheduleClusterRetry(ClusterRuntime* cluster);
    void restartCaches(ClusterRuntime* cluster);
    void rediscoverUnserved(ClusterRuntime* cluster);
    bool liveReady(const ClusterRuntime* cluster, const AppRuntime* app) const;

    // enginecompare.cpp
    git::RepositorySource sourceOf(const QString& repoName) const;
    void fetchRepository(const QString& repoName, const QList<AppRuntime*>& apps);
    void resolveApp(AppRuntime* app);
    void renderApp(AppRuntime* app);
    void onRendered(AppRuntime* app, const QString& commitId, Result<manifest::RevisionRender> render);
    void placeDesired(AppRuntime* app);
    // Marks `app` to be compared as soon as the event loop is free, or for a live event after the
    // debounce (live events come in bursts; a render or a listed cache has nothing to coalesce).
    void markDirty(AppRuntime* app, bool liveEvent = false);
    void compareDirty();
    void compareApp(AppRuntime* app);
    void setAppError(AppRuntime* app, const Error& error);
    void onCompared(AppRuntime* app);

    // engineops.cpp
    void openHistory();
    Result<sync::SyncPlan> plan(const AppRuntime* app, const SyncRequest& request) const;
    // The comparison of live state with desired state at `revision`, run on the Git worker and the
    // pool; call on the engine's thread (compareAtRevision, planSyncAtRevision).
    struct RevisionComparison {
        QList<ResourceStatus> resources;
        QList<kubeobj::Object> desired; // placed (namespace filled in), for a sync plan
        AppSpec spec;
    };
    QFuture<Result<RevisionComparison>> compareRevision(const QString& application, const QString& revision);
    quint64 newOperation(const QString& kind, AppRuntime* app, const SyncRequest& request,
                         const QString& revision, quint64 id);
    void refuse(quint64 id, const Error& error);
    void refuseRollback(AppRuntime* app, quint64 id, const Error& error);
    void startSync(quint64 id);
    void finishOperation(quint64 id, OperationResult result);
    void recordStart(Operation& operation);
    void recordFinish(const Operation& operation, const OperationResult& result);
    void saveAppState(const AppRuntime* app, const QString& reason);
    void maybeAutoSync(AppRuntime* app);
};

} // namespace driftdeck::engine
