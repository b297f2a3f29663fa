#include "kubeobj/managedfields.h"

#include <QJsonDocument>

#include <algorithm>

namespace driftdeck::kubeobj::managed {
namespace {

using schema::ListKind;
using schema::Shape;
using schema::Type;

using schema::isGranular;
using schema::isItemised;
using schema::orAny;

// The path element of a list item: by key for list-maps, by value for sets.
QString itemElement(const Type* list, const QJsonValue& item) {
    if (list->listKind == ListKind::Set)
        return FieldSet::valueElement(item);
    return FieldSet::keyElement(schema::listMapKey(list, item.toObject()));
}

// Fields that exist in the zero value of their Go type, so the real server never reports them as
// newly added by an Update: their entries carry no "." of their own.
bool alwaysPresent(const FieldSet::Path& path) {
    static const QSet<QString> names{
        QStringLiteral("f:metadata"),    QStringLiteral("f:spec"),       QStringLiteral("f:status"),
        QStringLiteral("f:template"),    QStringLiteral("f:strategy"),   QStringLiteral("f:updateStrategy"),
        QStringLiteral("f:jobTemplate"), QStringLiteral("f:containers"),
    };
    return !path.isEmpty() && names.contains(path.last());
}

void toFieldSetWalk(const Type* type, const QJsonValue& value, FieldSet::Path& path, FieldSet& out) {
    type = orAny(type);
    if (value.isObject() && isGranular(type)) {
        const QJsonObject obj = value.toObject();
        if (obj.isEmpty())
            out.insert(path);
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            path.append(FieldSet::fieldElement(it.key()));
            toFieldSetWalk(schema::childType(type, it.key()), it.value(), path, out);
            path.removeLast();
        }
        return;
    }
    if (value.isArray() && isItemised(type)) {
        const QJsonArray items = value.toArray();
        if (items.isEmpty())
            out.insert(path);
        for (const QJsonValue& item : items) {
            path.append(itemElement(type, item));
            out.insert(path);
            if (type->listKind == ListKind::Map)
                toFieldSetWalk(type->elem, item, path, out);
            path.removeLast();
        }
        return;
    }
    out.insert(path);
}

// Every node of a subtree (used for added and removed parts).
void allPaths(const Type* type, const QJsonValue& value, FieldSet::Path& path, FieldSet& out,
              bool skipPresent) {
    type = orAny(type);
    const bool hasChildren = (value.isObject() && isGranular(type) && !value.toObject().isEmpty()) ||
                             (value.isArray() && isItemised(type) && !value.toArray().isEmpty());
    if (!(skipPresent && hasChildren && alwaysPresent(path)))
        out.insert(path);
    if (value.isObject() && isGranular(type)) {
        const QJsonObject obj = value.toObject();
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            path.append(FieldSet::fieldElement(it.key()));
            allPaths(schema::childType(type, it.key()), it.value(), path, out, skipPresent);
            path.removeLast();
        }
    } else if (value.isArray() && isItemised(type)) {
        for (const QJsonValue& item : value.toArray()) {
            path.append(itemElement(type, item));
            if (type->listKind == ListKind::Map)
                allPaths(type->elem, item, path, out, skipPresent);
            else
                out.insert(path);
            path.removeLast();
        }
    }
}

void compareWalk(const Type* type, const QJsonValue& a, const QJsonValue& b, FieldSet::Path& path,
                 Comparison& out) {
    type = orAny(type);
    if (a.isUndefined() && b.isUndefined())
        return;
    if (a.isUndefined()) {
        allPaths(type, b, path, out.added, true);
        return;
    }
    if (b.isUndefined()) {
        allPaths(type, a, path, out.removed, false);
        return;
    }
    if (a.isObject() && b.isObject() && isGranular(type)) {
        const QJsonObject oa = a.toObject();
        const QJsonObject ob = b.toObject();
        QStringList keys = oa.keys() + ob.keys();
        keys.removeDuplicates();
        for (const QString& key : keys) {
            path.append(FieldSet::fieldElement(key));
            compareWalk(schema::childType(type, key), oa.value(key), ob.value(key), path, out);
            path.removeLast();
        }
        return;
    }
    if (a.isArray() && b.isArray() && isItemised(type)) {
        QMap<QString, QJsonValue> ia;
        QMap<QString, QJsonValue> ib;
        for (const QJsonValue& item : a.toArray())
            ia.insert(itemElement(type, item), item);
        for (const QJsonValue& item : b.toArray())
            ib.insert(itemElement(type, item), item);
        QStringList keys = ia.keys() + ib.keys();
        keys.removeDuplicates();
        const Type* elem = type->listKind == ListKind::Map ? type->elem : schema::anyType();
        for (const QString& key : keys) {
            path.append(key);
            compareWalk(elem, ia.value(key, QJsonValue(QJsonValue::Undefined)),
                        ib.value(key, QJsonValue(QJsonValue::Undefined)), path, out);
            path.removeLast();
        }
        return;
    }
    if (a != b)
        out.modified.insert(path);
}

