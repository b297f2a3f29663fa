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

// Aggregated discovery (apidiscovery.k8s.io/v2 APIGroupDiscoveryList), which kubectl 1.32 asks for
// first: every group, version and resource in one document. `core` selects /api (the "" group)
// rather than /apis (all the others).
bool wantsAggregated(const QByteArray& acceptHeader);
QJsonObject aggregated(const ResourceRegistry& registry, bool core);
inline constexpr const char* kAggregatedContentType =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

} // namespace driftdeck::kubesim::discovery
