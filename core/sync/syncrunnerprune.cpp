#include "diff/pairing.h"
#include "kube/clusterclient.h"
#include "sync/synclog_p.h"
#include "sync/syncrequests.h"
#include "sync/syncrunner.h"

// Pruning: last, only after every apply succeeded, each object read again before it is deleted.
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
            if (stopsTheRun(error))
                return stopAfter(index, error.code, 0);
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
                return stopAfter(index, reply.error->code, reply.httpStatus);
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
                     return stopAfter(index, reply.error->code, reply.httpStatus);
                 scheduleStep();
             });
}

} // namespace driftdeck::sync
