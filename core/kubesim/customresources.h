#pragma once

#include "kubesim/apierror.h"
#include "kubesim/resourcetype.h"

#include <QJsonObject>
#include <QList>

#include <optional>

// CustomResourceDefinitions: what the apiextensions server does when one is written or deleted.
namespace driftdeck::kubesim {

bool isCustomResourceDefinition(const ResourceType& type);

// Checks the CRD (name is <plural>.<group>, at least one served version, one storage version), sets
// its status (acceptedNames, Established and NamesAccepted conditions, storedVersions) and, unless
// `dryRun`, registers every served version in `registry` (replacing what an older revision served).
std::optional<ApiError> establishCustomResourceDefinition(QJsonObject& crd, ResourceRegistry& registry,
                                                          bool dryRun);

// Unregisters the CRD's kinds; returns the types that were served so their objects can be dropped.
QList<ResourceType> removeCustomResourceDefinition(const QJsonObject& crd, ResourceRegistry& registry);

} // namespace driftdeck::kubesim
