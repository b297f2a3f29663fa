// Server-side apply and Update bookkeeping of metadata.managedFields, after the documented
// behaviour of the Kubernetes API server (structured merge: field ownership per manager, conflicts
// on changed values owned by others, removal of fields an applier stops applying).

#include "kubeobj/applymerge.h"
#include "kubeobj/managedfields.h"
#include "kubesim/semantics.h"

#include <QJsonArray>
#include <QMap>

namespace driftdeck::kubesim {
using kubeobj::FieldSet;
namespace managed = kubeobj::managed;
namespace schema = kubeobj::schema;
namespace {

using managed::ManagerEntry;
using schema::ListKind;
using schema::Shape;
using schema::Type;

// The first list-map item in `value` that lacks one of its key fields (protocol has a declared
// default), as the real server reports it: "<path>: element <i>: associative list with keys has an
// element that omits key field "<key>" (and doesn't have default value)".
QString missingKey(const Type* type, const QJsonValue& value, const QString& path) {
    type = type ? type : schema::anyType();
    if (value.isObject() && schema::isGranular(type)) {
        const QJsonObject obj = value.toObject();
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            const QString found =
                missingKey(schema::childType(type, it.key()), it.value(), path + QLatin1Char('.') + it.key());
            if (!found.isEmpty())
                return found;
        }
    } else if (value.isArray() && type->shape == Shape::List && type->listKind == ListKind::Map) {
        const QJsonArray items = value.toArray();
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QJsonObject item = items.at(i).toObject();
            for (const QString& key : type->keys)
                if (!item.contains(key) && key != QLatin1String("protocol"))
                    return QStringLiteral(
                               "%1: element %2: associative list with keys has an element that omits key "
                               "field \"%3\" (and doesn't have default value)")
                        .arg(path)
                        .arg(i)
                        .arg(key);
            const QString found = missingKey(type->elem, item, QStringLiteral("%1[%2]").arg(path).arg(i));
            if (!found.isEmpty())
                return found;
        }
    }
    return {};
}

// Puts the object back together: tracked fields from `tracked`, the rest (apiVersion, kind,
// server-owned metadata, status where it is a subresource) from `base`.
QJsonObject reassemble(const KindRef& kind, const QJsonObject& base, const QJsonObject& tracked) {
    QJsonObject out = tracked;
    QJsonObject meta = tracked.value(QLatin1String("metadata")).toObject();
    const QJsonObject baseMeta = base.value(QLatin1String("metadata")).toObject();
    for (const char* name : {"name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
                             "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"}) {
        const QString key = QLatin1String(name);
        if (baseMeta.contains(key))
            meta.insert(key, baseMeta.value(key));
    }
    out.insert(QStringLiteral("metadata"), meta);
    for (const char* name : {"apiVersion", "kind"})
        if (base.contains(QLatin1String(name)))
            out.insert(QLatin1String(name), base.value(QLatin1String(name)));
    if (hasStatusSubresource(kind) && base.contains(QLatin1String("status")))
        out.insert(QStringLiteral("status"), base.value(QLatin1String("status")));
    return out;
}

void setManagedFields(QJsonObject& obj, const QList<ManagerEntry>& entries) {
    QJsonObject meta = obj.value(QLatin1String("metadata")).toObject();
    const QJsonArray encoded = managed::encode(entries);
    if (encoded.isEmpty())
        meta.remove(QStringLiteral("managedFields"));
    else
        meta.insert(QStringLiteral("managedFields"), encoded);
    obj.insert(QStringLiteral("metadata"), meta);
}

ApiError conflictError(const QList<std::pair<ManagerEntry, FieldSet::Path>>& conflicts) {
    QJsonArray causes;
    for (const auto& [entry, path] : conflicts)
        causes.append(QJsonObject{
            {QStringLiteral("reason"), QStringLiteral("FieldManagerConflict")},
            {QStringLiteral("message"), QString(QStringLiteral("conflict with ") + entry.printable())},
            {QStringLiteral("field"), FieldSet::pathString(path)}});
    QString message;
    if (conflicts.size() == 1) {
        message =
            QStringLiteral("Apply failed with 1 conflict: conflict with %1: %2")
                .arg(conflicts.first().first.printable(), FieldSet::pathString(conflicts.first().second));
    } else {
        QMap<QString, QPair<QString, QStringList>> byManager; // identity → (printable, paths)
        for (const auto& [entry, path] : conflicts) {
            auto& slot = byManager[entry.identity()];
            slot.first = entry.printable();
            slot.second.append(FieldSet::pathString(path));
        }
        QStringList lines;
        for (const auto& [printable, paths] : std::as_const(byManager)) {
            lines.append(QStringLiteral("conflicts with %1:").arg(printable));
            for (const QString& p : paths)
                lines.append(QStringLiteral("- ") + p);
        }
        message = QStringLiteral("Apply failed with %1 conflicts: %2")
                      .arg(conflicts.size())
                      .arg(lines.join(QLatin1Char('\n')));
    }
    // The real server's apply conflicts carry only the causes in details.
    return ApiError{409, QStringLiteral("Conflict"), message,
                    QJsonObject{{QStringLiteral("causes"), causes}}};
}

} // namespace

