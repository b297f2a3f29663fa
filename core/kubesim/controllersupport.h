#pragma once

#include "kubesim/objectstore.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

// Small helpers the controllers share: object access, owner references, writes as a controller.
namespace driftdeck::kubesim::controllers {

inline const QString kControllerManager = QStringLiteral("kube-controller-manager");

QJsonObject meta(const QJsonObject& obj);
QString uidOf(const QJsonObject& obj);
QString nameOf(const QJsonObject& obj);
QString nsOf(const QJsonObject& obj);
bool isDeleting(const QJsonObject& obj);
QString nowString();
qint64 nowMs();

std::optional<ResourceType> typeOf(const ObjectStore& store, const QString& group, const QString& kind);

// The ownerReference that marks `owner` as the managing controller.
QJsonObject controllerRef(const QJsonObject& owner);
// The controller owner (kind, name) of an object, if any.
std::optional<std::pair<QString, QString>> controllerOf(const QJsonObject& obj);
// Objects of `type` in `ns` whose controller owner has this uid.
QList<QJsonObject> ownedBy(const ObjectStore& store, const ResourceType& type, const QString& ns,
                           const QString& uid);

// A short, stable hash of a pod template (like pod-template-hash): fnv-1a over its JSON, spelled
// with the alphabet Kubernetes uses for generated names.
QString templateHash(const QJsonObject& podTemplate);
QString randomSuffix();

// Writes .status if it differs; status fields set to 0/empty that the API omits are dropped first.
void writeStatus(ObjectStore& store, const ResourceType& type, QJsonObject obj, const QJsonObject& status,
                 const QString& manager = kControllerManager);
// Main-resource update as the controller manager.
StoreResult writeObject(ObjectStore& store, const ResourceType& type, const QJsonObject& obj,
                        const QString& manager = kControllerManager);

// A pod for `owner` from its template, named and labelled as the owning controller does.
QJsonObject podFromTemplate(const QJsonObject& owner, const QJsonObject& podTemplate, const QString& name,
                            const QJsonObject& extraLabels);

bool podReady(const QJsonObject& pod);
QString podPhase(const QJsonObject& pod);

// A new condition list where `type` has this status/reason/message; times move as on a real
// server: lastTransitionTime when the status flips, lastUpdateTime when anything changes.
QJsonArray setCondition(const QJsonArray& conditions, const QString& type, const QString& status,
                        const QString& reason, const QString& message, bool withUpdateTime);
QJsonObject conditionOf(const QJsonObject& status, const QString& type);

} // namespace driftdeck::kubesim::controllers
