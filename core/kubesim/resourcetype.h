#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace driftdeck::kubesim {

// One served resource, as discovery describes it: group/version/plural plus what kubectl needs to
// resolve short names, categories (`kubectl get all`) and scope.
struct ResourceType {
    QString group; // "" for the core group
    QString version;
    QString resource; // plural, lower case: "deployments"
    QString kind;     // "Deployment"
    QString singular; // "deployment"
    bool namespaced = true;
    QStringList shortNames;
    QStringList categories;
    QStringList verbs;
    bool hasStatus = false; // serves <resource>/status
    bool hasScale = false;  // serves <resource>/scale

    // "v1" for the core group, "apps/v1" otherwise.
    QString apiVersion() const { return group.isEmpty() ? version : group + QLatin1Char('/') + version; }
    // Storage identity: objects are kept per group and resource, whatever version they were written in.
    QString groupResource() const { return group.isEmpty() ? resource : resource + QLatin1Char('.') + group; }
};

// Every served type: the built-ins plus the kinds of established CustomResourceDefinitions.
class ResourceRegistry {
public:
    // Namespace, ConfigMap, Secret, ... CustomResourceDefinition, Event (see resourceregistry.cpp).
    static ResourceRegistry withBuiltins();

    void add(const ResourceType& type);
    // Removes every version of group/resource (a deleted CRD).
    void remove(const QString& group, const QString& resource);

    std::optional<ResourceType> find(const QString& group, const QString& version,
                                     const QString& resource) const;
    // The preferred (first registered) version of a kind in a group.
    std::optional<ResourceType> findKind(const QString& group, const QString& kind) const;
    // By apiVersion ("apps/v1") and kind.
    std::optional<ResourceType> findByApiVersion(const QString& apiVersion, const QString& kind) const;

    const QList<ResourceType>& all() const { return m_types; }
    // Groups in registration order (the core group "" first), and the versions of one group.
    QStringList groups() const;
    QStringList versions(const QString& group) const;
    QList<ResourceType> resources(const QString& group, const QString& version) const;

private:
    QList<ResourceType> m_types;
};

} // namespace driftdeck::kubesim
