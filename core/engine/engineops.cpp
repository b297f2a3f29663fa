// The operator's commands: sync (manual and automated), rollback, resume, revert — each an
// operation with an id, progress, cancellation and a history record. Runs on the engine's thread;
// the SyncRunner sends its requests through the cluster's client, the revert runs on the Git worker.
#include "diff/pairing.h"
#include "engine_p.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QPromise>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcEngineOps, "driftdeck.engine")

namespace driftdeck::engine {

namespace {

QJsonObject requestJson(const SyncRequest& request, bool automated) {
    QJsonArray only;
    for (const ResourceKey& key : request.only)
        only.append(key.toString());
    return QJsonObject{{u"dryRun"_s, request.dryRun},
                       {u"prune"_s, request.prune},
                       {u"forceConflicts"_s, request.forceConflicts},
                       {u"createNamespace"_s, request.createNamespace},
                       {u"replace"_s, request.replace},
                       {u"resources"_s, only},
                       {u"automated"_s, automated}};
}

QString outcomeText(sync::SyncOutcome outcome) {
    return sync::outcomeName(outcome);
}

} // namespace

void Engine::Private::openHistory() {
    if (settings.historyPath == u"-")
        return;
    history = std::make_unique<history::HistoryStore>();
    history->open(settings.historyPath).then(q, [this](const Status& opened) {
        if (!opened.ok()) {
            historyError = opened.error();
            qCWarning(lcEngineOps).noquote() << "history:" << opened.error().toString();
        }
    });
    // Pins and paused auto-sync survive restarts: read them before the first revision is resolved.
    history->appStates().then(q, [this](const Result<QList<history::AppState>>& states) {
        if (states.ok()) {
            for (const history::AppState& state : *states) {
                AppRuntime* app = appByName.value(state.application);
                if (!app)
                    continue;
                app->status.pinnedRevision = state.pinnedRevision;
                app->status.autoSyncPaused = state.autoSyncPaused;
            }
        }
        appStatesLoaded = true;
        reconcile({}, true);
        publishSoon();
    });
}

Error busyError(const AppRuntime* app) {
    return Error::make(
        Error::Code::Conflict,
        u"application %1 is already running operation %2"_s.arg(app->spec.name).arg(app->operation),
        u"wait for it to end or cancel it"_s);
}

// What a sync of an application does: the operator's request plus the application's own sync options.
sync::SyncOptions syncOptionsOf(const AppSpec& spec, const SyncRequest& request) {
    sync::SyncOptions options;
    options.appName = spec.name;
    options.prune = request.prune;
    options.dryRun = request.dryRun;
    options.only = request.only;
    options.forceConflicts = request.forceConflicts;
    options.createNamespace = request.createNamespace || spec.syncOptions.contains(u"CreateNamespace=true"_s);
    options.replace = request.replace || spec.syncOptions.contains(u"Replace=true"_s);
    options.allowEmpty = spec.syncPolicy.allowEmpty;
    return options;
}

Result<sync::SyncPlan> Engine::Private::plan(const AppRuntime* app, const SyncRequest& request) const {
    if (app->renderError) {
        // The planner refuses; the operator also needs the render error itself (file and line).
        Result<sync::SyncPlan> refused = sync::planSync({}, {}, true, {});
        if (refused.ok())
            return refused;
        Error error = refused.error();
        error.detail = app->renderError->toString();
        return error;
    }
    if (app->status.sync == SyncStatus::Unknown || app->comparing || app->renderedCommit.isEmpty())
        return Error::make(Error::Code::Unavailable,
                           u"application %1 has not been compared yet"_s.arg(app->spec.name),
                           u"wait for its status (driftdeck-cli status), then sync"_s);
    if (app->status.sync == SyncStatus::Error && app->status.error)
        return *app->status.error;
    const ClusterRuntime* liveCluster = clusterByName.value(app->spec.cluster);
    QList<diff::ObjectDiff> diffs;
    for (const ResourceStatus& resource : app->status.resources) {
        diff::ObjectDiff planned = resource.diff;
        // The status holds the display form of a live object, which leaves the tracking id out; the
        // planner allows a prune only on that id, so an Extra object is planned with the live
        // cache's own object (the runner re-reads it before deleting anyway).
        if (planned.state == diff::ObjectDiff::State::Extra && liveCluster) {
            if (const kube::LiveCache* cache =
                    liveCluster->caches.value(groupKind(resource.key.group, resource.key.kind))) {
                if (kubeobj::Object live = cache->objects().value(resource.key); !live.isNull())
                    planned.live = live;
            }
        }
        diffs.append(planned);
    }
    diff::PairingOptions placement;
    placement.appName = app->spec.name;
    placement.destinationNamespace = app->spec.ns.isEmpty() ? u"default"_s : app->spec.ns;
    if (const ClusterRuntime* cluster = clusterByName.value(app->spec.cluster)) {
        const QHash<QString, bool> namespaced = cluster->namespaced;
        placement.scopeOf = [namespaced](const QString& group, const QString& kind) -> std::optional<bool> {
            const auto it = namespaced.constFind(groupKind(group, kind));
            return it == namespaced.cend() ? std::nullopt : std::optional<bool>(*it);
        };
    }
    QList<kubeobj::Object> desired;
    for (const kubeobj::Object& object : app->desired)
        desired.append(diff::placed(object, placement));
    const sync::SyncOptions options = syncOptionsOf(app->spec, request);
    for (const ResourceKey& key : request.only) {
        if (!app->desiredKeys.contains(key) &&
            !clusterByName.value(app->spec.cluster)->tracked.value(app->spec.name).contains(key))
            return Error::make(
                Error::Code::NotFound,
                u"%1 is not a resource of application %2"_s.arg(key.toString(), app->spec.name),
                u"driftdeck-cli diff --app %1 lists its resources"_s.arg(app->spec.name));
    }
    return sync::planSync(diffs, desired, false, options);
}

Result<sync::SyncPlan> Engine::planSync(const QString& application, const SyncRequest& request) const {
    const AppRuntime* app = d->appByName.value(application);
    if (!app)
        return Error::make(Error::Code::NotFound, u"no application '%1' in the workspace"_s.arg(application));
    return d->plan(app, request);
}

quint64 Engine::reserveOperationId() {
    return ++d->nextOperationId;
}

QFuture<Result<sync::SyncPlan>> Engine::planSyncAsync(const QString& application,
                                                      const SyncRequest& request) {
    auto promise = std::make_shared<QPromise<Result<sync::SyncPlan>>>();
    QFuture<Result<sync::SyncPlan>> future = promise->future();
    promise->start();
    QMetaObject::invokeMethod(
        this,
        [this, promise, application, request] {
            promise->addResult(planSync(application, request));
            promise->finish();
        },
        Qt::QueuedConnection);
    return future;
}

quint64 Engine::Private::newOperation(const QString& kind, AppRuntime* app, const SyncRequest& request,
                                      const QString& revision, quint64 id) {
    Operation operation;
    operation.id = id != 0 ? id : ++nextOperationId;
    operation.kind = kind;
    operation.app = app;
    operation.request = request;
    operation.revision = revision;
    operations.insert(operation.id, operation);
    return operation.id;
}

// An operation that cannot run: its id was returned, so its end is reported too (queued: the
// caller connects after the call returns).
void Engine::Private::refuse(quint64 id, const Error& error) {
    Operation& operation = operations[id];
    OperationResult result;
    result.id = id;
    result.kind = operation.kind;
    result.application = operation.app ? operation.app->spec.name : QString();
    result.error = error;
    result.message = error.message;
    QTimer::singleShot(0, q, [this, id, result] { finishOperation(id, result); });
}

quint64 Engine::sync(const QString& application, const SyncRequest& request, quint64 id) {
    AppRuntime* app = d->appByName.value(application);
    id = d->newOperation(u"sync"_s, app, request, app ? app->renderedCommit : QString(), id);
    if (!app) {
        d->refuse(id, Error::make(Error::Code::NotFound,
                                  u"no application '%1' in the workspace"_s.arg(application)));
        return id;
    }
    if (app->operation != 0) {
        d->refuse(id, busyError(app));
        return id;
    }
    app->operation = id;
    d->startSync(id);
    return id;
}

void Engine::Private::startSync(quint64 id) {
    Operation& operation = operations[id];
    AppRuntime* app = operation.app;
    ClusterRuntime* cluster = clusterByName.value(app->spec.cluster);
    Result<sync::SyncPlan> planned = plan(app, operation.request);
    if (!planned.ok() || !cluster || !cluster->client) {
        const Error error = planned.ok()
                                ? Error::make(Error::Code::Unavailable,
                                              u"cluster %1 is not connected"_s.arg(app->spec.cluster))
                                : planned.error();
        if (operation.pinned) {
            refuseRollback(app, id, error);
            return;
        }
        app->operation = 0;
        refuse(id, error);
        return;
    }
    operation.revision = app->renderedCommit;
    recordStart(operation);
    // The same options the plan was made with: the runner creates the namespace itself, so an
    // application's CreateNamespace=true must reach it too, not only the plan.
    const sync::SyncOptions options = syncOptionsOf(app->spec, operation.request);
    sync::SyncRunSettings run;
    run.fieldManager = settings.fieldManager;
    run.healthTimeoutSeconds = int(settings.healthTimeout.count());
    run.destinationNamespace = app->spec.ns.isEmpty() ? u"default"_s : app->spec.ns;
    auto* runner = new sync::SyncRunner(cluster->client.get(), cluster->discovery.get(), options, run, q);
    operation.runner = runner;
    const QString kind = operation.kind;
    const QString appName = app->spec.name;
    QObject::connect(
        runner, &sync::SyncRunner::progress, q, [this, id, kind, appName](const sync::SyncProgress& p) {
            OperationProgress progress;
            progress.id = id;
            progress.kind = kind;
            progress.application = appName;
            progress.done = p.done;
            progress.total = p.total;
            progress.phase = p.message.isEmpty()
                                 ? QString(sync::phaseName(p.phase) + u' ' + p.current.toString())
                                 : QString(sync::phaseName(p.phase) + u": "_s + p.message);
            Q_EMIT q->operationProgress(progress);
        });
    QObject::connect(runner, &sync::SyncRunner::finished, q,
                     [this, id, runner](const sync::SyncResult& synced) {
                         runner->deleteLater();
                         const Operation& operation = operations[id];
                         OperationResult result;
                         result.id = id;
                         result.kind = operation.kind;
                         result.application = operation.app->spec.name;
                         result.sync = synced;
                         result.revision = operation.revision;
                         result.ok = synced.outcome == sync::SyncOutcome::Succeeded;
                         result.message = synced.message;
                         finishOperation(id, result);
                     });
    runner->start(*planned);
}

void Engine::cancel(quint64 operationId) {
    auto it = d->operations.find(operationId);
    if (it == d->operations.end())
        return;
    it->cancelled = true;
    if (it->runner)
        it->runner->cancel();
    else if (it->app && it->app->waitingOperation == operationId)
        d->refuseRollback(it->app, operationId,
                          Error::make(Error::Code::Cancelled, u"cancelled before the sync started"_s));
}

void Engine::Private::finishOperation(quint64 id, OperationResult result) {
    auto it = operations.find(id);
    if (it == operations.end())
        return;
    const Operation operation = *it;
    operations.erase(it);
    if (operation.app) {
        if (operation.app->operation == id)
            operation.app->operation = 0;
        if (operation.kind == u"sync" || operation.kind == u"rollback") {
            operation.app->status.lastSyncAt = QDateTime::currentDateTimeUtc();
            operation.app->status.lastSyncResult =
                result.error ? u"Failed: "_s + result.error->message : outcomeText(result.sync.outcome);
            if (operation.automated) {
                operation.app->autoSyncFailures = result.ok ? 0 : operation.app->autoSyncFailures + 1;
                operation.app->autoSyncEnded = std::chrono::steady_clock::now();
            }
        }
        if (operation.kind == u"sync" || operation.kind == u"rollback")
            if (ClusterRuntime* cluster = clusterByName.value(operation.app->spec.cluster))
                rediscoverUnserved(cluster);
        markDirty(operation.app);
    }
    recordFinish(operation, result);
    publishSoon();
    Q_EMIT q->operationFinished(result);
}

void Engine::Private::recordStart(Operation& operation) {
    if (!history)
        return;
    history::OperationRecord record;
    record.kind = operation.kind;
    record.application = operation.app->spec.name;
    record.cluster = operation.app->spec.cluster;
    record.revision = operation.revision;
    record.revisionLabel = operation.app->spec.targetRevision;
    record.options = requestJson(operation.request, operation.automated);
    record.operationId = u"op-%1-%2"_s.arg(QDateTime::currentMSecsSinceEpoch()).arg(operation.id);
    operation.historyId = record.operationId;
    history->record(record).then(q, [this](const Result<qint64>& stored) {
        if (!stored.ok()) {
            historyError = stored.error();
            qCWarning(lcEngineOps).noquote() << "history:" << stored.error().toString();
        }
    });
}

void Engine::Private::recordFinish(const Operation& operation, const OperationResult& result) {
    if (!history || !operation.app)
        return;
    history::OperationRecord record;
    const bool started = !operation.historyId.isEmpty();
    record.operationId = started ? operation.historyId
                                 : u"op-%1-%2"_s.arg(QDateTime::currentMSecsSinceEpoch()).arg(operation.id);
    record.kind = operation.kind;
    record.application = operation.app->spec.name;
    record.cluster = operation.app->spec.cluster;
    record.revision = result.revision.isEmpty() ? operation.revision : result.revision;
    record.revisionLabel = operation.app->spec.targetRevision;
    record.options = requestJson(operation.request, operation.automated);
    record.finishedAt = QDateTime::currentDateTimeUtc();
    if (result.error) {
        record.outcome = result.error->code == Error::Code::Cancelled ? QString(history::outcomes::cancelled)
                                                                      : QString(history::outcomes::failed);
        record.error = result.error->message;
    } else if (operation.kind == u"sync" || operation.kind == u"rollback") {
        record.outcome = outcomeText(result.sync.outcome);
        if (!result.ok)
            record.error = result.message;
    } else {
        record.outcome =
            result.ok ? QString(history::outcomes::succeeded) : QString(history::outcomes::failed);
        if (!result.ok)
            record.error = result.message;
    }
    for (const sync::SyncResourceResult& resource : result.sync.resources)
        record.resources.append(history::ResourceOutcome{
            resource.key.group, resource.key.kind, resource.key.ns, resource.key.name,
            sync::actionName(resource.action), sync::statusName(resource.status), resource.message});
    auto stored = started ? history->update(record).then([](const Status& s) { return s; })
                          : history->record(record).then([](const Result<qint64>& r) -> Status {
                                if (!r.ok())
                                    return r.error();
                                return success();
                            });
    stored.then(q, [this](const Status& status) {
        if (!status.ok()) {
            historyError = status.error();
            qCWarning(lcEngineOps).noquote() << "history:" << status.error().toString();
        }
    });
}

QFuture<Result<history::HistoryPage>> Engine::history(const history::HistoryQuery& query) const {
    if (!d->history)
        return QtFuture::makeReadyFuture(Result<history::HistoryPage>(
            Error::make(Error::Code::Unavailable, u"no history database in this run"_s)));
    return d->history->operations(query);
}

void Engine::Private::saveAppState(const AppRuntime* app, const QString& reason) {
    if (!history)
        return;
    history::AppState state;
    state.application = app->spec.name;
    state.pinnedRevision = app->status.pinnedRevision;
    state.autoSyncPaused = app->status.autoSyncPaused;
    state.reason = reason;
    state.since = QDateTime::currentDateTimeUtc();
    history->setAppState(state).then(q, [this](const Status& status) {
        if (!status.ok()) {
            historyError = status.error();
            qCWarning(lcEngineOps).noquote() << "history:" << status.error().toString();
        }
    });
}

} // namespace driftdeck::engine
