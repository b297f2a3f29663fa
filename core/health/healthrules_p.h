#pragma once

#include "health/health.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

// The per-kind rules behind assess(), and the small readers they share. Private to core/health.
namespace driftdeck::health::detail {

using Rule = Health (*)(const QJsonObject& object);

// Reading fields of an object that came off the wire: every reader tolerates missing or mistyped
// fields (a hostile or half-written object gives a default, never a crash).
QJsonObject field(const QJsonObject& object, QLatin1StringView key);
QJsonObject specOf(const QJsonObject& object);
QJsonObject statusOf(const QJsonObject& object);
QString text(const QJsonObject& object, QLatin1StringView key);
// A whole number, or `fallback` when absent or not a number.
qint64 number(const QJsonObject& object, QLatin1StringView key, qint64 fallback = 0);
bool has(const QJsonObject& object, QLatin1StringView key);

// The condition of `type` in a conditions array, or an empty object.
QJsonObject findCondition(const QJsonArray& conditions, QLatin1StringView type);
QJsonObject condition(const QJsonObject& object, QLatin1StringView type); // in status.conditions
bool conditionIs(const QJsonObject& condition, QLatin1StringView status);
// "reason: message", or whichever of the two is set.
QString describeCondition(const QJsonObject& condition);

// One line, bounded: status messages are written by controllers and may be long or multi-line.
QString oneLine(const QString& message);
Health make(HealthStatus status, const QString& message);

// metadata.generation is ahead of status.observedGeneration (a missing observedGeneration is 0).
bool generationPending(const QJsonObject& object);
// "waiting for the controller to observe generation 3 (observed 2)"
QString generationMessage(const QJsonObject& object);

// Rules by kind (workloadhealth.cpp, podhealth.cpp, batchhealth.cpp, servicehealth.cpp,
// clusterhealth.cpp) and the rule for every other kind (conditionhealth.cpp).
Health deploymentHealth(const QJsonObject& object);
Health statefulSetHealth(const QJsonObject& object);
Health daemonSetHealth(const QJsonObject& object);
Health replicaSetHealth(const QJsonObject& object);
Health podHealth(const QJsonObject& object);
Health jobHealth(const QJsonObject& object);
Health cronJobHealth(const QJsonObject& object);
Health serviceHealth(const QJsonObject& object);
Health ingressHealth(const QJsonObject& object);
Health persistentVolumeClaimHealth(const QJsonObject& object);
Health namespaceHealth(const QJsonObject& object);
Health horizontalPodAutoscalerHealth(const QJsonObject& object);
Health apiServiceHealth(const QJsonObject& object);
Health customResourceDefinitionHealth(const QJsonObject& object);
Health conditionHealth(const QJsonObject& object);

} // namespace driftdeck::health::detail
