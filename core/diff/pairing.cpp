#include "diff/pairing.h"

#include "kubeobj/kindref.h"

#include <QHash>

#include <algorithm>

namespace driftdeck::diff {
namespace {

std::optional<bool> namespacedKind(const PairingOptions& options, const QString& group, const QString& kind) {
    if (options.scopeOf)
        if (const auto scope = options.scopeOf(group, kind))
            return scope;
    return kubeobj::builtinNamespaced(group, kind);
}

} // namespace

QString trackingId(const QString& appName, const ResourceKey& key) {
    return appName + QLatin1Char(':') + key.toString();
}

QString trackedBy(const kubeobj::Object& live) {
    for (const QString& name :
         {QStringLiteral("driftdeck.io/tracking-id"), QStringLiteral("argocd.argoproj.io/tracking-id")}) {
        const QString id = live.annotation(name);
        const qsizetype colon = id.indexOf(QLatin1Char(':'));
        // The id must name this very object: Kubernetes' Deployment controller copies a Deployment's
        // annotations to its ReplicaSets, which then carry the Deployment's id and are not tracked.
        if (colon > 0 && QStringView(id).mid(colon + 1) == live.key().toString())
            return id.left(colon);
    }
    return {};
}

kubeobj::Object placed(const kubeobj::Object& desired, const PairingOptions& options) {
    const ResourceKey& key = desired.key();
    const std::optional<bool> namespaced = namespacedKind(options, key.group, key.kind);
    if (namespaced == false && !key.ns.isEmpty())
        return desired.withNamespace(QString());
    if (namespaced == true && key.ns.isEmpty())
        return desired.withNamespace(options.destinationNamespace);
    return desired;
}

Pairing pairObjects(const QList<kubeobj::Object>& desired, const QList<kubeobj::Object>& live,
                    const PairingOptions& options) {
    Pairing out;
    QHash<ResourceKey, kubeobj::Object> liveByKey;
    // Live objects from a server always carry their namespace; objects from a file may not.
    for (const kubeobj::Object& object : live) {
        const kubeobj::Object where = placed(object, options);
        liveByKey.insert(where.key(), where);
    }

    QHash<ResourceKey, qsizetype> seen;
    for (const kubeobj::Object& raw : desired) {
        kubeobj::Object object = placed(raw, options);
        ResourceKey key = object.key();
        // A kind of unknown scope: the live object tells where it is. Without a namespace it may be
        // namespaced (in the destination); with one it may be cluster-scoped (kustomize's namespace
        // transformer adds one to custom kinds it does not know, and the API ignores it).
        if (!liveByKey.contains(key) && !namespacedKind(options, key.group, key.kind)) {
            ResourceKey other = key;
            other.ns = key.ns.isEmpty() ? options.destinationNamespace : QString();
            if (liveByKey.contains(other)) {
                object = object.withNamespace(other.ns);
                key = other;
            }
        }
        if (seen.contains(key)) {
            out.warnings.append(
                QStringLiteral("%1 is desired twice; the first definition is compared").arg(key.toString()));
            continue;
        }
        seen.insert(key, out.pairs.size());
        out.pairs.append({key, object, liveByKey.value(key)});
    }

    if (options.appName.isEmpty())
        return out;
    QList<ObjectPair> extra;
    for (auto it = liveByKey.cbegin(); it != liveByKey.cend(); ++it)
        if (!seen.contains(it.key()) && trackedBy(it.value()) == options.appName)
            extra.append({it.key(), kubeobj::Object(), it.value()});
    std::sort(extra.begin(), extra.end(),
              [](const ObjectPair& a, const ObjectPair& b) { return a.key < b.key; });
    out.pairs.append(extra);
    return out;
}

} // namespace driftdeck::diff
