#include "diff/pairing.h"
#include "kube/clusterclient.h"
#include "sync/synclog_p.h"
#include "sync/syncrequests.h"
#include "sync/syncrunner.h"

// Pruning (last, only after every apply succeeded, each object re-read before it is deleted) and the
// end of a run.
namespace driftdeck::sync {

namespace {

// The live object still names this application and this very object in a tracking annotation
// (driftdeck's, or Argo CD's, which has the same form). A copy of a tracked object under another name
// carries an id naming the original, and is not ours to delete.
bool carriesTrackingId(const kubeobj::Object& live, const QString& appName, const ResourceKey& key) {
    const QString id = diff::trackingId(appName, key);
    return live.annotation(kTrackingAnnotation) == id ||
           live.annotation(QStringLiteral("argocd.argoproj.io/tracking-id")) == id;
}

} // namespace

void SyncRunner::stepPrune() {
    int index = -1;
    for (int i = m_cursor; i < m_state.plan.items.size(); ++i) {
        if (m_state.plan.items.at(i).action == PlanItem::Action::Prune && !m_state.results.at(i).isDone()) {
            index = i;
            break;
        }
    }
    if (index < 0) {
        m_state.phase = SyncPhase::Finished;
        return finishRun();
    }
    // Defence in depth: the plan already refuses these, but a state may come from elsewhere.
    if (!m_state.applyPhaseComplete())
        return stopRun(QStringLiteral("not every object was applied, so nothing is pruned"));
    m_cursor = index;
    const PlanItem& item = m_state.plan.items.at(index);
    emitProgress(item.key);
    if (!m_options.prune) {
        settle(index, ResourceStatus::Skipped, QStringLiteral("no longer in Git; pruning is off"));
        return scheduleStep();
    }
    if (!m_options.only.isEmpty() && !m_options.only.contains(item.key)) {
        settle(index, ResourceStatus::Skipped, QStringLiteral("not selected"));
        return scheduleStep();
    }
    if (item.live.isNull()) {
        settle(index, ResourceStatus::Failed, QStringLiteral("the plan holds no live object to prune"));
        return scheduleStep();
    }
    resolve(
        item.live.gvk(), [this, index](const kube::ResourceInfo& info) { checkBeforePrune(index, info); },
        [this, index](const Error& error) {
            settle(index, ResourceStatus::Failed, error.message);
            scheduleStep();
        });
}

void SyncRunner::checkBeforePrune(int index, const kube::ResourceInfo& info) {
    if (m_cancelRequested)
        return scheduleStep();
    const ResourceKey key = m_state.plan.items.at(index).key;
    const QString path = kube::objectPath(info, info.namespaced ? key.ns : QString(), key.name);
    whenDone(m_client->get(path), [this, index, info, key](const kube::ApiReply& reply) {
        if (reply.httpStatus == 404) {
            settle(index, ResourceStatus::Pruned, QStringLiteral("already absent"), reply.httpStatus);
            return scheduleStep();
        }
        if (!reply.ok()) {
            settleFailure(index, reply);
            if (stopsTheRun(reply))
                return stopRun(
                    QStringLiteral("the cluster could not be reached: the sync stopped and can be resumed"));
            return scheduleStep();
        }
        const kubeobj::Object live = kubeobj::Object::fromTrustedJson(reply.json());
        if (!carriesTrackingId(live, m_options.appName, key)) {
            settle(
                index, ResourceStatus::Skipped,
                QStringLiteral("no longer carries this application's tracking id (%1), so it is not deleted")
                    .arg(diff::trackingId(m_options.appName, key)));
            return scheduleStep();
        }
        if (keptBySyncOptions(live)) {
            settle(
                index, ResourceStatus::Skipped,
                QStringLiteral("no longer in Git; kept by its sync-options (Prune=false or Delete=false)"));
            return scheduleStep();
        }
        pruneItem(index, info, live);
    });
}

void SyncRunner::pruneItem(int index, const kube::ResourceInfo& info, const kubeobj::Object& live) {
    if (m_cancelRequested)
        return scheduleStep();
    const ResourceKey key = m_state.plan.items.at(index).key;
    kube::DeleteOptions options;
    options.dryRun = m_options.dryRun;
    whenDone(m_client->remove(info, info.namespaced ? key.ns : QString(), key.name, options),
             [this, index, live](const kube::ApiReply& reply) {
                 if (reply.ok() || reply.httpStatus == 404) {
                     QString message = reply.ok() ? QStringLiteral("deleted: no longer in Git")
                                                  : QStringLiteral("already absent");
                     if (m_options.dryRun && reply.ok())
                         message = QStringLiteral("would be deleted (dry run: nothing was deleted)");
                     settle(index, ResourceStatus::Pruned, message, reply.httpStatus);
                     return scheduleStep();
                 }
                 const QString text = reply.error ? reply.error->message : QStringLiteral("no answer");
                 settle(index, ResourceStatus::Failed,
                        withoutSecretValues(scrubbed(index, text), live.json()), reply.httpStatus);
                 if (stopsTheRun(reply))
                     return stopRun(QStringLiteral(
                         "the cluster could not be reached: the sync stopped and can be resumed"));
                 scheduleStep();
             });
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
