#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

// What Driftdeck knows about a kind without asking a server: how its apiVersion splits, whether a
// real API server serves it itself, which built-in kinds are cluster-scoped and which have a status
// subresource. Discovery answers the same questions for custom kinds at run time.
namespace driftdeck::kubeobj {

struct KindRef {
    QString group;   // "" for the core group, "apps", "batch", "networking.k8s.io", ...
    QString version; // "v1", "v1beta1", ...
    QString kind;    // "Deployment"

    // "v1" for the core group, "apps/v1" otherwise.
    QString apiVersion() const;
    // Splits an object's apiVersion ("apps/v1" or "v1") and takes its kind.
    static KindRef fromObject(const QJsonObject& obj);
};

// True for the kinds a real API server serves itself (core, apps, batch, networking, rbac, ...).
bool isBuiltinKind(const KindRef& kind);

// True for built-in kinds whose status is a subresource (Deployment, Pod, Service, Job, ...).
bool hasStatusSubresource(const KindRef& kind);

// For a built-in kind: true when it is namespaced, false when cluster-scoped. Nothing for custom
// kinds and built-in kinds this table does not list (discovery must tell).
std::optional<bool> builtinNamespaced(const QString& group, const QString& kind);

} // namespace driftdeck::kubeobj