bool keyMatches(const QJsonObject& item, const QJsonObject& key) {
    for (auto it = key.begin(); it != key.end(); ++it) {
        QJsonValue v = item.value(it.key());
        if (v.isUndefined() && it.key() == QLatin1String("protocol"))
            v = QStringLiteral("TCP");
        if (v != it.value())
            return false;
    }
    return true;
}

qsizetype findItem(const QJsonArray& items, const QString& element) {
    const QString body = element.mid(2);
    if (element.startsWith(QLatin1String("k:"))) {
        const QJsonObject key = QJsonDocument::fromJson(body.toUtf8()).object();
        if (key.isEmpty())
            return -1; // a malformed or empty key names no item (it would match every item)
        for (qsizetype i = 0; i < items.size(); ++i)
            if (items.at(i).isObject() && keyMatches(items.at(i).toObject(), key))
                return i;
    } else if (element.startsWith(QLatin1String("v:"))) {
        for (qsizetype i = 0; i < items.size(); ++i)
            if (FieldSet::valueElement(items.at(i)) == element)
                return i;
    } else if (element.startsWith(QLatin1String("i:"))) {
        bool ok = false;
        const qsizetype i = body.toLongLong(&ok);
        if (ok && i >= 0 && i < items.size())
            return i;
    }
    return -1;
}

bool setIn(QJsonValue& node, const FieldSet::Path& path, qsizetype at, const QJsonValue& value) {
    const QString& element = path.at(at);
    const bool last = at == path.size() - 1;
    if (element.startsWith(QLatin1String("f:"))) {
        if (!node.isObject())
            return false;
        QJsonObject obj = node.toObject();
        const QString name = element.mid(2);
        if (last) {
            if (value.isUndefined())
                obj.remove(name);
            else
                obj.insert(name, value);
        } else {
            QJsonValue child = obj.value(name);
            if (!setIn(child, path, at + 1, value))
                return false;
            obj.insert(name, child);
        }
        node = obj;
        return true;
    }
    if (!node.isArray())
        return false;
    QJsonArray items = node.toArray();
    const qsizetype i = findItem(items, element);
    if (i < 0) {
        if (!last || value.isUndefined())
            return false;
        items.append(value);
    } else if (last) {
        if (value.isUndefined())
            items.removeAt(i);
        else
            items.replace(i, value);
    } else {
        QJsonValue child = items.at(i);
        if (!setIn(child, path, at + 1, value))
            return false;
        items.replace(i, child);
    }
    node = items;
    return true;
}

QJsonValue valueAtPath(const QJsonValue& root, const FieldSet::Path& path) {
    QJsonValue node = root;
    for (const QString& element : path) {
        if (element.startsWith(QLatin1String("f:"))) {
            node = node.toObject().value(element.mid(2));
        } else {
            const QJsonArray items = node.toArray();
            const qsizetype i = findItem(items, element);
            if (i < 0)
                return QJsonValue(QJsonValue::Undefined);
            node = items.at(i);
        }
    }
    return node;
}

QString quoted(const QString& s) {
    return QLatin1Char('"') + s + QLatin1Char('"');
}

} // namespace

QString ManagerEntry::identity() const {
    // Same field order as the server's JSON identifier: manager, operation, apiVersion, subresource.
    QString id = QStringLiteral("{\"manager\":") + quoted(manager) + QStringLiteral(",\"operation\":") +
                 quoted(operation);
    if (operation != QLatin1String("Apply"))
        id += QStringLiteral(",\"apiVersion\":") + quoted(apiVersion);
    if (!subresource.isEmpty())
        id += QStringLiteral(",\"subresource\":") + quoted(subresource);
    return id + QLatin1Char('}');
}

QString ManagerEntry::printable() const {
    QString out = quoted(manager);
    if (!subresource.isEmpty())
        out += QStringLiteral(" with subresource ") + quoted(subresource);
    if (operation == QLatin1String("Update"))
        out += QStringLiteral(" using ") + apiVersion;
    return out;
}

