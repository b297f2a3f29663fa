#pragma once

#include <QHashFunctions>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <compare>

namespace driftdeck {

// apiVersion split into group and version; the core group ("v1") has an empty group.
struct GroupVersion {
    QString group;
    QString version;

    static GroupVersion parse(const QString& apiVersion);
    QString apiVersion() const; // "v1" or "apps/v1"
    std::weak_ordering operator<=>(const GroupVersion&) const = default;
    bool operator==(const GroupVersion&) const = default;
};

struct GroupVersionKind {
    QString group;
    QString version;
    QString kind;

    static GroupVersionKind fromObject(const QJsonObject& object);
    QString apiVersion() const;
    QString toString() const; // "apps/v1, Kind=Deployment" as Kubernetes prints it
    std::weak_ordering operator<=>(const GroupVersionKind&) const = default;
    bool operator==(const GroupVersionKind&) const = default;
};

// Identifies one object across Git and clusters, independent of its API version.
struct ResourceKey {
    QString group;
    QString kind;
    QString ns; // empty for cluster-scoped objects
    QString name;

    static ResourceKey fromObject(const QJsonObject& object);
    // "group/Kind:namespace/name", the form used in tracking ids ("/Service:default/web" for core).
    QString toString() const;
    static ResourceKey parse(const QString& text, bool* ok = nullptr);
    bool isValid() const { return !kind.isEmpty() && !name.isEmpty(); }

    std::weak_ordering operator<=>(const ResourceKey&) const = default;
    bool operator==(const ResourceKey&) const = default;
};

inline size_t qHash(const ResourceKey& key, size_t seed = 0) {
    return qHashMulti(seed, key.group, key.kind, key.ns, key.name);
}
inline size_t qHash(const GroupVersionKind& gvk, size_t seed = 0) {
    return qHashMulti(seed, gvk.group, gvk.version, gvk.kind);
}

} // namespace driftdeck

Q_DECLARE_METATYPE(driftdeck::ResourceKey)
