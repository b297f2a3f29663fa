#include "kubesim/resourcetype.h"

namespace driftdeck::kubesim {
namespace {

const QStringList kAllVerbs{
    QStringLiteral("create"), QStringLiteral("delete"), QStringLiteral("deletecollection"),
    QStringLiteral("get"),    QStringLiteral("list"),   QStringLiteral("patch"),
    QStringLiteral("update"), QStringLiteral("watch")};

ResourceType make(const char* group, const char* version, const char* resource, const char* kind,
                  bool namespaced, QStringList shortNames = {}, QStringList categories = {},
                  bool status = false, bool scale = false) {
    ResourceType type;
    type.group = QString::fromLatin1(group);
    type.version = QString::fromLatin1(version);
    type.resource = QString::fromLatin1(resource);
    type.kind = QString::fromLatin1(kind);
    type.singular = type.kind.toLower();
    type.namespaced = namespaced;
    type.shortNames = std::move(shortNames);
    type.categories = std::move(categories);
    type.verbs = kAllVerbs;
    type.hasStatus = status;
    type.hasScale = scale;
    return type;
}

} // namespace

ResourceRegistry ResourceRegistry::withBuiltins() {
    const QStringList all{QStringLiteral("all")};
    const QStringList none;
    ResourceRegistry r;
    // Core group, in the order the real server lists them.
    r.add(make("", "v1", "configmaps", "ConfigMap", true, {QStringLiteral("cm")}));
    r.add(make("", "v1", "endpoints", "Endpoints", true, {QStringLiteral("ep")}));
    r.add(make("", "v1", "events", "Event", true, {QStringLiteral("ev")}));
    r.add(make("", "v1", "namespaces", "Namespace", false, {QStringLiteral("ns")}, none, true));
    r.add(make("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, {QStringLiteral("pvc")},
               none, true));
    r.add(make("", "v1", "pods", "Pod", true, {QStringLiteral("po")}, all, true));
    r.add(make("", "v1", "secrets", "Secret", true));
    r.add(make("", "v1", "serviceaccounts", "ServiceAccount", true, {QStringLiteral("sa")}));
    r.add(make("", "v1", "services", "Service", true, {QStringLiteral("svc")}, all, true));
    r.add(make("apps", "v1", "daemonsets", "DaemonSet", true, {QStringLiteral("ds")}, all, true));
    r.add(make("apps", "v1", "deployments", "Deployment", true, {QStringLiteral("deploy")}, all, true, true));
    r.add(make("apps", "v1", "replicasets", "ReplicaSet", true, {QStringLiteral("rs")}, all, true, true));
    r.add(make("apps", "v1", "statefulsets", "StatefulSet", true, {QStringLiteral("sts")}, all, true, true));
    r.add(make("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true,
               {QStringLiteral("hpa")}, all, true));
    r.add(make("batch", "v1", "cronjobs", "CronJob", true, {QStringLiteral("cj")}, all, true));
    r.add(make("batch", "v1", "jobs", "Job", true, {}, all, true));
    r.add(make("networking.k8s.io", "v1", "ingresses", "Ingress", true, {QStringLiteral("ing")}, none, true));
    r.add(make("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true,
               {QStringLiteral("netpol")}));
    r.add(make("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false));
    r.add(make("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false));
    r.add(make("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true));
    r.add(make("rbac.authorization.k8s.io", "v1", "roles", "Role", true));
    r.add(make("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false,
               {QStringLiteral("crd"), QStringLiteral("crds")}, {QStringLiteral("api-extensions")}, true));
    return r;
}

void ResourceRegistry::add(const ResourceType& type) {
    for (ResourceType& existing : m_types) {
        if (existing.group == type.group && existing.version == type.version &&
            existing.resource == type.resource) {
            existing = type;
            return;
        }
    }
    m_types.append(type);
}

void ResourceRegistry::remove(const QString& group, const QString& resource) {
    m_types.removeIf([&](const ResourceType& t) { return t.group == group && t.resource == resource; });
}

std::optional<ResourceType> ResourceRegistry::find(const QString& group, const QString& version,
                                                   const QString& resource) const {
    for (const ResourceType& t : m_types) {
        if (t.group == group && t.version == version && t.resource == resource)
            return t;
    }
    return std::nullopt;
}

std::optional<ResourceType> ResourceRegistry::findKind(const QString& group, const QString& kind) const {
    for (const ResourceType& t : m_types) {
        if (t.group == group && t.kind == kind)
            return t;
    }
    return std::nullopt;
}

std::optional<ResourceType> ResourceRegistry::findByApiVersion(const QString& apiVersion,
                                                               const QString& kind) const {
    const qsizetype slash = apiVersion.indexOf(QLatin1Char('/'));
    const QString group = slash < 0 ? QString() : apiVersion.left(slash);
    const QString version = slash < 0 ? apiVersion : apiVersion.mid(slash + 1);
    for (const ResourceType& t : m_types) {
        if (t.group == group && t.version == version && t.kind == kind)
            return t;
    }
    return std::nullopt;
}

QStringList ResourceRegistry::groups() const {
    QStringList out;
    for (const ResourceType& t : m_types) {
        if (!out.contains(t.group))
            out.append(t.group);
    }
    return out;
}

QStringList ResourceRegistry::versions(const QString& group) const {
    QStringList out;
    for (const ResourceType& t : m_types) {
        if (t.group == group && !out.contains(t.version))
            out.append(t.version);
    }
    return out;
}

QList<ResourceType> ResourceRegistry::resources(const QString& group, const QString& version) const {
    QList<ResourceType> out;
    for (const ResourceType& t : m_types) {
        if (t.group == group && t.version == version)
            out.append(t);
    }
    return out;
}

} // namespace driftdeck::kubesim
