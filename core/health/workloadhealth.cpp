#include "health/healthrules_p.h"

// Workload controllers, judged the way `kubectl rollout status` judges them: first the controller
// must have observed the current generation, then every replica must be updated, old ones gone, and
// the updated ones available. Deployment's paused and progress-deadline states come from its spec and
// its Progressing condition.
namespace driftdeck::health::detail {

using namespace Qt::StringLiterals;

namespace {

// spec.replicas defaults to 1 on the server; a live object always has it, a hand-written one may not.
qint64 desiredReplicas(const QJsonObject& object) {
    return number(specOf(object), "replicas"_L1, 1);
}

} // namespace

Health deploymentHealth(const QJsonObject& object) {
    const QJsonObject spec = specOf(object);
    const QJsonObject status = statusOf(object);
    if (spec.value("paused"_L1).toBool())
        return make(HealthStatus::Suspended, u"Deployment is paused"_s);
    if (generationPending(object))
        return make(HealthStatus::Progressing, u"Deployment rollout: "_s + generationMessage(object));
    const QJsonObject progressing = condition(object, "Progressing"_L1);
    if (text(progressing, "reason"_L1) == "ProgressDeadlineExceeded"_L1)
        return make(HealthStatus::Degraded,
                    u"Deployment exceeded its progress deadline: "_s + text(progressing, "message"_L1));
    const QJsonObject replicaFailure = condition(object, "ReplicaFailure"_L1);
    if (conditionIs(replicaFailure, "True"_L1))
        return make(HealthStatus::Degraded,
                    u"Deployment cannot create pods: "_s + describeCondition(replicaFailure));
    const qint64 desired = desiredReplicas(object);
    const qint64 updated = number(status, "updatedReplicas"_L1);
    const qint64 current = number(status, "replicas"_L1);
    const qint64 available = number(status, "availableReplicas"_L1);
    if (updated < desired)
        return make(HealthStatus::Progressing,
                    u"Deployment rollout: %1 of %2 replicas updated"_s.arg(updated).arg(desired));
    if (current > updated)
        return make(HealthStatus::Progressing,
                    u"Deployment rollout: %1 old %2 pending termination"_s.arg(current - updated)
                        .arg(current - updated == 1 ? u"replica"_s : u"replicas"_s));
    if (available < updated)
        return make(HealthStatus::Progressing,
                    u"Deployment rollout: %1 of %2 updated replicas available"_s.arg(available).arg(updated));
    if (desired == 0)
        return make(HealthStatus::Healthy, u"scaled to zero"_s);
    return make(HealthStatus::Healthy, u"%1 of %2 replicas available"_s.arg(available).arg(desired));
}

Health statefulSetHealth(const QJsonObject& object) {
    const QJsonObject spec = specOf(object);
    const QJsonObject status = statusOf(object);
    // kubectl also waits while observedGeneration is unset: the controller has not seen it at all.
    if (!has(status, "observedGeneration"_L1) || generationPending(object))
        return make(HealthStatus::Progressing, u"StatefulSet rollout: "_s + generationMessage(object));
    const qint64 desired = desiredReplicas(object);
    const qint64 ready = number(status, "readyReplicas"_L1);
    if (ready < desired)
        return make(HealthStatus::Progressing,
                    u"StatefulSet rollout: %1 of %2 replicas ready"_s.arg(ready).arg(desired));
    const QJsonObject strategy = field(spec, "updateStrategy"_L1);
    if (text(strategy, "type"_L1) == "OnDelete"_L1)
        return make(
            HealthStatus::Healthy,
            u"%1 of %2 replicas ready (OnDelete: pods take a new template only when deleted)"_s.arg(ready)
                .arg(desired));
    const qint64 updated = number(status, "updatedReplicas"_L1);
    const QJsonObject rollingUpdate = field(strategy, "rollingUpdate"_L1);
    if (has(rollingUpdate, "partition"_L1)) {
        const qint64 partition = number(rollingUpdate, "partition"_L1);
        const qint64 expected = std::max<qint64>(0, desired - partition);
        if (updated < expected)
            return make(HealthStatus::Progressing,
                        u"StatefulSet rollout: %1 of %2 replicas updated (partition %3)"_s.arg(updated)
                            .arg(expected)
                            .arg(partition));
        if (partition > 0)
            return make(HealthStatus::Healthy,
                        u"partitioned rollout complete: %1 of %2 replicas updated, ordinals below %3 held "
                        u"back"_s.arg(updated)
                            .arg(desired)
                            .arg(partition));
    }
    const QString updateRevision = text(status, "updateRevision"_L1);
    if (updateRevision != text(status, "currentRevision"_L1))
        return make(HealthStatus::Progressing,
                    u"StatefulSet rollout: %1 of %2 replicas at revision %3"_s.arg(updated).arg(desired).arg(
                        updateRevision));
    return make(HealthStatus::Healthy,
                u"%1 of %2 replicas ready at revision %3"_s.arg(ready).arg(desired).arg(updateRevision));
}

Health daemonSetHealth(const QJsonObject& object) {
    const QJsonObject status = statusOf(object);
    if (generationPending(object))
        return make(HealthStatus::Progressing, u"DaemonSet rollout: "_s + generationMessage(object));
    const qint64 desired = number(status, "desiredNumberScheduled"_L1);
    const qint64 updated = number(status, "updatedNumberScheduled"_L1);
    const qint64 available = number(status, "numberAvailable"_L1);
    const QJsonObject strategy = field(specOf(object), "updateStrategy"_L1);
    if (text(strategy, "type"_L1) == "OnDelete"_L1)
        return make(
            HealthStatus::Healthy,
            u"%1 of %2 pods updated (OnDelete: pods take a new template only when deleted)"_s.arg(updated)
                .arg(desired));
    if (updated < desired)
        return make(HealthStatus::Progressing,
                    u"DaemonSet rollout: %1 of %2 pods updated"_s.arg(updated).arg(desired));
    if (available < desired)
        return make(HealthStatus::Progressing,
                    u"DaemonSet rollout: %1 of %2 updated pods available"_s.arg(available).arg(desired));
    return make(HealthStatus::Healthy, u"%1 of %2 pods available"_s.arg(available).arg(desired));
}

Health replicaSetHealth(const QJsonObject& object) {
    const QJsonObject status = statusOf(object);
    if (generationPending(object))
        return make(HealthStatus::Progressing, u"ReplicaSet: "_s + generationMessage(object));
    const QJsonObject replicaFailure = condition(object, "ReplicaFailure"_L1);
    if (conditionIs(replicaFailure, "True"_L1))
        return make(HealthStatus::Degraded,
                    u"ReplicaSet cannot create pods: "_s + describeCondition(replicaFailure));
    const qint64 desired = desiredReplicas(object);
    const qint64 available = number(status, "availableReplicas"_L1);
    if (available < desired)
        return make(HealthStatus::Progressing,
                    u"ReplicaSet: %1 of %2 replicas available"_s.arg(available).arg(desired));
    return make(HealthStatus::Healthy, u"%1 of %2 replicas available"_s.arg(available).arg(desired));
}

} // namespace driftdeck::health::detail
