#include "health/health.h"

#include "health/healthrules_p.h"

#include <QHash>

#include <array>
#include <utility>

namespace driftdeck::health {

using namespace Qt::StringLiterals;
using namespace detail;

namespace {

struct KindRule {
    QLatin1StringView group;
    QLatin1StringView kind;
    Rule rule;
};

// gitops-engine's habit: one table from (group, kind) to the rule that reads its status. Old group
// spellings (extensions) are listed where clusters still serve them.
constexpr std::array kRules{
    KindRule{"apps"_L1, "Deployment"_L1, &deploymentHealth},
    KindRule{"extensions"_L1, "Deployment"_L1, &deploymentHealth},
    KindRule{"apps"_L1, "StatefulSet"_L1, &statefulSetHealth},
    KindRule{"apps"_L1, "DaemonSet"_L1, &daemonSetHealth},
    KindRule{"extensions"_L1, "DaemonSet"_L1, &daemonSetHealth},
    KindRule{"apps"_L1, "ReplicaSet"_L1, &replicaSetHealth},
    KindRule{"extensions"_L1, "ReplicaSet"_L1, &replicaSetHealth},
    KindRule{""_L1, "Pod"_L1, &podHealth},
    KindRule{""_L1, "Service"_L1, &serviceHealth},
    KindRule{""_L1, "PersistentVolumeClaim"_L1, &persistentVolumeClaimHealth},
    KindRule{""_L1, "Namespace"_L1, &namespaceHealth},
    KindRule{"networking.k8s.io"_L1, "Ingress"_L1, &ingressHealth},
    KindRule{"extensions"_L1, "Ingress"_L1, &ingressHealth},
    KindRule{"batch"_L1, "Job"_L1, &jobHealth},
    KindRule{"batch"_L1, "CronJob"_L1, &cronJobHealth},
    KindRule{"autoscaling"_L1, "HorizontalPodAutoscaler"_L1, &horizontalPodAutoscalerHealth},
    KindRule{"apiregistration.k8s.io"_L1, "APIService"_L1, &apiServiceHealth},
    KindRule{"apiextensions.k8s.io"_L1, "CustomResourceDefinition"_L1, &customResourceDefinitionHealth},
};

Rule ruleFor(const QString& group, const QString& kind) {
    for (const KindRule& entry : kRules) {
        if (entry.kind == kind && entry.group == group)
            return entry.rule;
    }
    return &conditionHealth;
}

Health deletionHealth(const QJsonObject& metadata) {
    QString message = u"being deleted"_s;
    QStringList finalizers;
    for (const QJsonValue& finalizer : metadata.value("finalizers"_L1).toArray())
        finalizers << finalizer.toString();
    if (!finalizers.isEmpty())
        message += u", waiting on finalizers: "_s + finalizers.join(u", "_s);
    return make(HealthStatus::Progressing, message);
}

constexpr std::array<std::pair<HealthStatus, QLatin1StringView>, 6> kNames{{
    {HealthStatus::Healthy, "Healthy"_L1},
    {HealthStatus::Suspended, "Suspended"_L1},
    {HealthStatus::Progressing, "Progressing"_L1},
    {HealthStatus::Missing, "Missing"_L1},
    {HealthStatus::Degraded, "Degraded"_L1},
    {HealthStatus::Unknown, "Unknown"_L1},
}};

} // namespace

Health assess(const QJsonObject& liveObject) {
    const GroupVersionKind gvk = GroupVersionKind::fromObject(liveObject);
    const Rule rule = ruleFor(gvk.group, gvk.kind);
    const QJsonObject metadata = field(liveObject, "metadata"_L1);
    // A Namespace's own status says better what its deletion waits for (the objects still in it).
    if (has(metadata, "deletionTimestamp"_L1) && rule != &namespaceHealth)
        return deletionHealth(metadata);
    return rule(liveObject);
}

Health missing() {
    return Health{HealthStatus::Missing, u"not found in the cluster"_s};
}

bool isWorse(HealthStatus a, HealthStatus b) {
    return int(a) > int(b); // the enum is declared in Argo CD's order
}

QString statusName(HealthStatus status) {
    for (const auto& [value, name] : kNames) {
        if (value == status)
            return name;
    }
    return u"Unknown"_s;
}

bool parseStatus(const QString& name, HealthStatus* status) {
    for (const auto& [value, spelling] : kNames) {
        if (name == spelling) {
            *status = value;
            return true;
        }
    }
    return false;
}

Health aggregate(const QList<ResourceHealth>& resources) {
    if (resources.isEmpty())
        return Health{HealthStatus::Healthy, u"no resources"_s};
    qsizetype worst = 0;
    for (qsizetype i = 1; i < resources.size(); ++i) {
        if (isWorse(resources.at(i).health.status, resources.at(worst).health.status))
            worst = i;
    }
    const HealthStatus status = resources.at(worst).health.status;
    qsizetype count = 0;
    for (const ResourceHealth& resource : resources)
        count += resource.health.status == status ? 1 : 0;
    QString message = u"%1 of %2 resources %3"_s.arg(count).arg(resources.size()).arg(statusName(status));
    if (status == HealthStatus::Healthy)
        return Health{status, message};
    // Name the first resource with the worst status, so the operator knows where to look.
    const ResourceHealth& culprit = resources.at(worst);
    if (!culprit.key.kind.isEmpty()) {
        message += u": "_s + culprit.key.kind + u' ';
        if (!culprit.key.ns.isEmpty())
            message += culprit.key.ns + u'/';
        message += culprit.key.name;
    }
    if (!culprit.health.message.isEmpty())
        message += u": "_s + culprit.health.message;
    return Health{status, message};
}

Health aggregate(const QList<Health>& healths) {
    QList<ResourceHealth> unnamed;
    unnamed.reserve(healths.size());
    for (const Health& health : healths)
        unnamed.append(ResourceHealth{ResourceKey{}, health});
    return aggregate(unnamed);
}

} // namespace driftdeck::health
