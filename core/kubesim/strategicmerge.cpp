// Strategic merge patch of built-in kinds: like a JSON merge patch, except that lists with a patch
// merge key (containers by name, ports by containerPort, ...) merge item by item, sets of scalars
// (finalizers) merge by value, and the $patch / $retainKeys / $setElementOrder /
// $deleteFromPrimitiveList directives kubectl sends are honoured. Custom resources get 415, as on a
// real server.

#include "kubeobj/schema.h"
#include "kubesim/patch.h"
#include "kubesim/semantics.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace driftdeck::kubesim {
namespace schema = kubeobj::schema;
namespace {

using schema::ListKind;
using schema::Shape;
using schema::Type;

const QLatin1String kPatch("$patch");
const QLatin1String kRetainKeys("$retainKeys");
const QLatin1String kSetOrder("$setElementOrder/");
const QLatin1String kDeleteFromList("$deleteFromPrimitiveList/");

using schema::orAny;

QString mergeKeyOf(const Type* list) {
    if (list && list->shape == Shape::List && list->listKind == ListKind::Map && !list->keys.isEmpty())
        return list->keys.first();
    return {};
}

bool isSetList(const Type* t) {
    return t && t->shape == Shape::List && t->listKind == ListKind::Set;
}

// Drops directive keys from a value taken over from the patch as it is.
QJsonValue stripDirectives(const QJsonValue& v) {
    if (v.isObject()) {
        QJsonObject out;
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            if (!it.key().startsWith(QLatin1Char('$')))
                out.insert(it.key(), stripDirectives(it.value()));
        return out;
    }
    if (v.isArray()) {
        QJsonArray out;
        for (const QJsonValue& item : v.toArray())
            if (!(item.isObject() && item.toObject().contains(kPatch)))
                out.append(stripDirectives(item));
        return out;
    }
    return v;
}

std::optional<ApiError> mergeObject(const Type* type, QJsonObject& target, const QJsonObject& patch);

std::optional<ApiError> mergeList(const Type* type, QJsonArray& target, const QJsonArray& patch) {
    const QString key = mergeKeyOf(type);
    for (const QJsonValue& item : patch) {
        const QJsonObject o = item.toObject();
        if (item.isObject() && o.value(kPatch).toString() == QLatin1String("replace")) {
            target = stripDirectives(patch).toArray();
            return std::nullopt;
        }
    }
    if (isSetList(type)) {
        for (const QJsonValue& item : patch)
            if (!target.contains(item))
                target.append(item);
        return std::nullopt;
    }
    if (key.isEmpty()) {
        target = stripDirectives(patch).toArray();
        return std::nullopt;
    }
    for (const QJsonValue& item : patch) {
        if (!item.isObject())
            return patch::badRequest(
                QStringLiteral("unable to find api field in struct for the merge key %1").arg(key));
        const QJsonObject p = item.toObject();
        if (!p.contains(key))
            return patch::badRequest(
                QStringLiteral("map: %1 does not contain declared merge key: %2")
                    .arg(QString::fromUtf8(QJsonDocument(p).toJson(QJsonDocument::Compact)), key));
        const QJsonValue k = p.value(key);
        qsizetype found = -1;
        for (qsizetype i = 0; i < target.size(); ++i)
            if (target.at(i).toObject().value(key) == k)
                found = i;
        const QString directive = p.value(kPatch).toString();
        if (directive == QLatin1String("delete")) {
            for (qsizetype i = target.size() - 1; i >= 0; --i)
                if (target.at(i).toObject().value(key) == k)
                    target.removeAt(i);
            continue;
        }
        QJsonObject merged = found >= 0 ? target.at(found).toObject() : QJsonObject();
        if (auto error = mergeObject(orAny(type->elem), merged, p))
            return error;
        if (found >= 0)
            target.replace(found, merged);
        else
            target.append(merged);
    }
    return std::nullopt;
}

// Reorders `list` as `order` says (items named by merge key, or scalars); the rest keep their place
// after them.
QJsonArray applyOrder(const QJsonArray& list, const QJsonArray& order, const QString& key) {
    QJsonArray out;
    QJsonArray rest = list;
    for (const QJsonValue& wanted : order) {
        for (qsizetype i = 0; i < rest.size(); ++i) {
            const bool match = key.isEmpty()
                                   ? rest.at(i) == wanted
                                   : rest.at(i).toObject().value(key) == wanted.toObject().value(key);
            if (match) {
                out.append(rest.at(i));
                rest.removeAt(i);
                break;
            }
        }
    }
    for (const QJsonValue& v : rest)
        out.append(v);
    return out;
}

std::optional<ApiError> mergeObject(const Type* type, QJsonObject& target, const QJsonObject& patch) {
    type = orAny(type);
    const QString directive = patch.value(kPatch).toString();
    if (directive == QLatin1String("replace")) {
        target = stripDirectives(patch).toObject();
        return std::nullopt;
    }
    if (!directive.isEmpty() && directive != QLatin1String("merge") && directive != QLatin1String("delete"))
        return patch::badRequest(QStringLiteral("Unknown patch type: %1 in map: ").arg(directive));
    if (patch.contains(kRetainKeys)) {
        const QJsonValue retain = patch.value(kRetainKeys);
        if (!retain.isArray())
            return patch::badRequest(QStringLiteral("invalid patch: $retainKeys must be a list of strings"));
        QSet<QString> keep;
        for (const QJsonValue& k : retain.toArray())
            keep.insert(k.toString());
        for (const QString& k : target.keys())
            if (!keep.contains(k))
                target.remove(k);
    }
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        const QString& name = it.key();
        if (name.startsWith(QLatin1Char('$')))
            continue;
        const QJsonValue& value = it.value();
        if (value.isNull()) {
            target.remove(name);
            continue;
        }
        const Type* child = orAny(schema::childType(type, name));
        const QJsonValue current = target.value(name);
        if (value.isObject()) {
            const QJsonObject p = value.toObject();
            if (p.value(kPatch).toString() == QLatin1String("delete")) {
                target.remove(name);
                continue;
            }
            QJsonObject merged = current.isObject() ? current.toObject() : QJsonObject();
            if (auto error = mergeObject(child, merged, p))
                return error;
            target.insert(name, merged);
        } else if (value.isArray() && current.isArray()) {
            QJsonArray merged = current.toArray();
            if (auto error = mergeList(child, merged, value.toArray()))
                return error;
            target.insert(name, merged);
        } else {
            target.insert(name, stripDirectives(value));
        }
    }
    // List directives name their list after the slash; they run after the list's own merge.
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (it.key().startsWith(kDeleteFromList)) {
            const QString list = it.key().mid(kDeleteFromList.size());
            QJsonArray items = target.value(list).toArray();
            for (const QJsonValue& gone : it.value().toArray())
                for (qsizetype i = items.size() - 1; i >= 0; --i)
                    if (items.at(i) == gone)
                        items.removeAt(i);
            if (target.contains(list))
                target.insert(list, items);
        }
    }
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (it.key().startsWith(kSetOrder)) {
            const QString list = it.key().mid(kSetOrder.size());
            if (target.value(list).isArray())
                target.insert(list, applyOrder(target.value(list).toArray(), it.value().toArray(),
                                               mergeKeyOf(schema::childType(type, list))));
        }
    }
    return std::nullopt;
}

} // namespace

std::variant<QJsonObject, ApiError> strategicMergePatch(const KindRef& kind, const QJsonObject& live,
                                                        const QByteArray& patchJson) {
    if (!isBuiltinKind(kind))
        return ApiError{
            415,
            QStringLiteral("UnsupportedMediaType"),
            QStringLiteral("the body of the request was in an unknown format - accepted media types "
                           "include: application/json-patch+json, application/merge-patch+json, "
                           "application/apply-patch+yaml"),
            {}};
    auto parsed = patch::parseBody(patchJson);
    if (auto* error = std::get_if<ApiError>(&parsed))
        return *error;
    const QJsonValue body = std::get<QJsonValue>(parsed);
    if (!body.isObject())
        return patch::badRequest(
            QStringLiteral("json: cannot unmarshal array into Go value of type map[string]interface {}"));
    QJsonObject result = live;
    if (auto error = mergeObject(schema::rootType(kind), result, body.toObject()))
        return *error;
    return result;
}

} // namespace driftdeck::kubesim
