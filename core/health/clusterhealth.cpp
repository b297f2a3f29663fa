#include "health/healthrules_p.h"

#include <QJsonDocument>

// Objects the control plane itself acts on: an autoscaler must be able to read metrics and scale its
// target, an aggregated API must be reachable, a CRD's names must be accepted and served.
namespace driftdeck::health::detail {

using namespace Qt::StringLiterals;

namespace {

// autoscaling/v1 has no conditions field; the server keeps v2's conditions in this annotation.
constexpr auto kV1ConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions"_L1;
// The annotation is JSON written by the controller; a larger one is not its output.
constexpr qsizetype kMaxAnnotationBytes = 64 * 1024;

QJsonArray autoscalerConditions(const QJsonObject& object) {
    const QJsonArray conditions = statusOf(object).value("conditions"_L1).toArray();
    if (!conditions.isEmpty())
        return conditions;
    const QString annotation =
        field(field(object, "metadata"_L1), "annotations"_L1).value(kV1ConditionsAnnotation).toString();
    if (annotation.isEmpty() || annotation.size() > kMaxAnnotationBytes)
        return {};
    return QJsonDocument::fromJson(annotation.toUtf8()).array();
}

} // namespace

Health horizontalPodAutoscalerHealth(const QJsonObject& object) {
    const QJsonObject status = statusOf(object);
    const QJsonObject spec = specOf(object);
    const QJsonArray conditions = autoscalerConditions(object);
    const QJsonObject active = findCondition(conditions, "ScalingActive"_L1);
    if (conditionIs(active, "False"_L1)) {
        // The target was scaled to zero by hand: autoscaling is off on purpose.
        if (text(active, "reason"_L1) == "ScalingDisabled"_L1)
            return make(HealthStatus::Suspended, u"autoscaling disabled: "_s + describeCondition(active));
        return make(HealthStatus::Degraded,
                    u"autoscaler cannot compute replicas: "_s + describeCondition(active));
    }
    const QJsonObject able = findCondition(conditions, "AbleToScale"_L1);
    if (conditionIs(able, "False"_L1))
        return make(HealthStatus::Degraded,
                    u"autoscaler cannot scale its target: "_s + describeCondition(able));
    const QString replicas =
        u"%1 current / %2 desired replicas (min %3, max %4)"_s.arg(number(status, "currentReplicas"_L1))
            .arg(number(status, "desiredReplicas"_L1))
            .arg(number(spec, "minReplicas"_L1, 1))
            .arg(number(spec, "maxReplicas"_L1));
    if (!conditions.isEmpty())
        return make(HealthStatus::Healthy, replicas);
    // autoscaling/v1 without the annotation: only the status numbers tell that it has run.
    if (has(status, "currentReplicas"_L1) || has(status, "lastScaleTime"_L1))
        return make(HealthStatus::Healthy, replicas);
    return make(HealthStatus::Progressing, u"waiting for the autoscaler's first reading"_s);
}

Health apiServiceHealth(const QJsonObject& object) {
    const QJsonObject available = condition(object, "Available"_L1);
    if (conditionIs(available, "True"_L1))
        return make(HealthStatus::Healthy, describeCondition(available));
    if (conditionIs(available, "False"_L1))
        return make(HealthStatus::Degraded, u"API not available: "_s + describeCondition(available));
    return make(HealthStatus::Progressing, u"waiting for the Available condition"_s);
}

Health customResourceDefinitionHealth(const QJsonObject& object) {
    const QJsonObject terminating = condition(object, "Terminating"_L1);
    if (conditionIs(terminating, "True"_L1))
        return make(HealthStatus::Progressing, u"CRD is terminating: "_s + describeCondition(terminating));
    const QJsonObject namesAccepted = condition(object, "NamesAccepted"_L1);
    if (conditionIs(namesAccepted, "False"_L1))
        return make(HealthStatus::Degraded, u"names not accepted: "_s + describeCondition(namesAccepted));
    const QJsonObject established = condition(object, "Established"_L1);
    if (conditionIs(established, "True"_L1))
        return make(HealthStatus::Healthy, u"established"_s);
    if (conditionIs(established, "False"_L1))
        return make(HealthStatus::Progressing, u"not established yet: "_s + describeCondition(established));
    return make(HealthStatus::Progressing, u"waiting for the API server to establish it"_s);
}

} // namespace driftdeck::health::detail
