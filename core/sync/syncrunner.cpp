#include "sync/syncrunner.h"

#include "kube/clusterclient.h"
#include "kube/discovery.h"
#include "sync/synclog_p.h"
#include "sync/syncrequests.h"

#include <QFutureWatcher>

// The state machine's steps, applying, and the asynchronous plumbing; pruning, health waits and
// results are in syncrunnerprune.cpp, syncrunnerhealth.cpp and syncrunnerresults.cpp.
Q_LOGGING_CATEGORY(lcSync, "driftdeck.sync")

namespace driftdeck::sync {

namespace {

const kube::ResourceInfo kNamespaces{
    QString(), QStringLiteral("v1"), QStringLiteral("Namespace"), QStringLiteral("namespaces"), false, {}};

bool isApply(PlanItem::Action action) {
    return action == PlanItem::Action::Create || action == PlanItem::Action::Update;
}

} // namespace

SyncRunner::SyncRunner(kube::ClusterClient* client, kube::Discovery* discovery, SyncOptions options,
                       SyncRunSettings settings, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_discovery(discovery)
    , m_options(std::move(options))
    , m_settings(std::move(settings)) {
    qRegisterMetaType<SyncProgress>();
    qRegisterMetaType<SyncResult>();
    m_healthTimer.setSingleShot(true);
    connect(&m_healthTimer, &QTimer::timeout, this, &SyncRunner::pollHealth);
}

SyncRunner::~SyncRunner() {
    // Requests still in flight are aborted; their watchers go with this object.
    if (m_inflight.isRunning())
        m_inflight.cancel();
}

bool SyncRunner::start(const SyncPlan& plan) {
    if (m_running)
        return false;
    m_state = SyncState::forPlan(plan, m_options.appName, m_options.dryRun);
    begin();
    return true;
}

bool SyncRunner::resume(const SyncState& state) {
    if (m_running)
        return false;
    m_state = state;
    if (state.appName != m_options.appName || state.dryRun != m_options.dryRun)
        begin(QStringLiteral("the saved state belongs to application \"%1\"%2; resume it with the same "
                             "application and the same dry-run setting")
                  .arg(state.appName, state.dryRun ? QStringLiteral(" (dry run)") : QString()));
    else if (m_state.results.size() != m_state.plan.items.size())
        begin(QStringLiteral("the saved state has %1 results for %2 plan items; plan the sync again")
                  .arg(m_state.results.size())
                  .arg(m_state.plan.items.size()));
    else
        begin();
    return true;
}

void SyncRunner::begin(const QString& refusal) {
    ++m_run;
    m_running = true;
    m_cancelRequested = false;
    m_runError = refusal;
    m_stopNote.clear();
    m_namespaceResult.reset();
    m_waveInProgress.reset();
    m_cursor = m_state.next;
    if (m_runError.isEmpty() && m_options.appName.isEmpty())
        m_runError =
            QStringLiteral("a sync needs the application's name: it goes into the tracking annotation "
                           "of every applied object, and only objects carrying it are pruned");
    qCInfo(lcSync).noquote() << m_options.appName << QStringLiteral(": sync run from item") << m_cursor
                             << "of" << m_state.plan.items.size() << (m_options.dryRun ? "(dry run)" : "");
    scheduleStep();
}

void SyncRunner::cancel() {
    if (!m_running || m_cancelRequested)
        return;
    m_cancelRequested = true;
    qCInfo(lcSync).noquote() << m_options.appName << QStringLiteral(": cancel requested");
    if (m_healthTimer.isActive()) {
        m_healthTimer.stop();
        scheduleStep();
    } else if (m_inflightIsHealthPoll && m_inflight.isRunning()) {
        m_inflight.cancel(); // its watcher reports back and the step sees the cancellation
    }
}

void SyncRunner::scheduleStep() {
    // Queued: keeps the stack flat over many items settled without a request, and gives cancel() a say.
    const quint64 run = m_run;
    QMetaObject::invokeMethod(
        this,
        [this, run] {
            if (!stale(run))
                step();
        },
        Qt::QueuedConnection);
}

void SyncRunner::step() {
    if (!m_running)
        return;
    if (m_cancelRequested || !m_runError.isEmpty())
        return finishRun();
    switch (m_state.phase) {
    case SyncPhase::Pending:
        // Applying only once the namespace is there: a run cancelled before that checks it again.
        if (m_options.createNamespace && !m_settings.destinationNamespace.isEmpty())
            return ensureNamespace();
        m_state.phase = SyncPhase::Applying;
        return stepApply();
    case SyncPhase::Applying:
        return stepApply();
    case SyncPhase::WaitingForHealth:
        return startHealthWait();
    case SyncPhase::Pruning:
        return stepPrune();
    case SyncPhase::Finished:
        return finishRun();
    }
}

void SyncRunner::ensureNamespace() {
    const QString ns = m_settings.destinationNamespace;
    for (const PlanItem& item : std::as_const(m_state.plan.items))
        if (isApply(item.action) && item.key.group.isEmpty() && item.key.kind == QLatin1String("Namespace") &&
            item.key.name == ns)
            return namespaceReady(); // the plan creates it itself, with its own labels and tracking id
    emitProgress(ResourceKey{QString(), QStringLiteral("Namespace"), QString(), ns});
    whenDone(m_client->get(kube::objectPath(kNamespaces, QString(), ns)), [this,
                                                                           ns](const kube::ApiReply& got) {
        if (got.ok())
            return namespaceReady();
        if (got.httpStatus != 404)
            return stopRun(QStringLiteral("cannot check the destination namespace \"%1\": %2")
                               .arg(ns, got.error ? got.error->message : QString()));
        // Deliberately without the tracking id: a created namespace is no desired object, and a
        // tracked one would become a prune candidate holding everything in it.
        const QJsonObject object{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                 {QStringLiteral("kind"), QStringLiteral("Namespace")},
                                 {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), ns}}}};
        kube::ApplyOptions options;
        options.fieldManager = m_settings.fieldManager;
        options.dryRun = m_options.dryRun;
        whenDone(m_client->apply(kNamespaces, object, options), [this, ns](const kube::ApiReply& applied) {
            SyncResourceResult r;
            r.key = ResourceKey{QString(), QStringLiteral("Namespace"), QString(), ns};
            r.action = PlanItem::Action::Create;
            r.httpStatus = applied.httpStatus;
            if (!applied.ok()) {
                r.status = ResourceStatus::Failed;
                r.message = applied.error ? applied.error->message : QString();
                m_namespaceResult = r;
                return stopRun(QStringLiteral("cannot create the destination namespace \"%1\"").arg(ns));
            }
            r.status = ResourceStatus::Applied;
            r.message = m_options.dryRun
                            ? QStringLiteral("would create the destination namespace (dry run)")
                            : QStringLiteral("created the destination namespace (CreateNamespace)");
            m_namespaceResult = r;
            namespaceReady();
        });
    });
}

