// What kube-controller-manager's horizontal-pod-autoscaler controller does, on a cluster whose
// metrics pipeline reports every target exactly at its goal: it reads the scale target, keeps its
// replicas within [minReplicas, maxReplicas] (scaling it when outside), and writes the status a real
// controller writes on every sync (currentReplicas, desiredReplicas, lastScaleTime and the
// AbleToScale / ScalingActive / ScalingLimited conditions). A real cluster always writes this status
// within its sync period (15 s); without it an HPA looks as if its controller never ran, which
// Argo CD and Driftdeck rightly call Progressing ("waiting for the autoscaler's first reading").
// A missing or unscalable target is reported as the real controller reports it (AbleToScale False,
// FailedGetScale), and looked at again shortly, as the real controller's periodic resync would.
#include "kubesim/controller.h"
#include "kubesim/controllersupport.h"

#include <algorithm>

namespace driftdeck::kubesim {

using namespace controllers;

namespace {

constexpr std::chrono::milliseconds kTargetRetry{2000};

std::optional<ResourceType> scalableType(const ObjectStore& store, const QJsonObject& targetRef) {
    const QString apiVersion = targetRef.value(QLatin1String("apiVersion")).toString();
    const QString group =
        apiVersion.contains(QLatin1Char('/')) ? apiVersion.section(QLatin1Char('/'), 0, 0) : QString();
    const QString kind = targetRef.value(QLatin1String("kind")).toString();
    if (group != QLatin1String("apps") ||
        (kind != QLatin1String("Deployment") && kind != QLatin1String("StatefulSet") &&
         kind != QLatin1String("ReplicaSet")))
        return std::nullopt;
    return typeOf(store, group, kind);
}

} // namespace

void ClusterControllers::reconcileHorizontalPodAutoscaler(const QString& ns, const QString& name) {
    const auto type =
        typeOf(m_store, QStringLiteral("autoscaling"), QStringLiteral("HorizontalPodAutoscaler"));
    auto hpa = type ? m_store.get(*type, ns, name) : std::nullopt;
    if (!hpa || isDeleting(*hpa))
        return;
    const QJsonObject spec = hpa->value(QLatin1String("spec")).toObject();
    const QJsonObject targetRef = spec.value(QLatin1String("scaleTargetRef")).toObject();
    const int minReplicas = std::max(1, spec.value(QLatin1String("minReplicas")).toInt(1));
    const int maxReplicas =
        std::max(minReplicas, spec.value(QLatin1String("maxReplicas")).toInt(minReplicas));
    QJsonObject status = hpa->value(QLatin1String("status")).toObject();
    QJsonArray conditions = status.value(QLatin1String("conditions")).toArray();

    const auto targetType = scalableType(m_store, targetRef);
    auto target = targetType ? m_store.get(*targetType, ns, targetRef.value(QLatin1String("name")).toString())
                             : std::nullopt;
    if (!target || isDeleting(*target)) {
        conditions = setCondition(
            conditions, QStringLiteral("AbleToScale"), QStringLiteral("False"),
            QStringLiteral("FailedGetScale"),
            QStringLiteral("the HPA controller was unable to get the target's current scale"), false);
        status.insert(QStringLiteral("conditions"), conditions);
        writeStatus(m_store, *type, *hpa, status);
        enqueue(QStringLiteral("HorizontalPodAutoscaler"), ns, name, kTargetRetry);
        return;
    }
    QJsonObject targetSpec = target->value(QLatin1String("spec")).toObject();
    const int current = targetSpec.value(QLatin1String("replicas")).toInt(1);
    const int desired = std::clamp(current, minReplicas, maxReplicas);
    if (desired != current) {
        targetSpec.insert(QStringLiteral("replicas"), desired);
        target->insert(QStringLiteral("spec"), targetSpec);
        if (std::holds_alternative<QJsonObject>(writeObject(m_store, *targetType, *target)))
            status.insert(QStringLiteral("lastScaleTime"), nowString());
    }
    status.insert(QStringLiteral("currentReplicas"), current);
    status.insert(QStringLiteral("desiredReplicas"), desired);
    status.insert(QStringLiteral("observedGeneration"),
                  meta(*hpa).value(QLatin1String("generation")).toInteger(1));
    conditions = setCondition(conditions, QStringLiteral("AbleToScale"), QStringLiteral("True"),
                              QStringLiteral("ReadyForNewScale"),
                              QStringLiteral("recommended size matches current size"), false);
    conditions =
        setCondition(conditions, QStringLiteral("ScalingActive"), QStringLiteral("True"),
                     QStringLiteral("ValidMetricFound"),
                     QStringLiteral("the HPA was able to successfully calculate a replica count"), false);
    if (current < minReplicas || current > maxReplicas)
        conditions = setCondition(
            conditions, QStringLiteral("ScalingLimited"), QStringLiteral("True"),
            current < minReplicas ? QStringLiteral("TooFewReplicas") : QStringLiteral("TooManyReplicas"),
            QStringLiteral("the desired replica count is outside the allowed range"), false);
    else
        conditions = setCondition(conditions, QStringLiteral("ScalingLimited"), QStringLiteral("False"),
                                  QStringLiteral("DesiredWithinRange"),
                                  QStringLiteral("the desired count is within the acceptable range"), false);
    status.insert(QStringLiteral("conditions"), conditions);
    writeStatus(m_store, *type, *hpa, status);
}

} // namespace driftdeck::kubesim
