#pragma once

#include "engine/engine.h"

#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <chrono>

// The GUI's handle on the engine: the Engine lives on a thread of its own, and every call into it
// is queued there, so the GUI thread never waits on the network, Git or disk. Operations take their
// id at once (reserveOperationId), so the window can track them before the engine starts them.
namespace driftdeck::ui {

class EngineController : public QObject {
    Q_OBJECT
public:
    explicit EngineController(QObject* parent = nullptr);
    ~EngineController() override; // stop()

    // Creates the engine on its thread and starts it; a second call replaces the running engine.
    void start(const workspace::Workspace& workspace, const engine::EngineSettings& settings);
    // Deletes the engine on its thread and ends the thread, waiting at most `wait`.
    void stop(std::chrono::milliseconds wait = std::chrono::seconds(5));
    bool isRunning() const { return m_engine != nullptr; }

    const workspace::Workspace& workspace() const { return m_workspace; }
    // The latest snapshot received (null before the first).
    engine::Snapshot snapshot() const { return m_snapshot; }

    void refresh(const QString& application = {});
    void hardRefresh(const QString& application = {});
    quint64 sync(const QString& application, const engine::SyncRequest& request);
    quint64 rollback(const QString& application, const QString& revision, const engine::SyncRequest& request);
    quint64 resume(const QString& application);
    quint64 revert(const QString& application, const QString& commit);
    void cancel(quint64 operationId);

    QFuture<Result<sync::SyncPlan>> planSync(const QString& application, const engine::SyncRequest& request);
    // The plan a rollback to `revision` would run (computed by the engine, never on this thread).
    QFuture<Result<sync::SyncPlan>> planSyncAtRevision(const QString& application, const QString& revision,
                                                       const engine::SyncRequest& request);
    // The commit behind each desired line of a resource's diff (the provenance gutter).
    QFuture<Result<QList<provenance::LineProvenance>>> desiredLineProvenance(const QString& application,
                                                                             const ResourceKey& key);
    QFuture<Result<history::HistoryPage>> history(const history::HistoryQuery& query);

Q_SIGNALS:
    void snapshotChanged(driftdeck::engine::Snapshot snapshot);
    void operationStarted(quint64 id, const QString& kind, const QString& application);
    void operationProgress(driftdeck::engine::OperationProgress progress);
    void operationFinished(driftdeck::engine::OperationResult result);

private:
    template <typename Call>
    void post(Call call);

    QThread* m_thread = nullptr;
    QPointer<engine::Engine> m_engine;
    workspace::Workspace m_workspace;
    engine::Snapshot m_snapshot;
};

} // namespace driftdeck::ui
