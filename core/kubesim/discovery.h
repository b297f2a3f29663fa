#pragma once

#include "kubesim/resourcetype.h"

#include <QJsonObject>

// Discovery documents in the legacy (non-aggregated) form, as kubectl 1.32 accepts when the server
// answers its aggregated-discovery Accept header with plain application/json.
namespace driftdeck::kubesim::discovery {

QJsonObject version();
QJsonObject coreVersions(const QString& serverAddress);                   // /api
QJsonObject groupList(const ResourceRegistry& registry);                  // /apis
QJsonObject group(const ResourceRegistry& registry, const QString& name); // /apis/<group>; empty if unknown
QJsonObject resourceList(const ResourceRegistry& registry, const QString& group, const QString& version);

} // namespace driftdeck::kubesim::discovery
