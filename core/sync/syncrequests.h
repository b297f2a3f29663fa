#pragma once

#include "kube/apitypes.h"
#include "kube/resourceapi.h"
#include "kubeobj/object.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

// The pieces of a sync request that need no cluster: what is sent for an object, and how the
// server's answers are read. Pure functions, tested on their own.
namespace driftdeck::sync {

inline const QString kTrackingAnnotation = QStringLiteral("driftdeck.io/tracking-id");

// The object as it is sent: the desired JSON with driftdeck.io/tracking-id set to
// diff::trackingId(appName, key), metadata.namespace set to `ns` for a namespaced kind and removed
// for a cluster-scoped one. The desired object itself is not changed (it is shared).
QJsonObject appliedObject(const kubeobj::Object& desired, const QString& appName, const ResourceKey& key,
                          bool namespaced, const QString& ns);

// The namespace an object goes to: its own, else the key's (the planner placed it), else the
// destination, else "default". Empty for cluster-scoped kinds.
QString targetNamespace(const kubeobj::Object& desired, const ResourceKey& key, bool namespaced,
                        const QString& destination);

// The field managers a 409 apply conflict names, in order, each once: from the Status causes
// (`conflict with "kubectl-client-side-apply" using apps/v1`), else from its message
// (`Apply failed with 1 conflict: conflict with "helm" using v1: .data.x`). Go-quoted names are
// unquoted. Empty when the answer names none (a resourceVersion conflict).
QStringList conflictManagers(const kube::ApiStatus& status);

// Replace (Argo CD's Replace=true, `kubectl replace`): PUT the whole object, so fields Git no longer
// has are dropped whoever set them; POST it when it does not exist yet (replaceCreateRequest).
kube::ApiRequest replaceRequest(const kube::ResourceInfo& info, const QJsonObject& object,
                                const kube::ApplyOptions& options);
kube::ApiRequest replaceCreateRequest(const kube::ResourceInfo& info, const QJsonObject& object,
                                      const kube::ApplyOptions& options);

// For text about a Secret (a server's error message may quote what was sent): every value of its
// data and stringData, plain or base64, is replaced by "<secret value>". A value shorter than four
// characters cannot be replaced without mangling the text: if one occurs, the whole text is
// withheld. Other kinds are returned unchanged.
QString withoutSecretValues(const QString& text, const QJsonObject& object);

// Argo CD's `argocd.argoproj.io/sync-options` says Prune=false or Delete=false.
bool keptBySyncOptions(const kubeobj::Object& object);

} // namespace driftdeck::sync