std::variant<QJsonObject, ApiError> serverSideApply(const KindRef& kind, const QJsonObject& live,
                                                    const QJsonObject& applied, const QString& manager,
                                                    bool force, const QString& timestamp) {
    const Type* root = managed::typeFor(kind);
    const QJsonObject liveTracked = managed::trackedPart(kind, live, {});
    const QJsonObject config = managed::trackedPart(kind, applied, {});
    if (const QString missing = missingKey(root, config, QString()); !missing.isEmpty())
        return ApiError{400,
                        QStringLiteral("BadRequest"),
                        QStringLiteral("failed to create typed patch object (%1, Kind=%2): %3")
                            .arg(kind.apiVersion(), kind.kind, missing),
                        {}};
    QList<ManagerEntry> entries = managed::decode(
        live.value(QLatin1String("metadata")).toObject().value(QLatin1String("managedFields")).toArray());

    ManagerEntry mine{manager, QStringLiteral("Apply"), kind.apiVersion(), timestamp, {}, {}};
    FieldSet lastSet;
    qsizetype mineAt = -1;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (entries.at(i).identity() == mine.identity()) {
            lastSet = entries.at(i).fields;
            mineAt = i;
        }
    }
    mine.fields = managed::toFieldSet(root, config);
    if (mineAt >= 0) {
        if (mine.fields == lastSet && entries.at(mineAt).apiVersion == mine.apiVersion)
            mine.time = entries.at(mineAt).time; // an unchanged apply is a no-op, time included
        entries.removeAt(mineAt);
    }

    QJsonObject merged = kubeobj::applyMerge(root, liveTracked, config).toObject();

    // Fields this manager applied before and omits now go away unless someone else still owns them
    // (or something below them).
    FieldSet owned = mine.fields;
    for (const ManagerEntry& e : std::as_const(entries))
        owned = owned.united(e.fields);
    const QList<FieldSet::Path> dropped = lastSet.subtracted(owned).paths();
    for (const FieldSet::Path& path : dropped) {
        if (owned.containsPrefix(path) || !managed::removePath(merged, path))
            continue;
        // A list or map emptied by the removal goes too when nobody owns it as such.
        for (FieldSet::Path parent = path.mid(0, path.size() - 1); !parent.isEmpty(); parent.removeLast()) {
            if (owned.containsPrefix(parent) || !managed::isEmptyAt(merged, parent))
                break;
            managed::removePath(merged, parent);
        }
    }

    const managed::Comparison cmp = managed::compare(root, liveTracked, merged);
    const FieldSet changed = cmp.modified.united(cmp.added);
    QList<std::pair<ManagerEntry, FieldSet::Path>> conflicts;
    for (const ManagerEntry& e : std::as_const(entries))
        for (const FieldSet::Path& path : e.fields.intersected(changed).paths())
            conflicts.append({e, path});
    if (!force && !conflicts.isEmpty())
        return conflictError(conflicts);

    for (ManagerEntry& e : entries)
        e.fields = e.fields.subtracted(changed).subtracted(cmp.removed);
    entries.append(mine);

    QJsonObject base = live.isEmpty() ? applied : live;
    if (live.isEmpty()) {
        base.remove(QStringLiteral("status"));
    } else {
        base.insert(QStringLiteral("apiVersion"), applied.value(QLatin1String("apiVersion")));
    }
    QJsonObject result = reassemble(kind, base, merged);
    setManagedFields(result, entries);
    return result;
}

void recordUpdate(const KindRef& kind, const QJsonObject& oldObj, QJsonObject& newObj, const QString& manager,
                  const QString& operation, const QString& timestamp, const QString& subresource) {
    const QJsonObject oldMeta = oldObj.value(QLatin1String("metadata")).toObject();
    const QJsonObject newMeta = newObj.value(QLatin1String("metadata")).toObject();
    const QJsonArray oldManaged = oldMeta.value(QLatin1String("managedFields")).toArray();
    const QJsonValue requested = newMeta.value(QLatin1String("managedFields"));

    // A request may reset managedFields: [{}] clears them; another non-empty list that differs from
    // the stored one replaces it; absent or [] keeps what is stored.
    if (requested.isArray() && requested.toArray().size() == 1 &&
        requested.toArray().first().toObject().isEmpty()) {
        QJsonObject meta = newMeta;
        meta.remove(QStringLiteral("managedFields"));
        newObj.insert(QStringLiteral("metadata"), meta);
        return;
    }
    const bool replaced =
        requested.isArray() && !requested.toArray().isEmpty() && requested.toArray() != oldManaged;
    QList<ManagerEntry> entries = managed::decode(replaced ? requested.toArray() : oldManaged);

    const Type* root = managed::typeFor(kind);
    const managed::Comparison cmp = managed::compare(root, managed::trackedPart(kind, oldObj, subresource),
                                                     managed::trackedPart(kind, newObj, subresource));
    const FieldSet changed = cmp.modified.united(cmp.added);

    ManagerEntry mine{manager, operation, kind.apiVersion(), timestamp, subresource, {}};
    qsizetype mineAt = -1;
    for (qsizetype i = 0; i < entries.size(); ++i)
        if (entries.at(i).identity() == mine.identity())
            mineAt = i;
    FieldSet previous = mineAt >= 0 ? entries.at(mineAt).fields : FieldSet();
    mine.fields = previous.subtracted(cmp.removed).united(changed);
    if (mineAt >= 0) {
        if (mine.fields == previous)
            mine.time = entries.at(mineAt).time;
        entries.removeAt(mineAt);
    }
    for (ManagerEntry& e : entries)
        e.fields = e.fields.subtracted(changed).subtracted(cmp.removed);
    entries.append(mine);
    setManagedFields(newObj, entries);
}

QString defaultFieldManager(const QString& userAgent) {
    QString manager = userAgent.section(QLatin1Char('/'), 0, 0);
    if (manager.isEmpty())
        manager = userAgent;
    return manager.left(128);
}

} // namespace driftdeck::kubesim
