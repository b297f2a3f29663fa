#pragma once

#include "engine/enginetypes.h"
#include "model/error.h"
#include "workspace/workspace.h"

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
    QString fieldManager = QStringLiteral("driftdeck");
    // Health wait between sync waves.
    std::chrono::seconds healthTimeout{300};
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

    struct Private;

Q_SIGNALS:
    void snapshotChanged(driftdeck::engine::Snapshot snapshot);
    void operationProgress(driftdeck::engine::OperationProgress progress);

private:
    std::unique_ptr<Private> d;
    friend struct Private;
};

} // namespace driftdeck::engine
