#pragma once

#include "kubeobj/object.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

// Pairs desired objects (Git) with live objects (cluster) by ResourceKey: a pure function, tested on
// its own. The version of an API group does not matter (apps/v1 and apps/v1beta2 name one object).
namespace driftdeck::diff {

// True when a kind is namespaced, false when cluster-scoped, nothing when unknown. Discovery
// answers for custom kinds; without it the built-in table of kubeobj/kindref.h is used.
using ScopeOf = std::function<std::optional<bool>(const QString& group, const QString& kind)>;

struct PairingOptions {
    // The application's name: live objects carrying its tracking id and no longer desired are
    // reported as Extra (prune candidates). Empty: live-only objects are not reported.
    QString appName;
    // Where a namespaced object without metadata.namespace goes (the application's destination).
    QString destinationNamespace = QStringLiteral("default");
    ScopeOf scopeOf;
};

struct ObjectPair {
    ResourceKey key;
    kubeobj::Object desired; // null: live only (Extra)
    kubeobj::Object live;    // null: Missing
};

struct Pairing {
    QList<ObjectPair> pairs; // in desired order, then Extra objects in key order
    QStringList warnings;    // duplicate desired objects (the first is kept)
};

// "<app>:<group>/<Kind>:<namespace>/<name>", the value of driftdeck.io/tracking-id.
QString trackingId(const QString& appName, const ResourceKey& key);
// The application a live object is tracked by (driftdeck's or Argo CD's tracking annotation naming
// the object's own key), or "".
QString trackedBy(const kubeobj::Object& live);

// The desired object in its destination: namespace filled in for namespaced kinds, removed for
// cluster-scoped ones.
kubeobj::Object placed(const kubeobj::Object& desired, const PairingOptions& options);

Pairing pairObjects(const QList<kubeobj::Object>& desired, const QList<kubeobj::Object>& live,
                    const PairingOptions& options);

} // namespace driftdeck::diff