void SyncRunner::namespaceReady() {
    m_state.phase = SyncPhase::Applying;
    scheduleStep();
}

void SyncRunner::stepApply() {
    int index = -1;
    for (int i = m_cursor; i < m_state.plan.items.size(); ++i) {
        if (isApply(m_state.plan.items.at(i).action) && !m_state.results.at(i).isDone()) {
            index = i;
            break;
        }
    }
    if (m_waveInProgress && (index < 0 || m_state.plan.items.at(index).wave != *m_waveInProgress)) {
        const int wave = *std::exchange(m_waveInProgress, std::nullopt);
        const bool pruneFollows =
            m_options.prune &&
            std::any_of(m_state.plan.items.begin(), m_state.plan.items.end(),
                        [](const PlanItem& i) { return i.action == PlanItem::Action::Prune; });
        endWave(wave, index >= 0 || pruneFollows);
        return;
    }
    if (index < 0) {
        if (!m_state.applyPhaseComplete())
            return stopRun(QStringLiteral("not every object was applied, so nothing is pruned"));
        m_state.phase = SyncPhase::Pruning;
        m_cursor = 0;
        return scheduleStep();
    }
    m_cursor = index;
    const PlanItem& item = m_state.plan.items.at(index);
    m_waveInProgress = item.wave;
    emitProgress(item.key);
    if (!m_options.only.isEmpty() && !m_options.only.contains(item.key)) {
        settle(index, ResourceStatus::Skipped, QStringLiteral("not selected"));
        return scheduleStep();
    }
    if (item.desired.isNull()) {
        settle(
            index, ResourceStatus::Failed,
            QStringLiteral("the desired object is not at hand (a saved sync state withholds Secrets): render "
                           "the application again and resume with its objects"));
        return scheduleStep();
    }
    resolve(
        item.desired.gvk(), [this, index](const kube::ResourceInfo& info) { applyItem(index, info); },
        [this, index](const Error& error) {
            settle(index, ResourceStatus::Failed, error.message);
            if (stopsTheRun(error))
                return stopAfter(index, error.code, 0);
            scheduleStep();
        });
}

void SyncRunner::endWave(int wave, bool moreFollows) {
    int failed = 0;
    bool applied = false;
    for (const SyncResourceResult& r : std::as_const(m_state.results)) {
        if (r.wave != wave || !isApply(r.action))
            continue;
        failed += r.status == ResourceStatus::Failed || r.status == ResourceStatus::Conflict ? 1 : 0;
        applied = applied || r.status == ResourceStatus::Applied;
    }
    if (failed > 0) {
        // Not m_runError: the items say what failed, and the outcome may still be PartiallySucceeded.
        m_stopNote = QStringLiteral("stopped after wave %1: %2 %3 failed or conflicted; later waves and "
                                    "pruning were not run")
                         .arg(wave)
                         .arg(failed)
                         .arg(failed == 1 ? QStringLiteral("object") : QStringLiteral("objects"));
        return finishRun();
    }
    if (applied && !m_options.dryRun && (moreFollows || m_settings.waitForHealthAtEnd)) {
        m_state.phase = SyncPhase::WaitingForHealth;
        m_state.healthWave = wave;
    }
    scheduleStep();
}

