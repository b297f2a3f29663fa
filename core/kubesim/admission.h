#pragma once

#include "kubesim/apierror.h"
#include "kubesim/resourcetype.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

// The serving half's single door into the object semantics (semantics.h), in terms of the
// registry's ResourceType; what a real API server's admission chain does between decode and storage.
namespace driftdeck::kubesim::admission {

QString now(); // RFC 3339, seconds precision, UTC

void applyDefaults(const ResourceType& type, QJsonObject& obj);
std::optional<ApiError> validate(const ResourceType& type, const QJsonObject& obj);
QStringList unknownFields(const ResourceType& type, const QJsonObject& obj);
bool tracksGeneration(const ResourceType& type);
bool specChanged(const ResourceType& type, const QJsonObject& oldObj, const QJsonObject& newObj);
void restrictToSubresource(const ResourceType& type, const QJsonObject& oldObj, QJsonObject& newObj,
                           const QString& subresource);
void recordUpdate(const ResourceType& type, const QJsonObject& oldObj, QJsonObject& newObj,
                  const QString& manager, const QString& operation, const QString& subresource);

enum class PatchType { Merge, Json, Strategic };
std::variant<QJsonObject, ApiError> patch(PatchType patchType, const ResourceType& type,
                                          const QJsonObject& live, const QByteArray& body);
std::variant<QJsonObject, ApiError> apply(const ResourceType& type, const QJsonObject& live,
                                          const QJsonObject& applied, const QString& manager, bool force);
QString defaultFieldManager(const QString& userAgent);

} // namespace driftdeck::kubesim::admission
