#pragma once

#include "kubesim/resourcetype.h"

#include <QJsonObject>

// /openapi/v3 as far as kubectl 1.32 reads it: the root index of group-versions, and per group-version
// a document whose PATCH operations carry x-kubernetes-group-version-kind and the fieldValidation
// query parameter. That tells kubectl to validate on the server (?fieldValidation=Strict) instead of
// downloading schemas. No component schemas: kubectl then computes client-side apply patches from
// its compiled-in types (built-ins) or as JSON merge patches (custom resources).
namespace driftdeck::kubesim::openapi {

QJsonObject root(const ResourceRegistry& registry);
// `groupVersionPath` is "api/v1" or "apis/<group>/<version>"; empty when not served.
QJsonObject groupVersion(const ResourceRegistry& registry, const QString& groupVersionPath);

} // namespace driftdeck::kubesim::openapi
