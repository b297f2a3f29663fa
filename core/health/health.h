#pragma once

#include "model/resourcekey.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

// Health of live Kubernetes objects, as Argo CD's gitops-engine judges it: a rule per (group, kind)
// for the kinds whose status needs reading (workloads, Pod, Job, HPA ...), and a generic rule for the
// rest (deletion, observedGeneration, Ready/Available/Stalled/Reconciling conditions).
//
// Choices, and why:
// - A kind without a rule and without anything the generic rule reads (ConfigMap, Secret, RBAC ...)
//   is Healthy with an empty message. Argo CD gives such objects no health and leaves them out of the
//   application's health; being Healthy has the same effect on the worst-of aggregate and keeps every
//   row of a table filled, so callers need no "no health" case.
// - An object being deleted (metadata.deletionTimestamp) is Progressing whatever its kind: it is on
//   its way to a state nobody asked for yet, and it may hang on a finalizer.
// - A Pending Pod is Progressing even when the scheduler says it is unschedulable (the message says
//   so): a cluster autoscaler may still add a node, which is also why Argo CD waits on it.
// - Messages are one line for an operator; they come from status fields only, never from spec
//   values or data, so no Secret value can reach one.
namespace driftdeck::health {

// Declared in Argo CD's order: each status is worse than the ones before it.
enum class HealthStatus { Healthy, Suspended, Progressing, Missing, Degraded, Unknown };

struct Health {
    HealthStatus status = HealthStatus::Healthy;
    QString message;

    bool operator==(const Health&) const = default;
};

// A health with the object it belongs to, for aggregate messages that name the culprit.
struct ResourceHealth {
    ResourceKey key;
    Health health;
};

// The health of one live object.
Health assess(const QJsonObject& liveObject);

// For a desired object with no live counterpart.
Health missing();

// True when `a` is worse than `b` in Argo CD's order (Healthy best, Unknown worst).
bool isWorse(HealthStatus a, HealthStatus b);

// The worst status, and the message of the first resource that has it, counted:
// "2 of 7 resources Degraded: Deployment shop/web: ...". An empty list is Healthy.
Health aggregate(const QList<ResourceHealth>& resources);
// The same without names: "2 of 7 resources Degraded: ...".
Health aggregate(const QList<Health>& healths);

// "Healthy", "Suspended", ... as Argo CD spells them.
QString statusName(HealthStatus status);
// The inverse of statusName, case-sensitive; false when `name` is not a status.
bool parseStatus(const QString& name, HealthStatus* status);

} // namespace driftdeck::health

Q_DECLARE_METATYPE(driftdeck::health::Health)
