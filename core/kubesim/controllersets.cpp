// StatefulSet, DaemonSet and Job controllers.

#include "kubesim/controller.h"
#include "kubesim/controllersupport.h"

#include <QJsonArray>

#include <algorithm>

namespace driftdeck::kubesim {

using namespace controllers;

namespace {

QJsonObject object(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toObject();
}

WriteOptions asController() {
    return WriteOptions{kControllerManager, false, {}, QStringLiteral("Update")};
}

QList<QJsonObject> livePods(const ObjectStore& store, const ResourceType& podType, const QJsonObject& owner) {
    QList<QJsonObject> out;
    for (const QJsonObject& p : ownedBy(store, podType, nsOf(owner), uidOf(owner)))
        if (!isDeleting(p))
            out.append(p);
    return out;
}

} // namespace

void ClusterControllers::reconcileStatefulSet(const QString& ns, const QString& name) {
    const auto type = typeOf(m_store, QStringLiteral("apps"), QStringLiteral("StatefulSet"));
    const auto podType = typeOf(m_store, {}, QStringLiteral("Pod"));
    const auto pvcType = typeOf(m_store, {}, QStringLiteral("PersistentVolumeClaim"));
    auto sts = m_store.get(*type, ns, name);
    if (!sts || isDeleting(*sts))
        return;
    const QJsonObject spec = object(*sts, "spec");
    const int replicas = spec.value(QLatin1String("replicas")).toInt(1);
    const bool ordered =
        spec.value(QLatin1String("podManagementPolicy")).toString() != QLatin1String("Parallel");
    const QString revision = name + QLatin1Char('-') + templateHash(object(spec, "template"));

    QMap<int, QJsonObject> pods; // ordinal → pod
    for (const QJsonObject& p : livePods(m_store, *podType, *sts)) {
        bool ok = false;
        const int ordinal = nameOf(p).mid(name.size() + 1).toInt(&ok);
        if (ok)
            pods.insert(ordinal, p);
    }
    // Scale down from the highest ordinal.
    for (auto it = pods.begin(); it != pods.end();) {
        if (it.key() >= replicas) {
            m_store.remove(*podType, ns, nameOf(it.value()));
            it = pods.erase(it);
        } else {
            ++it;
        }
    }
    // Create missing ordinals (in order, each after its predecessor is ready, for OrderedReady).
    for (int i = 0; i < replicas; ++i) {
        if (pods.contains(i)) {
            if (ordered && !podReady(pods.value(i)))
                break;
            continue;
        }
        const QString podName = QStringLiteral("%1-%2").arg(name).arg(i);
        QJsonObject podTemplate = object(spec, "template");
        QJsonObject podSpec = object(podTemplate, "spec");
        podSpec.insert(QStringLiteral("hostname"), podName);
        if (spec.contains(QLatin1String("serviceName")))
            podSpec.insert(QStringLiteral("subdomain"), spec.value(QLatin1String("serviceName")));
        QJsonArray volumes = podSpec.value(QLatin1String("volumes")).toArray();
        for (const QJsonValue& claim : spec.value(QLatin1String("volumeClaimTemplates")).toArray()) {
            const QString claimName = nameOf(claim.toObject());
            const QString pvcName = claimName + QLatin1Char('-') + podName;
            if (pvcType && !m_store.get(*pvcType, ns, pvcName)) {
                QJsonObject pvc = claim.toObject();
                QJsonObject pmeta = object(pvc, "metadata");
                pmeta.insert(QStringLiteral("name"), pvcName);
                pmeta.insert(QStringLiteral("namespace"), ns);
                pmeta.insert(QStringLiteral("labels"), object(object(podTemplate, "metadata"), "labels"));
                pvc.insert(QStringLiteral("metadata"), pmeta);
                pvc.remove(QStringLiteral("status"));
                m_store.create(*pvcType, pvc, asController());
            }
            volumes.append(QJsonObject{{QStringLiteral("name"), claimName},
                                       {QStringLiteral("persistentVolumeClaim"),
                                        QJsonObject{{QStringLiteral("claimName"), pvcName}}}});
        }
        if (!volumes.isEmpty())
            podSpec.insert(QStringLiteral("volumes"), volumes);
        podTemplate.insert(QStringLiteral("spec"), podSpec);
        const QJsonObject labels{{QStringLiteral("controller-revision-hash"), revision},
                                 {QStringLiteral("statefulset.kubernetes.io/pod-name"), podName},
                                 {QStringLiteral("apps.kubernetes.io/pod-index"), QString::number(i)}};
        auto created =
            m_store.create(*podType, podFromTemplate(*sts, podTemplate, podName, labels), asController());
        if (auto* p = std::get_if<QJsonObject>(&created))
            pods.insert(i, *p);
        if (ordered)
            break;
    }
    int ready = 0, updated = 0;
    for (const QJsonObject& p : std::as_const(pods)) {
        ready += podReady(p) ? 1 : 0;
        updated +=
            object(meta(p), "labels").value(QLatin1String("controller-revision-hash")).toString() == revision
                ? 1
                : 0;
    }
    // Rolling update: replace the highest outdated pod once every pod is ready.
    if (ready == replicas && int(pods.size()) == replicas && updated < replicas) {
        for (auto it = pods.end(); it != pods.begin();) {
            --it;
            if (object(meta(it.value()), "labels")
                    .value(QLatin1String("controller-revision-hash"))
                    .toString() != revision) {
                m_store.remove(*podType, ns, nameOf(it.value()));
                break;
            }
        }
    }
    const QJsonObject oldStatus = object(*sts, "status");
    const QString currentRevision =
        updated == replicas || !oldStatus.contains(QLatin1String("currentRevision"))
            ? revision
            : oldStatus.value(QLatin1String("currentRevision")).toString();
    const QJsonObject status{
        {QStringLiteral("observedGeneration"), meta(*sts).value(QLatin1String("generation"))},
        {QStringLiteral("replicas"), int(pods.size())},
        {QStringLiteral("readyReplicas"), ready},
        {QStringLiteral("availableReplicas"), ready},
        {QStringLiteral("currentReplicas"),
         currentRevision == revision ? updated : int(pods.size()) - updated},
        {QStringLiteral("updatedReplicas"), updated},
        {QStringLiteral("currentRevision"), currentRevision},
        {QStringLiteral("updateRevision"), revision},
        {QStringLiteral("collisionCount"), 0}};
    writeStatus(m_store, *type, *sts, status);
}

void ClusterControllers::reconcileDaemonSet(const QString& ns, const QString& name) {
    const auto type = typeOf(m_store, QStringLiteral("apps"), QStringLiteral("DaemonSet"));
    const auto podType = typeOf(m_store, {}, QStringLiteral("Pod"));
    auto ds = m_store.get(*type, ns, name);
    if (!ds || isDeleting(*ds))
        return;
    const QJsonObject spec = object(*ds, "spec");
    const QString revision = templateHash(object(spec, "template"));
    QList<QJsonObject> pods = livePods(m_store, *podType, *ds);
    // One node: one pod. An outdated pod is replaced.
    for (qsizetype i = pods.size() - 1; i >= 0; --i) {
        const bool outdated =
            object(meta(pods.at(i)), "labels").value(QLatin1String("controller-revision-hash")).toString() !=
            revision;
        if (outdated || i > 0) {
            m_store.remove(*podType, ns, nameOf(pods.at(i)));
            pods.removeAt(i);
        }
    }
    if (pods.isEmpty()) {
        QJsonObject podTemplate = object(spec, "template");
        QJsonObject podSpec = object(podTemplate, "spec");
        podSpec.insert(QStringLiteral("nodeName"), m_options.nodeName);
        podTemplate.insert(QStringLiteral("spec"), podSpec);
        const QJsonObject labels{{QStringLiteral("controller-revision-hash"), revision},
                                 {QStringLiteral("pod-template-generation"),
                                  QString::number(meta(*ds).value(QLatin1String("generation")).toInt(1))}};
        auto created = m_store.create(
            *podType, podFromTemplate(*ds, podTemplate, name + QLatin1Char('-') + randomSuffix(), labels),
            asController());
        if (auto* p = std::get_if<QJsonObject>(&created))
            pods.append(*p);
    }
    const int ready = !pods.isEmpty() && podReady(pods.first()) ? 1 : 0;
    const QJsonObject status{
        {QStringLiteral("observedGeneration"), meta(*ds).value(QLatin1String("generation"))},
        {QStringLiteral("currentNumberScheduled"), 1},
        {QStringLiteral("desiredNumberScheduled"), 1},
        {QStringLiteral("numberMisscheduled"), 0},
        {QStringLiteral("numberReady"), ready},
        {QStringLiteral("numberAvailable"), ready},
        {QStringLiteral("numberUnavailable"), 1 - ready},
        {QStringLiteral("updatedNumberScheduled"), int(pods.size())}};
    writeStatus(m_store, *type, *ds, status);
}

void ClusterControllers::reconcileJob(const QString& ns, const QString& name) {
    const auto type = typeOf(m_store, QStringLiteral("batch"), QStringLiteral("Job"));
    const auto podType = typeOf(m_store, {}, QStringLiteral("Pod"));
    auto job = m_store.get(*type, ns, name);
    if (!job || isDeleting(*job))
        return;
    const QJsonObject spec = object(*job, "spec");
    QJsonObject status = object(*job, "status");
    for (const QJsonValue& c : status.value(QLatin1String("conditions")).toArray())
        if (c.toObject().value(QLatin1String("status")).toString() == QLatin1String("True") &&
            (c.toObject().value(QLatin1String("type")).toString() == QLatin1String("Complete") ||
             c.toObject().value(QLatin1String("type")).toString() == QLatin1String("Failed")))
            return; // finished jobs stay as they are
    if (spec.value(QLatin1String("suspend")).toBool())
        return;
    const int completions = spec.value(QLatin1String("completions")).toInt(1);
    const int parallelism = spec.value(QLatin1String("parallelism")).toInt(1);
    const int backoffLimit = spec.value(QLatin1String("backoffLimit")).toInt(6);
    int active = 0, succeeded = 0, failed = 0, ready = 0;
    const QList<QJsonObject> pods = livePods(m_store, *podType, *job);
    for (const QJsonObject& p : pods) {
        const QString phase = podPhase(p);
        if (phase == QLatin1String("Succeeded"))
            ++succeeded;
        else if (phase == QLatin1String("Failed"))
            ++failed;
        else {
            ++active;
            ready += podReady(p) ? 1 : 0;
        }
    }
    const QString now = nowString();
    if (!status.contains(QLatin1String("startTime")))
        status.insert(QStringLiteral("startTime"), now);
    const bool done = succeeded >= completions;
    const bool givenUp = failed > backoffLimit;
    for (int wanted = std::min(parallelism, completions - succeeded) - active;
         !done && !givenUp && wanted > 0; --wanted) {
        m_store.create(
            *podType,
            podFromTemplate(*job, object(spec, "template"), name + QLatin1Char('-') + randomSuffix(), {}),
            asController());
        ++active;
    }
    status.insert(QStringLiteral("active"), active);
    status.insert(QStringLiteral("succeeded"), succeeded);
    status.insert(QStringLiteral("failed"), failed);
    status.insert(QStringLiteral("ready"), ready);
    status.insert(QStringLiteral("terminating"), 0);
    status.insert(QStringLiteral("uncountedTerminatedPods"), QJsonObject());
    QJsonArray conditions = status.value(QLatin1String("conditions")).toArray();
    if (done) {
        conditions = setCondition(conditions, QStringLiteral("SuccessCriteriaMet"), QStringLiteral("True"),
                                  QStringLiteral("CompletionsReached"),
                                  QStringLiteral("Reached expected number of succeeded pods"), false);
        conditions = setCondition(conditions, QStringLiteral("Complete"), QStringLiteral("True"),
                                  QStringLiteral("CompletionsReached"),
                                  QStringLiteral("Reached expected number of succeeded pods"), false);
        status.insert(QStringLiteral("completionTime"), now);
    } else if (givenUp) {
        conditions = setCondition(conditions, QStringLiteral("FailureTarget"), QStringLiteral("True"),
                                  QStringLiteral("BackoffLimitExceeded"),
                                  QStringLiteral("Job has reached the specified backoff limit"), false);
        conditions = setCondition(conditions, QStringLiteral("Failed"), QStringLiteral("True"),
                                  QStringLiteral("BackoffLimitExceeded"),
                                  QStringLiteral("Job has reached the specified backoff limit"), false);
    }
    for (QJsonValueRef c : conditions) {
        QJsonObject o = c.toObject();
        if (!o.contains(QLatin1String("lastProbeTime")))
            o.insert(QStringLiteral("lastProbeTime"), o.value(QLatin1String("lastTransitionTime")));
        c = o;
    }
    if (!conditions.isEmpty())
        status.insert(QStringLiteral("conditions"), conditions);
    writeStatus(m_store, *type, *job, status);
}

} // namespace driftdeck::kubesim
