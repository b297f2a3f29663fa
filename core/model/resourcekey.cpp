#include "model/resourcekey.h"

namespace driftdeck {

GroupVersion GroupVersion::parse(const QString& apiVersion) {
    const qsizetype slash = apiVersion.indexOf(QLatin1Char('/'));
    if (slash < 0)
        return {QString(), apiVersion};
    return {apiVersion.left(slash), apiVersion.mid(slash + 1)};
}

QString GroupVersion::apiVersion() const {
    return group.isEmpty() ? version : group + QLatin1Char('/') + version;
}

GroupVersionKind GroupVersionKind::fromObject(const QJsonObject& object) {
    const GroupVersion gv = GroupVersion::parse(object.value(QLatin1String("apiVersion")).toString());
    return {gv.group, gv.version, object.value(QLatin1String("kind")).toString()};
}

QString GroupVersionKind::apiVersion() const {
    return GroupVersion{group, version}.apiVersion();
}

QString GroupVersionKind::toString() const {
    return apiVersion() + QLatin1String(", Kind=") + kind;
}

ResourceKey ResourceKey::fromObject(const QJsonObject& object) {
    const GroupVersionKind gvk = GroupVersionKind::fromObject(object);
    const QJsonObject metadata = object.value(QLatin1String("metadata")).toObject();
    return {gvk.group, gvk.kind, metadata.value(QLatin1String("namespace")).toString(),
            metadata.value(QLatin1String("name")).toString()};
}

QString ResourceKey::toString() const {
    return group + QLatin1Char('/') + kind + QLatin1Char(':') + ns + QLatin1Char('/') + name;
}

ResourceKey ResourceKey::parse(const QString& text, bool* ok) {
    // group/Kind:namespace/name — the group may itself not contain ':' and Kind has no '/'.
    ResourceKey key;
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    const qsizetype firstSlash = text.indexOf(QLatin1Char('/'));
    const qsizetype lastSlash = text.lastIndexOf(QLatin1Char('/'));
    const bool valid = colon > 0 && firstSlash >= 0 && firstSlash < colon && lastSlash > colon;
    if (valid) {
        const QString groupKind = text.left(colon);
        const qsizetype gkSlash = groupKind.lastIndexOf(QLatin1Char('/'));
        key.group = groupKind.left(gkSlash);
        key.kind = groupKind.mid(gkSlash + 1);
        key.ns = text.mid(colon + 1, lastSlash - colon - 1);
        key.name = text.mid(lastSlash + 1);
    }
    if (ok)
        *ok = valid && key.isValid();
    return valid ? key : ResourceKey{};
}

} // namespace driftdeck
