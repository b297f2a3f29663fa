#include "enginecontroller.h"

#include <QCoreApplication>
#include <QPromise>

#include <memory>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {

EngineController::EngineController(QObject* parent)
    : QObject(parent) {
    qRegisterMetaType<engine::Snapshot>();
    qRegisterMetaType<engine::OperationProgress>();
    qRegisterMetaType<engine::OperationResult>();
}

EngineController::~EngineController() {
    stop();
}

void EngineController::start(const workspace::Workspace& workspace, const engine::EngineSettings& settings) {
    stop();
    m_workspace = workspace;
    m_snapshot.reset();
    m_thread = new QThread(this);
    m_thread->setObjectName(u"driftdeck-engine"_s);
    auto* engine = new engine::Engine(workspace, settings);
    engine->moveToThread(m_thread);
    m_engine = engine;
    // The engine's signals are queued to this (GUI) thread.
    connect(engine, &engine::Engine::snapshotChanged, this, [this](const engine::Snapshot& snapshot) {
        if (!snapshot || (m_snapshot && snapshot->generation < m_snapshot->generation))
            return; // an older snapshot overtaken by a newer one
        m_snapshot = snapshot;
        Q_EMIT snapshotChanged(snapshot);
    });
    connect(engine, &engine::Engine::operationProgress, this, &EngineController::operationProgress);
    connect(engine, &engine::Engine::operationFinished, this, &EngineController::operationFinished);
    m_thread->start();
    QMetaObject::invokeMethod(engine, &engine::Engine::start, Qt::QueuedConnection);
}

void EngineController::stop(std::chrono::milliseconds wait) {
    if (!m_thread)
        return;
    if (m_engine) {
        // The engine's destructor runs on its own thread, where its children and timers live.
        engine::Engine* engine = m_engine;
        disconnect(engine, nullptr, this, nullptr);
        engine->deleteLater(); // thread-safe; a deferred delete still pending runs when the thread ends
    }
    m_thread->quit();
    if (!m_thread->wait(QDeadlineTimer(wait.count()))) {
        // A cluster request stuck past the deadline: leave the thread to finish on its own rather
        // than block the window's closing. It deletes itself when it ends.
        qWarning("driftdeck: the engine thread did not stop within %lld ms", qlonglong(wait.count()));
        m_thread->setParent(nullptr);
        connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
    } else {
        delete m_thread;
    }
    m_thread = nullptr;
    m_engine = nullptr;
}

template <typename Call>
void EngineController::post(Call call) {
    if (!m_engine)
        return;
    QMetaObject::invokeMethod(
        m_engine,
        [engine = m_engine, call] {
            if (engine)
                call(*engine);
        },
        Qt::QueuedConnection);
}

void EngineController::refresh(const QString& application) {
    post([application](engine::Engine& engine) { engine.refresh(application); });
}

void EngineController::hardRefresh(const QString& application) {
    post([application](engine::Engine& engine) { engine.hardRefresh(application); });
}

quint64 EngineController::sync(const QString& application, const engine::SyncRequest& request) {
    if (!m_engine)
        return 0;
    const quint64 id = m_engine->reserveOperationId();
    post([=](engine::Engine& engine) { engine.sync(application, request, id); });
    Q_EMIT operationStarted(id, u"sync"_s, application);
    return id;
}

quint64 EngineController::rollback(const QString& application, const QString& revision,
                                   const engine::SyncRequest& request) {
    if (!m_engine)
        return 0;
    const quint64 id = m_engine->reserveOperationId();
    post([=](engine::Engine& engine) { engine.rollback(application, revision, request, id); });
    Q_EMIT operationStarted(id, u"rollback"_s, application);
    return id;
}

quint64 EngineController::resume(const QString& application) {
    if (!m_engine)
        return 0;
    const quint64 id = m_engine->reserveOperationId();
    post([=](engine::Engine& engine) { engine.resume(application, id); });
    Q_EMIT operationStarted(id, u"resume"_s, application);
    return id;
}

quint64 EngineController::revert(const QString& application, const QString& commit) {
    if (!m_engine)
        return 0;
    const quint64 id = m_engine->reserveOperationId();
    post([=](engine::Engine& engine) { engine.revert(application, commit, id); });
    Q_EMIT operationStarted(id, u"revert"_s, application);
    return id;
}

void EngineController::cancel(quint64 operationId) {
    post([operationId](engine::Engine& engine) { engine.cancel(operationId); });
}

QFuture<Result<sync::SyncPlan>> EngineController::planSync(const QString& application,
                                                           const engine::SyncRequest& request) {
    if (!m_engine)
        return QtFuture::makeReadyFuture(
            Result<sync::SyncPlan>(Error::make(Error::Code::Unavailable, tr("no workspace is open"))));
    return m_engine->planSyncAsync(application, request);
}

QFuture<Result<sync::SyncPlan>> EngineController::planSyncAtRevision(const QString& application,
                                                                     const QString& revision,
                                                                     const engine::SyncRequest& request) {
    if (!m_engine)
        return QtFuture::makeReadyFuture(
            Result<sync::SyncPlan>(Error::make(Error::Code::Unavailable, tr("no workspace is open"))));
    return m_engine->planSyncAtRevision(application, revision, request); // posts to the engine's thread
}

QFuture<Result<QList<provenance::LineProvenance>>>
EngineController::desiredLineProvenance(const QString& application, const ResourceKey& key) {
    using Lines = QList<provenance::LineProvenance>;
    if (!m_engine)
        return QtFuture::makeReadyFuture(
            Result<Lines>(Error::make(Error::Code::Unavailable, tr("no workspace is open"))));
    return m_engine->desiredLineProvenance(application, key); // posts to the engine's thread
}

// The history store is created on the engine's thread: ask it there and forward the answer.
QFuture<Result<history::HistoryPage>> EngineController::history(const history::HistoryQuery& query) {
    auto promise = std::make_shared<QPromise<Result<history::HistoryPage>>>();
    QFuture<Result<history::HistoryPage>> future = promise->future();
    promise->start();
    if (!m_engine) {
        promise->addResult(Error::make(Error::Code::Unavailable, tr("no workspace is open")));
        promise->finish();
        return future;
    }
    engine::Engine* target = m_engine;
    const bool posted = QMetaObject::invokeMethod(
        target,
        [target, promise, query] {
            target->history(query)
                .then([promise](const Result<history::HistoryPage>& page) {
                    promise->addResult(page);
                    promise->finish();
                })
                .onCanceled([promise] {
                    promise->addResult(
                        Error::make(Error::Code::Cancelled, u"the history request was cancelled"_s));
                    promise->finish();
                });
        },
        Qt::QueuedConnection);
    if (!posted) {
        promise->addResult(Error::make(Error::Code::Unavailable, tr("the engine has stopped")));
        promise->finish();
    }
    return future;
}

} // namespace driftdeck::ui