QList<ManagerEntry> decode(const QJsonArray& managedFields) {
    QList<ManagerEntry> out;
    for (const QJsonValue& v : managedFields) {
        const QJsonObject o = v.toObject();
        ManagerEntry e;
        e.manager = o.value(QLatin1String("manager")).toString();
        e.operation = o.value(QLatin1String("operation")).toString();
        e.apiVersion = o.value(QLatin1String("apiVersion")).toString();
        e.time = o.value(QLatin1String("time")).toString();
        e.subresource = o.value(QLatin1String("subresource")).toString();
        e.fields = FieldSet::fromFieldsV1(o.value(QLatin1String("fieldsV1")).toObject());
        out.append(e);
    }
    return out;
}

QJsonArray encode(QList<ManagerEntry> entries) {
    std::stable_sort(entries.begin(), entries.end(), [](const ManagerEntry& p, const ManagerEntry& q) {
        if (p.operation != q.operation)
            return p.operation < q.operation;
        if (p.time != q.time)
            return p.time < q.time; // RFC 3339 UTC strings order like the instants they name
        if (p.manager != q.manager)
            return p.manager < q.manager;
        if (p.apiVersion != q.apiVersion)
            return p.apiVersion < q.apiVersion;
        return p.subresource < q.subresource;
    });
    QJsonArray out;
    for (const ManagerEntry& e : entries) {
        if (e.fields.isEmpty())
            continue;
        QJsonObject o{{QStringLiteral("manager"), e.manager},
                      {QStringLiteral("operation"), e.operation},
                      {QStringLiteral("apiVersion"), e.apiVersion},
                      {QStringLiteral("time"), e.time},
                      {QStringLiteral("fieldsType"), QStringLiteral("FieldsV1")},
                      {QStringLiteral("fieldsV1"), e.fields.toFieldsV1()}};
        if (!e.subresource.isEmpty())
            o.insert(QStringLiteral("subresource"), e.subresource);
        out.append(o);
    }
    return out;
}

const schema::Type* typeFor(const KindRef& kind) {
    if (!isBuiltinKind(kind))
        return schema::anyType();
    return orAny(schema::rootType(kind));
}

FieldSet toFieldSet(const schema::Type* type, const QJsonObject& obj) {
    FieldSet out;
    FieldSet::Path path;
    toFieldSetWalk(type, obj, path, out);
    return out;
}

Comparison compare(const schema::Type* type, const QJsonObject& oldObj, const QJsonObject& newObj) {
    Comparison out;
    FieldSet::Path path;
    compareWalk(type, oldObj, newObj, path, out);
    return out;
}

QJsonObject trackedPart(const KindRef& kind, const QJsonObject& obj, const QString& subresource) {
    if (subresource == QLatin1String("status"))
        return obj.contains(QLatin1String("status"))
                   ? QJsonObject{{QStringLiteral("status"), obj.value(QLatin1String("status"))}}
                   : QJsonObject();
    QJsonObject out = obj;
    out.remove(QStringLiteral("apiVersion"));
    out.remove(QStringLiteral("kind"));
    if (hasStatusSubresource(kind))
        out.remove(QStringLiteral("status"));
    QJsonObject meta = out.value(QLatin1String("metadata")).toObject();
    for (const char* name : {"name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
                             "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"})
        meta.remove(QLatin1String(name));
    if (meta.isEmpty())
        out.remove(QStringLiteral("metadata"));
    else
        out.insert(QStringLiteral("metadata"), meta);
    return out;
}

bool isEmptyAt(const QJsonObject& obj, const FieldSet::Path& path) {
    const QJsonValue v = valueAtPath(obj, path);
    return (v.isObject() && v.toObject().isEmpty()) || (v.isArray() && v.toArray().isEmpty());
}

QJsonValue valueAt(const QJsonObject& obj, const FieldSet::Path& path) {
    return valueAtPath(obj, path);
}

bool setPath(QJsonObject& obj, const FieldSet::Path& path, const QJsonValue& value) {
    if (path.isEmpty())
        return false;
    QJsonValue root = obj;
    if (!setIn(root, path, 0, value))
        return false;
    obj = root.toObject();
    return true;
}

bool removePath(QJsonObject& obj, const FieldSet::Path& path) {
    if (path.isEmpty())
        return false;
    if (valueAtPath(obj, path).isUndefined())
        return false;
    return setPath(obj, path, QJsonValue(QJsonValue::Undefined));
}

} // namespace driftdeck::kubeobj::managed