void SyncRunner::applyItem(int index, const kube::ResourceInfo& info) {
    if (m_cancelRequested)
        return scheduleStep(); // cancelled while discovery answered: not sent
    const PlanItem& item = m_state.plan.items.at(index);
    const QString ns =
        targetNamespace(item.desired, item.key, info.namespaced, m_settings.destinationNamespace);
    const QJsonObject body = appliedObject(item.desired, m_options.appName, item.key, info.namespaced, ns);
    kube::ApplyOptions options;
    options.fieldManager = m_settings.fieldManager;
    options.force = m_options.forceConflicts;
    options.dryRun = m_options.dryRun;
    options.defaultNamespace = ns.isEmpty() ? QStringLiteral("default") : ns;
    if (!m_options.replace) {
        whenDone(m_client->apply(info, body, options),
                 [this, index](const kube::ApiReply& reply) { onApplied(index, reply, false); });
        return;
    }
    whenDone(m_client->send(replaceRequest(info, body, options)),
             [this, index, info, body, options](const kube::ApiReply& reply) {
                 if (reply.httpStatus != 404)
                     return onApplied(index, reply, false);
                 whenDone(m_client->send(replaceCreateRequest(info, body, options)),
                          [this, index](const kube::ApiReply& created) { onApplied(index, created, true); });
             });
}

void SyncRunner::onApplied(int index, const kube::ApiReply& reply, bool replaceCreate) {
    const PlanItem& item = m_state.plan.items.at(index);
    if (reply.ok()) {
        QString message = item.action == PlanItem::Action::Create || replaceCreate
                              ? QStringLiteral("created")
                              : QStringLiteral("updated");
        if (m_options.replace)
            message += QStringLiteral(" (replaced)");
        if (m_options.dryRun)
            message += QStringLiteral(" (dry run: accepted by the server, nothing persisted)");
        settle(index, ResourceStatus::Applied, message, reply.httpStatus);
        return scheduleStep();
    }
    if (reply.httpStatus == 409) {
        const QStringList managers = conflictManagers(reply.status);
        QStringList quoted;
        for (const QString& m : managers)
            quoted.append(QLatin1Char('"') + m + QLatin1Char('"'));
        const QString who = quoted.isEmpty()
                                ? QStringLiteral("another writer")
                                : QStringLiteral("field manager ") + quoted.join(QStringLiteral(", "));
        settle(index, ResourceStatus::Conflict,
               QStringLiteral(
                   "conflict with %1: %2 — not retried; remove the field from Git, let %1 give it up, "
                   "or sync with force conflicts to take it over")
                   .arg(who, scrubbed(index, reply.status.message)),
               reply.httpStatus, managers);
        return scheduleStep();
    }
    settleFailure(index, reply);
    if (stopsTheRun(reply))
        return stopAfter(index, reply.error->code, reply.httpStatus);
    scheduleStep();
}

void SyncRunner::resolve(const GroupVersionKind& gvk, std::function<void(const kube::ResourceInfo&)> then,
                         std::function<void(const Error&)> failed) {
    if (const auto it = m_infos.constFind(gvk); it != m_infos.constEnd())
        return then(*it);
    auto* watcher = new QFutureWatcher<Result<kube::ResourceInfo>>(this);
    const quint64 run = m_run;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, run, gvk, then, failed] {
        watcher->deleteLater();
        if (stale(run))
            return;
        const QFuture<Result<kube::ResourceInfo>> future = watcher->future();
        if (future.isCanceled() || future.resultCount() == 0)
            return failed(Error::make(Error::Code::Cancelled, QStringLiteral("discovery was cancelled")));
        const Result<kube::ResourceInfo> info = future.result();
        if (!info)
            return failed(info.error());
        m_infos.insert(gvk, *info);
        then(*info);
    });
    watcher->setFuture(m_discovery->resolve(gvk));
}

void SyncRunner::whenDone(QFuture<kube::ApiReply> future,
                          std::function<void(const kube::ApiReply&)> handler) {
    m_inflight = future;
    auto* watcher = new QFutureWatcher<kube::ApiReply>(this);
    const quint64 run = m_run;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, run, handler] {
        watcher->deleteLater();
        if (stale(run))
            return;
        m_inflight = {};
        m_inflightIsHealthPoll = false;
        const QFuture<kube::ApiReply> done = watcher->future();
        kube::ApiReply reply;
        if (done.isCanceled() || done.resultCount() == 0)
            reply.error = Error::make(Error::Code::Cancelled, QStringLiteral("the request was cancelled"));
        else
            reply = done.result();
        handler(reply);
    });
    watcher->setFuture(future);
}

} // namespace driftdeck::sync
