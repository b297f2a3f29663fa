#include "kube/clusterclient.h"
#include "sync/synclog_p.h"
#include "sync/syncrequests.h"
#include "sync/syncrunner.h"

// The wait between waves: the objects a wave applied are read again every healthPollMs until each
// is Healthy or Suspended. Degraded fails the run at once; anything else (Progressing, Missing,
// Unknown) past healthTimeoutSeconds fails it naming the first such object. Polling rather than a
// watch: a wave holds a handful of objects of assorted kinds, and a GET each per second is less
// machinery than a watch per kind for the few seconds a wave takes.
namespace driftdeck::sync {

namespace {

bool passes(health::HealthStatus status) {
    // Suspended is a state somebody chose (a paused Deployment, a suspended CronJob): waiting on it
    // would wait forever.
    return status == health::HealthStatus::Healthy || status == health::HealthStatus::Suspended;
}

QString describe(const ResourceKey& key) {
    if (key.ns.isEmpty())
        return key.kind + QLatin1Char(' ') + key.name;
    return key.kind + QLatin1Char(' ') + key.ns + QLatin1Char('/') + key.name;
}

} // namespace

void SyncRunner::startHealthWait() {
    const int wave = m_state.healthWave.value_or(0);
    m_healthItems.clear();
    for (int i = 0; i < m_state.plan.items.size(); ++i) {
        const PlanItem& item = m_state.plan.items.at(i);
        if (item.wave == wave && m_state.results.at(i).status == ResourceStatus::Applied &&
            (item.action == PlanItem::Action::Create || item.action == PlanItem::Action::Update))
            m_healthItems.append(i);
    }
    m_healthDeadline.setRemainingTime(std::chrono::seconds(std::max(0, m_settings.healthTimeoutSeconds)));
    qCInfo(lcSync).noquote() << m_options.appName << QStringLiteral(": waiting for the health of wave")
                             << wave << QStringLiteral("(%1 objects)").arg(m_healthItems.size());
    pollHealth();
}

void SyncRunner::pollHealth() {
    if (m_cancelRequested)
        return scheduleStep();
    m_roundHealth.clear();
    onHealthReply(-1, {});
}

// Called with position -1 to start a round, then with each answer in turn: the objects are read one
// after another, which keeps the state to a position in m_healthItems.
void SyncRunner::onHealthReply(int position, const kube::ApiReply& reply) {
    if (m_cancelRequested)
        return scheduleStep();
    if (position >= 0) {
        if (reply.httpStatus == 404) {
            m_roundHealth.append({health::HealthStatus::Missing, QStringLiteral("not found")});
        } else if (!reply.ok()) {
            if (stopsTheRun(reply)) {
                const int index = m_healthItems.at(position);
                return stopRun(QStringLiteral("while waiting for health, ") +
                               stopMessage(index, reply.error->code, reply.httpStatus,
                                           scrubbed(index, reply.error->message)));
            }
            m_roundHealth.append(
                {health::HealthStatus::Unknown,
                 reply.error ? scrubbed(m_healthItems.at(position), reply.error->message) : QString()});
        } else {
            m_roundHealth.append(health::assess(reply.json()));
        }
    }
    const int nextPosition = position + 1;
    if (nextPosition >= m_healthItems.size())
        return evaluateHealthRound();
    const int index = m_healthItems.at(nextPosition);
    const PlanItem& item = m_state.plan.items.at(index);
    resolve(
        item.desired.gvk(),
        [this, index, nextPosition](const kube::ResourceInfo& info) {
            const PlanItem& it = m_state.plan.items.at(index);
            const QString ns =
                targetNamespace(it.desired, it.key, info.namespaced, m_settings.destinationNamespace);
            m_inflightIsHealthPoll = true;
            whenDone(m_client->get(kube::objectPath(info, ns, it.key.name)),
                     [this, nextPosition](const kube::ApiReply& got) { onHealthReply(nextPosition, got); });
        },
        [this, nextPosition](const Error& error) {
            kube::ApiReply failed;
            failed.error = error;
            onHealthReply(nextPosition, failed);
        });
}

void SyncRunner::evaluateHealthRound() {
    const int wave = m_state.healthWave.value_or(0);
    int waiting = -1;
    for (int p = 0; p < m_roundHealth.size(); ++p) {
        const health::Health& h = m_roundHealth.at(p);
        const ResourceKey& key = m_state.plan.items.at(m_healthItems.at(p)).key;
        if (h.status == health::HealthStatus::Degraded)
            return stopRun(
                QStringLiteral("wave %1: %2 is Degraded: %3").arg(wave).arg(describe(key), h.message));
        if (waiting < 0 && !passes(h.status))
            waiting = p;
    }
    if (waiting < 0) {
        qCInfo(lcSync).noquote() << m_options.appName << QStringLiteral(": wave") << wave << "is healthy";
        m_state.phase = SyncPhase::Applying;
        m_state.healthWave.reset();
        return scheduleStep();
    }
    const health::Health& h = m_roundHealth.at(waiting);
    const ResourceKey& key = m_state.plan.items.at(m_healthItems.at(waiting)).key;
    const QString what =
        QStringLiteral("%1 is %2: %3").arg(describe(key), health::statusName(h.status), h.message);
    if (m_healthDeadline.hasExpired())
        return stopRun(QStringLiteral("wave %1 did not become healthy within %2 s: %3")
                           .arg(wave)
                           .arg(m_settings.healthTimeoutSeconds)
                           .arg(what));
    emitProgress(key, QStringLiteral("waiting for wave %1: %2").arg(wave).arg(what));
    m_healthTimer.start(std::max(10, m_settings.healthPollMs));
}

} // namespace driftdeck::sync
