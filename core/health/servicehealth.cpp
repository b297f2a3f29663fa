#include "health/healthrules_p.h"

#include <QStringList>

// Objects whose readiness is an address or a binding: a LoadBalancer Service and an Ingress wait for
// an address, a PersistentVolumeClaim for a volume, a Namespace being torn down for its contents.
namespace driftdeck::health::detail {

using namespace Qt::StringLiterals;

namespace {

// "203.0.113.7, lb.example.com" from status.loadBalancer.ingress; empty when none is assigned.
QString loadBalancerAddresses(const QJsonObject& object) {
    QStringList addresses;
    for (const QJsonValue& value : field(statusOf(object), "loadBalancer"_L1).value("ingress"_L1).toArray()) {
        const QJsonObject ingress = value.toObject();
        const QString address = has(ingress, "ip"_L1) ? text(ingress, "ip"_L1) : text(ingress, "hostname"_L1);
        if (!address.isEmpty())
            addresses << address;
    }
    return addresses.join(u", "_s);
}

} // namespace

Health serviceHealth(const QJsonObject& object) {
    if (text(specOf(object), "type"_L1) != "LoadBalancer"_L1)
        return make(HealthStatus::Healthy, {});
    const QString addresses = loadBalancerAddresses(object);
    if (addresses.isEmpty())
        return make(HealthStatus::Progressing, u"waiting for a load balancer address"_s);
    return make(HealthStatus::Healthy, u"load balancer at "_s + addresses);
}

Health ingressHealth(const QJsonObject& object) {
    const QString addresses = loadBalancerAddresses(object);
    if (addresses.isEmpty())
        return make(HealthStatus::Progressing, u"waiting for the ingress controller to assign an address"_s);
    return make(HealthStatus::Healthy, u"address "_s + addresses);
}

Health persistentVolumeClaimHealth(const QJsonObject& object) {
    const QString phase = text(statusOf(object), "phase"_L1);
    const QString volume = text(specOf(object), "volumeName"_L1);
    if (phase == "Bound"_L1)
        return make(HealthStatus::Healthy, u"bound to volume "_s + volume);
    if (phase == "Pending"_L1)
        return make(HealthStatus::Progressing, u"waiting for a volume to be provisioned or bound"_s);
    if (phase == "Lost"_L1)
        return make(HealthStatus::Degraded, u"volume %1 is lost: the claim's data is gone"_s.arg(volume));
    return make(HealthStatus::Unknown,
                phase.isEmpty() ? u"claim has no phase yet"_s : u"claim phase %1"_s.arg(phase));
}

Health namespaceHealth(const QJsonObject& object) {
    const QJsonObject status = statusOf(object);
    const bool deleting = has(field(object, "metadata"_L1), "deletionTimestamp"_L1);
    if (!deleting && text(status, "phase"_L1) != "Terminating"_L1)
        return make(HealthStatus::Healthy, {});
    // The namespace controller explains what it still waits for in its True conditions.
    for (const QJsonValue& value : status.value("conditions"_L1).toArray()) {
        const QJsonObject candidate = value.toObject();
        if (conditionIs(candidate, "True"_L1))
            return make(HealthStatus::Progressing,
                        u"Namespace is terminating: "_s + describeCondition(candidate));
    }
    return make(HealthStatus::Progressing, u"Namespace is terminating"_s);
}

} // namespace driftdeck::health::detail
