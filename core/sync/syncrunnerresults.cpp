#include "sync/synclog_p.h"
#include "sync/syncrequests.h"
#include "sync/syncrunner.h"

// Results: one object's outcome, progress reports, and the end of a run with its overall outcome.
namespace driftdeck::sync {

void SyncRunner::settle(int index, ResourceStatus status, const QString& message, int httpStatus,
                        const QStringList& managers) {
    SyncResourceResult& r = m_state.results[index];
    r.status = status;
    r.message = message;
    r.httpStatus = httpStatus;
    r.conflictManagers = managers;
    while (m_state.next < m_state.results.size() && m_state.results.at(m_state.next).isDone())
        ++m_state.next;
    m_cursor = index + 1;
    qCDebug(lcSync).noquote() << m_options.appName << r.key.toString() << statusName(status) << message;
}

void SyncRunner::settleFailure(int index, const kube::ApiReply& reply) {
    const QString message = reply.error ? reply.error->message : QStringLiteral("no answer");
    settle(index, ResourceStatus::Failed, scrubbed(index, message), reply.httpStatus);
}

bool SyncRunner::stopsTheRun(const kube::ApiReply& reply) const {
    return reply.error && stopsTheRun(*reply.error);
}

bool SyncRunner::stopsTheRun(const Error& error) const {
    // The cluster is gone or will not talk to us: every further request would fail the same way.
    return error.code == Error::Code::Unavailable || error.code == Error::Code::Cancelled ||
           error.code == Error::Code::Unauthorized;
}

QString SyncRunner::scrubbed(int index, const QString& text) const {
    const PlanItem& item = m_state.plan.items.at(index);
    QString out = text;
    if (!item.desired.isNull())
        out = withoutSecretValues(out, item.desired.json());
    if (!item.live.isNull())
        out = withoutSecretValues(out, item.live.json());
    return out;
}

void SyncRunner::emitProgress(const ResourceKey& current, const QString& message) {
    SyncProgress p;
    p.phase = m_state.phase;
    p.wave = m_state.phase == SyncPhase::WaitingForHealth && m_state.healthWave ? *m_state.healthWave
             : m_cursor < m_state.plan.items.size() ? m_state.plan.items.at(m_cursor).wave
                                                    : 0;
    p.done = m_state.actionsDone();
    p.total = m_state.actionCount();
    p.current = current;
    p.message = message;
    Q_EMIT progress(p);
}

void SyncRunner::stopRun(const QString& message) {
    if (m_runError.isEmpty())
        m_runError = message;
    scheduleStep(); // step() sees the error and finishes
}

void SyncRunner::stopAfter(int index, Error::Code code, int httpStatus) {
    // The item's message is already scrubbed of Secret values.
    stopRun(stopMessage(index, code, httpStatus, m_state.results.at(index).message));
}

QString SyncRunner::stopMessage(int index, Error::Code code, int httpStatus, const QString& detail) const {
    const QString key = m_state.plan.items.at(index).key.toString();
    QString message;
    if (code == Error::Code::Unauthorized)
        message = QStringLiteral("the cluster refused the credentials at %1 (%2): fix the kubeconfig's "
                                 "credentials, then resume the sync")
                      .arg(key, detail);
    else if (code == Error::Code::Cancelled)
        message =
            QStringLiteral("the request for %1 was cancelled: the sync stopped and can be resumed").arg(key);
    else if (httpStatus == 429)
        message =
            QStringLiteral("the API server kept throttling requests (HTTP 429) at %1: the sync stopped and "
                           "can be resumed")
                .arg(key);
    else if (httpStatus >= 500)
        message =
            QStringLiteral("the API server failed at %1 (HTTP %2: %3): the sync stopped and can be resumed "
                           "once the server recovers")
                .arg(key, QString::number(httpStatus), detail);
    else
        message =
            QStringLiteral("the cluster could not be reached at %1 (%2): the sync stopped and can be resumed")
                .arg(key, detail);
    return message;
}

void SyncRunner::finishRun() {
    if (!m_running)
        return;
    m_running = false;
    m_healthTimer.stop();
    SyncResult result;
    result.state = m_state;
    if (m_namespaceResult)
        result.resources.append(*m_namespaceResult);
    int applied = 0, pruned = 0, failed = 0, conflicts = 0, skipped = 0, unchanged = 0;
    bool allDone = true;
    for (SyncResourceResult r : std::as_const(m_state.results)) {
        switch (r.status) {
        case ResourceStatus::Applied:
            ++applied;
            break;
        case ResourceStatus::Pruned:
            ++pruned;
            break;
        case ResourceStatus::Failed:
            ++failed;
            break;
        case ResourceStatus::Conflict:
            ++conflicts;
            break;
        case ResourceStatus::Skipped:
            ++skipped;
            break;
        case ResourceStatus::Unchanged:
            ++unchanged;
            break;
        case ResourceStatus::NotRun:
            r.message = m_cancelRequested ? QStringLiteral("not run: the sync was cancelled")
                                          : QStringLiteral("not run: the sync stopped before it");
            break;
        }
        allDone = allDone && r.isDone();
        result.resources.append(r);
    }
    const bool changed = applied + pruned > 0 || (m_namespaceResult && m_namespaceResult->isDone());
    const QString counts = QStringLiteral("%1 applied, %2 pruned, %3 unchanged, %4 skipped, %5 failed, %6 "
                                          "conflicts")
                               .arg(applied)
                               .arg(pruned)
                               .arg(unchanged)
                               .arg(skipped)
                               .arg(failed)
                               .arg(conflicts);
    if (m_cancelRequested) {
        result.outcome = SyncOutcome::Cancelled;
        result.message = QStringLiteral("cancelled; resume to carry on (") + counts + QLatin1Char(')');
    } else if (!m_runError.isEmpty()) {
        result.outcome = SyncOutcome::Failed;
        result.message = m_runError + QStringLiteral(" (") + counts + QLatin1Char(')');
    } else if (allDone && failed + conflicts == 0) {
        result.outcome = SyncOutcome::Succeeded;
        m_state.phase = SyncPhase::Finished;
        result.state.phase = SyncPhase::Finished;
        result.message = QStringLiteral("synced: ") + counts;
    } else {
        result.outcome = changed ? SyncOutcome::PartiallySucceeded : SyncOutcome::Failed;
        result.message = (m_stopNote.isEmpty() ? QStringLiteral("not every object was synced") : m_stopNote) +
                         QStringLiteral(" (") + counts + QLatin1Char(')');
    }
    qCInfo(lcSync).noquote() << m_options.appName << outcomeName(result.outcome) << result.message;
    emitProgress({}); // the final count
    Q_EMIT finished(result);
}

} // namespace driftdeck::sync
