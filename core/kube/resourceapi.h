#pragma once

#include "kube/apitypes.h"
#include "model/resourcekey.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace driftdeck::kube {

// One API resource as discovery describes it.
struct ResourceInfo {
    QString group;
    QString version;
    QString kind;
    QString resource; // plural, lower case: "deployments"
    bool namespaced = true;
    QStringList verbs;

    QString apiVersion() const;
    GroupVersionKind gvk() const { return {group, version, kind}; }
    bool supports(const QString& verb) const { return verbs.isEmpty() || verbs.contains(verb); }
    bool operator==(const ResourceInfo&) const = default;
};

// "/api/v1/namespaces/ns/configmaps" or "/apis/apps/v1/deployments" (all namespaces when ns is empty).
QString collectionPath(const ResourceInfo& info, const QString& ns);
QString objectPath(const ResourceInfo& info, const QString& ns, const QString& name);

struct ApplyOptions {
    QString fieldManager = QStringLiteral("driftdeck");
    bool force = false;  // take ownership of fields other managers hold
    bool dryRun = false; // dryRun=All: validated and defaulted, persisted nowhere
    // Where a namespaced object without metadata.namespace goes: the application's destination.
    // Never the kubeconfig context's namespace, which says nothing about the application.
    QString defaultNamespace = QStringLiteral("default");
};

enum class PropagationPolicy { Background, Foreground, Orphan };

struct DeleteOptions {
    PropagationPolicy propagation = PropagationPolicy::Background;
    bool dryRun = false;
};

// Server-side apply: PATCH with application/apply-patch+yaml (JSON is valid YAML). The object's own
// metadata.namespace is used; options.defaultNamespace fills it for namespaced kinds that omit it,
// and a cluster-scoped kind's namespace is dropped (the server ignores it).
ApiRequest applyRequest(const ResourceInfo& info, QJsonObject object, const ApplyOptions& options);
ApiRequest deleteRequest(const ResourceInfo& info, const QString& ns, const QString& name,
                         const DeleteOptions& options = {});
ApiRequest mergePatchRequest(const ResourceInfo& info, const QString& ns, const QString& name,
                             const QJsonObject& patch, bool dryRun = false,
                             const QString& fieldManager = QStringLiteral("driftdeck"));

} // namespace driftdeck::kube

Q_DECLARE_METATYPE(driftdeck::kube::ResourceInfo)
