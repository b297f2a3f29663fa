#include "diff/drift.h"

#include "diff/quantity.h"
#include "kubeobj/applymerge.h"
#include "kubeobj/defaulting.h"
#include "kubeobj/kindref.h"
#include "kubeobj/managedfields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSet>

#include <algorithm>

namespace driftdeck::diff {
namespace {

using kubeobj::FieldSet;
namespace schema = kubeobj::schema;
namespace managed = kubeobj::managed;
using schema::ListKind;
using schema::Shape;
using schema::Type;

const QLatin1String kLastApplied("kubectl.kubernetes.io/last-applied-configuration");
const QLatin1String kTrackingId("driftdeck.io/tracking-id");

bool isEmptyValue(const QJsonValue& v) {
    return v.isUndefined() || v.isNull() || (v.isArray() && v.toArray().isEmpty()) ||
           (v.isObject() && v.toObject().isEmpty());
}

// The value without null members, and whether anything was removed. Most objects have none: they
// are returned as they are (shared, no copy), and only the subtrees that hold a null are rebuilt.
QJsonValue withoutNulls(const QJsonValue& value, bool* changed) {
    *changed = false;
    if (value.isObject()) {
        const QJsonObject in = value.toObject();
        QJsonObject out = in;
        for (auto it = in.begin(); it != in.end(); ++it) {
            if (it.value().isNull()) {
                out.remove(it.key());
                *changed = true;
                continue;
            }
            if (!it.value().isObject() && !it.value().isArray())
                continue;
            bool below = false;
            const QJsonValue cleaned = withoutNulls(it.value(), &below);
            if (below) {
                out.insert(it.key(), cleaned);
                *changed = true;
            }
        }
        return *changed ? QJsonValue(out) : value;
    }
    if (value.isArray()) {
        const QJsonArray in = value.toArray();
        QJsonArray out = in;
        for (qsizetype i = 0; i < in.size(); ++i) {
            const QJsonValue item = in.at(i);
            if (!item.isObject() && !item.isArray())
                continue; // a null item stays: a list keeps its length
            bool below = false;
            const QJsonValue cleaned = withoutNulls(item, &below);
            if (below) {
                out.replace(i, cleaned);
                *changed = true;
            }
        }
        return *changed ? QJsonValue(out) : value;
    }
    return value;
}

QJsonValue withoutNulls(const QJsonValue& value) {
    bool changed = false;
    return withoutNulls(value, &changed);
}

QJsonValue withoutEmpties(const QJsonValue& value) {
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject in = value.toObject();
        for (auto it = in.begin(); it != in.end(); ++it) {
            const QJsonValue child = withoutEmpties(it.value());
            if (!isEmptyValue(child))
                out.insert(it.key(), child);
        }
        return out;
    }
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue& item : value.toArray())
            out.append(withoutEmpties(item));
        return out;
    }
    return value;
}

// What the server sets and what is never compared.
QJsonObject stripped(QJsonObject obj) {
    obj.remove(QStringLiteral("status"));
    QJsonObject meta = obj.value(QLatin1String("metadata")).toObject();
    for (const char* name : {"uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
                             "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"})
        meta.remove(QLatin1String(name));
    QJsonObject annotations = meta.value(QLatin1String("annotations")).toObject();
    annotations.remove(kLastApplied);
    annotations.remove(kTrackingId);
    // A null annotation is no annotation (nulls go later; an emptied map must go here).
    for (auto it = annotations.begin(); it != annotations.end();)
        it = it.value().isNull() ? annotations.erase(it) : it + 1;
    if (annotations.isEmpty())
        meta.remove(QStringLiteral("annotations"));
    else
        meta.insert(QStringLiteral("annotations"), annotations);
    obj.insert(QStringLiteral("metadata"), meta);
    return obj;
}

// ---- the object a sync would leave -------------------------------------------------------------

QString itemKey(const Type* list, const QJsonValue& item) {
    return kubeobj::listItemElement(list, item);
}

// What an apply of `desired` leaves: live with desired's fields put in (list-maps and sets merged by
// item). A value the apply replaces whole (a scalar, an atomic list or struct, a new list item) is
// then defaulted by the server, so it is taken from `defaulted`, desired state after the API
// server's defaulting: `fieldRef: {fieldPath: x}` reads back with `apiVersion: v1`.
QJsonValue predictedValue(const Type* type, const QJsonValue& live, const QJsonValue& desired,
                          const QJsonValue& defaulted) {
    type = schema::orAny(type);
    if (desired.isObject() && live.isObject() && schema::isGranular(type)) {
        QJsonObject out = live.toObject();
        const QJsonObject d = desired.toObject();
        const QJsonObject dd = defaulted.toObject();
        for (auto it = d.begin(); it != d.end(); ++it)
            out.insert(it.key(), predictedValue(schema::childType(type, it.key()), out.value(it.key()),
                                                it.value(), dd.value(it.key())));
        return out;
    }
    if (desired.isArray() && live.isArray() && schema::isItemised(type)) {
        QJsonArray out = live.toArray();
        const QJsonArray d = desired.toArray();
        const QJsonArray dd = defaulted.toArray();
        const bool aligned = dd.size() == d.size(); // defaulting never adds or drops list items
        QHash<QString, qsizetype> index;
        for (qsizetype i = 0; i < out.size(); ++i)
            index.insert(itemKey(type, out.at(i)), i);
        for (qsizetype i = 0; i < d.size(); ++i) {
            const QJsonValue item = d.at(i);
            const QJsonValue itemDefaulted = aligned ? dd.at(i) : item;
            const QString key = itemKey(type, item);
            const auto found = index.constFind(key);
            if (found == index.cend()) {
                index.insert(key, out.size());
                out.append(itemDefaulted);
            } else if (type->listKind == ListKind::Map) {
                out.replace(*found, predictedValue(type->elem, out.at(*found), item, itemDefaulted));
            }
        }
        return out;
    }
    return defaulted.isUndefined() ? desired : defaulted;
}

// Fields a sync would remove: applied before by one of our managers (or listed in kubectl's
// last-applied annotation) and no longer set by desired state. A field another manager also owns
// stays after an apply, so it is not removed (the last-applied rule is kubectl's three-way patch,
// which removes regardless).
QList<FieldSet::Path> removals(const kubeobj::KindRef& kind, const Type* type, const QJsonObject& desired,
                               const QJsonObject& live, const DiffOptions& options) {
    const FieldSet set = managed::toFieldSet(type, managed::trackedPart(kind, desired, {}));
    FieldSet ours;
    FieldSet others;
    const auto entries = managed::decode(
        live.value(QLatin1String("metadata")).toObject().value(QLatin1String("managedFields")).toArray());
    const QString ownManager = options.managers.value(0);
    for (const managed::ManagerEntry& entry : entries) {
        // An apply removes only what the applier's own Apply entry owns; the managers an application
        // names besides ours (tools it replaces, such as argocd-controller) may have used Update.
        const bool isOurs = entry.subresource.isEmpty() &&
                            ((entry.manager == ownManager && entry.operation == QLatin1String("Apply")) ||
                             (entry.manager != ownManager && options.managers.contains(entry.manager)));
        if (isOurs)
            ours = ours.united(entry.fields);
        else
            others = others.united(entry.fields);
    }
    // Still set when desired state sets it, something below it, or an atomic value holding it.
    const auto stillSet = [&set](const FieldSet::Path& path) {
        return set.containsPrefix(path) || set.containsAtomicAncestor(path);
    };
    QList<FieldSet::Path> out;
    for (const FieldSet::Path& path : ours.paths())
        if (!stillSet(path) && !others.containsPrefix(path) && !others.containsAtomicAncestor(path))
            out.append(path);

    const QString lastApplied = live.value(QLatin1String("metadata"))
                                    .toObject()
                                    .value(QLatin1String("annotations"))
                                    .toObject()
                                    .value(kLastApplied)
                                    .toString();
    if (!lastApplied.isEmpty() && lastApplied.size() < 4 * 1024 * 1024) {
        // kubectl writes `annotations: {}` when the last-applied one was the only annotation: an
        // empty map or list applied owns nothing, so empties are dropped before taking the fields.
        const QJsonObject previous =
            withoutEmpties(QJsonDocument::fromJson(lastApplied.toUtf8()).object()).toObject();
        const FieldSet applied = managed::toFieldSet(type, managed::trackedPart(kind, previous, {}));
        for (const FieldSet::Path& path : applied.paths())
            if (!stillSet(path))
                out.append(path);
    }
    // Parents first, so a removed parent makes its children's removal a no-op.
    std::stable_sort(out.begin(), out.end(),
                     [](const FieldSet::Path& a, const FieldSet::Path& b) { return a.size() < b.size(); });
    return out;
}

bool underIgnoredMetadata(const FieldSet::Path& path) {
    if (path.isEmpty() || path.first() == QLatin1String("f:status"))
        return true;
    return path.size() >= 3 && path.at(0) == QLatin1String("f:metadata") &&
           path.at(1) == QLatin1String("f:annotations") &&
           (path.at(2) == QLatin1String("f:") + kTrackingId ||
            path.at(2) == QLatin1String("f:") + kLastApplied);
}

// ---- comparison --------------------------------------------------------------------------------

QString escapePointer(const QString& token) {
    QString out = token;
    out.replace(QLatin1Char('~'), QLatin1String("~0"));
    out.replace(QLatin1Char('/'), QLatin1String("~1"));
    return out;
}

// Quantity fields of the built-in kinds, by the map or field that holds them: resources' limits and
// requests, ResourceQuota hard, node capacity, LimitRange items, HPA metric targets, emptyDir.
bool isQuantityField(const QString& parentKey, const QString& key) {
    static const QSet<QString> parents{QStringLiteral("limits"),
                                       QStringLiteral("requests"),
                                       QStringLiteral("hard"),
                                       QStringLiteral("capacity"),
                                       QStringLiteral("allocatable"),
                                       QStringLiteral("overhead"),
                                       QStringLiteral("default"),
                                       QStringLiteral("defaultRequest"),
                                       QStringLiteral("max"),
                                       QStringLiteral("min"),
                                       QStringLiteral("maxLimitRequestRatio")};
    if (parents.contains(parentKey) || key == QLatin1String("sizeLimit"))
        return true;
    return parentKey == QLatin1String("target") &&
           (key == QLatin1String("averageValue") || key == QLatin1String("value"));
}

// Zero values of Go fields without a pointer are dropped by the server (omitempty): `hostNetwork:
// false` or `value: ""` in Git never reads back, and that is not drift.
bool isZeroScalar(const QJsonValue& v) {
    return (v.isBool() && !v.toBool()) || (v.isDouble() && v.toDouble() == 0.0) ||
           (v.isString() && v.toString().isEmpty());
}

QString scalarText(const QJsonValue& v) {
    if (v.isString())
        return v.toString();
    if (v.isDouble()) // the shortest spelling that reads back: 0.1, as the API parses the JSON text
        return QString::number(v.toDouble(), 'g', QLocale::FloatingPointShortest);
    return {};
}

bool scalarsEqual(bool builtin, const QString& parentKey, const QString& key, const QJsonValue& a,
                  const QJsonValue& b) {
    if (a == b)
        return true;
    // Only the built-in kinds' quantity fields are known: a custom resource's "limits" may hold
    // version strings ("1.10" is not "1.1").
    return builtin && (a.isString() || a.isDouble()) && (b.isString() || b.isDouble()) &&
           isQuantityField(parentKey, key) && quantitiesEqual(scalarText(a), scalarText(b));
}

struct Walker {
    QList<FieldChange>& out;
    bool builtin = true;

    void value(const Type* type, const QString& parentKey, const QString& key, const QJsonValue& d,
               const QJsonValue& l, const QString& pointer, bool membersOnly = false) {
        type = schema::orAny(type);
        const bool dEmpty = !membersOnly && isEmptyValue(d);
        const bool lEmpty = !membersOnly && isEmptyValue(l);
        if (dEmpty && lEmpty)
            return;
        // Against an empty side, objects and keyed lists are compared member by member, so each
        // change names its own field or item.
        if (dEmpty != lEmpty) {
            const QJsonValue& full = dEmpty ? l : d;
            if (full.isObject()) {
                const QJsonValue empty = QJsonObject();
                value(type, parentKey, key, dEmpty ? empty : d, dEmpty ? l : empty, pointer, true);
                return;
            }
            if (full.isArray() && schema::isItemised(type)) {
                array(type, key, dEmpty ? QJsonArray() : d.toArray(), dEmpty ? l.toArray() : QJsonArray(),
                      pointer);
                return;
            }
        }
        if (lEmpty) {
            if (isZeroScalar(d) && (l.isUndefined() || l.isNull()))
                return;
            out.append({FieldChange::Type::Missing, pointer, d, QJsonValue(QJsonValue::Undefined)});
            return;
        }
        if (dEmpty) {
            out.append({FieldChange::Type::Extra, pointer, QJsonValue(QJsonValue::Undefined), l});
            return;
        }
        if (d.isObject() && l.isObject()) {
            const QJsonObject od = d.toObject();
            const QJsonObject ol = l.toObject();
            QStringList keys = od.keys() + ol.keys();
            std::sort(keys.begin(), keys.end());
            keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
            for (const QString& k : keys)
                value(schema::childType(type, k), key, k, od.value(k), ol.value(k),
                      pointer + QLatin1Char('/') + escapePointer(k));
            return;
        }
        if (d.isArray() && l.isArray()) {
            array(type, key, d.toArray(), l.toArray(), pointer);
            return;
        }
        if (!scalarsEqual(builtin, parentKey, key, d, l))
            out.append({FieldChange::Type::Changed, pointer, d, l});
    }

    void array(const Type* type, const QString& key, const QJsonArray& d, const QJsonArray& l,
               const QString& pointer) {
        if (schema::isItemised(type)) {
            QHash<QString, qsizetype> liveIndex;
            for (qsizetype i = 0; i < l.size(); ++i)
                liveIndex.insert(itemKey(type, l.at(i)), i);
            QSet<qsizetype> matched;
            for (qsizetype i = 0; i < d.size(); ++i) {
                const QString k = itemKey(type, d.at(i));
                const auto found = k.isEmpty() ? liveIndex.cend() : liveIndex.constFind(k);
                if (found == liveIndex.cend()) {
                    out.append({FieldChange::Type::Missing, pointer + QLatin1Char('/') + QString::number(i),
                                d.at(i), QJsonValue(QJsonValue::Undefined)});
                    continue;
                }
                matched.insert(*found);
                if (type->listKind == ListKind::Map)
                    value(type->elem, key, QString(), d.at(i), l.at(*found),
                          pointer + QLatin1Char('/') + QString::number(*found));
            }
            for (qsizetype i = 0; i < l.size(); ++i)
                if (!matched.contains(i))
                    out.append({FieldChange::Type::Extra, pointer + QLatin1Char('/') + QString::number(i),
                                QJsonValue(QJsonValue::Undefined), l.at(i)});
            return;
        }
        // Atomic list: item by item when the lengths agree, else the list as a whole.
        if (d.size() != l.size()) {
            out.append({FieldChange::Type::Changed, pointer, d, l});
            return;
        }
        const Type* elem = type->shape == Shape::List && type->elem ? type->elem : schema::anyType();
        for (qsizetype i = 0; i < d.size(); ++i)
            value(elem, key, QString(), d.at(i), l.at(i), pointer + QLatin1Char('/') + QString::number(i));
    }
};

// ---- ignoreDifferences -------------------------------------------------------------------------

QStringList pointerTokens(const QString& pointer) {
    QStringList tokens = pointer.split(QLatin1Char('/'));
    if (!tokens.isEmpty())
        tokens.removeFirst(); // before the leading '/'
    for (QString& t : tokens) {
        t.replace(QLatin1String("~1"), QLatin1String("/"));
        t.replace(QLatin1String("~0"), QLatin1String("~"));
    }
    return tokens;
}

QJsonValue removeAtPointer(const QJsonValue& node, const QStringList& tokens, qsizetype at) {
    if (at >= tokens.size())
        return node;
    const QString& token = tokens.at(at);
    const bool last = at == tokens.size() - 1;
    if (node.isObject()) {
        QJsonObject obj = node.toObject();
        if (!obj.contains(token))
            return node;
        if (last)
            obj.remove(token);
        else
            obj.insert(token, removeAtPointer(obj.value(token), tokens, at + 1));
        return obj;
    }
    if (node.isArray()) {
        QJsonArray arr = node.toArray();
        bool ok = false;
        const qsizetype i = token.toLongLong(&ok);
        if (!ok || i < 0 || i >= arr.size())
            return node;
        if (last)
            arr.removeAt(i);
        else
            arr.replace(i, removeAtPointer(arr.at(i), tokens, at + 1));
        return arr;
    }
    return node;
}

// ignoreDifferences, then the comparison of what a sync would leave (`predicted`) with live.
void finishComparison(const Type* type, QJsonObject predicted, const QJsonObject& liveShown,
                      const kubeobj::Object& live, const DiffOptions& options, ObjectDiff& result) {
    QJsonObject liveCompared = liveShown;
    const QString group = live.key().group;
    for (const IgnoreRule& rule : options.ignore) {
        if (!rule.matches(group, result.key.kind, live.key().ns, result.key.name))
            continue;
        for (const QString& pointer : rule.jsonPointers) {
            const QStringList tokens = pointerTokens(pointer);
            predicted = removeAtPointer(predicted, tokens, 0).toObject();
            liveCompared = removeAtPointer(liveCompared, tokens, 0).toObject();
        }
        if (rule.managedFieldsManagers.isEmpty())
            continue;
        const auto entries = managed::decode(live.json()
                                                 .value(QLatin1String("metadata"))
                                                 .toObject()
                                                 .value(QLatin1String("managedFields"))
                                                 .toArray());
        for (const managed::ManagerEntry& entry : entries) {
            if (!rule.managedFieldsManagers.contains(entry.manager))
                continue;
            // Only what the manager owns itself: its leaves, never a parent map it merely added to.
            for (const FieldSet::Path& path : entry.fields.paths())
                if (!entry.fields.hasMembersBelow(path))
                    managed::setPath(predicted, path, managed::valueAt(liveCompared, path));
        }
    }

    Walker walker{result.changes, kubeobj::isBuiltinKind(kubeobj::KindRef::fromObject(live.json()))};
    walker.value(type, QString(), QString(), predicted, liveCompared, QString());
    result.state = result.changes.isEmpty() ? ObjectDiff::State::Synced : ObjectDiff::State::OutOfSync;
    result.desired = kubeobj::Object::fromTrustedJson(predicted);
    // Both sides without what the ignore rules leave out, so the text diff agrees with `changes`.
    result.live = kubeobj::Object::fromTrustedJson(liveCompared);
}

} // namespace

bool IgnoreRule::matches(const QString& objGroup, const QString& objKind, const QString& objNs,
                         const QString& objName) const {
    const auto fits = [](const QString& rule, const QString& value) {
        return rule == QLatin1String("*") || rule == value;
    };
    return fits(group, objGroup) && fits(kind, objKind) && (name.isEmpty() || name == objName) &&
           (ns.isEmpty() || ns == objNs);
}

QString stateName(ObjectDiff::State state) {
    switch (state) {
    case ObjectDiff::State::Synced:
        return QStringLiteral("Synced");
    case ObjectDiff::State::OutOfSync:
        return QStringLiteral("OutOfSync");
    case ObjectDiff::State::Missing:
        return QStringLiteral("Missing");
    case ObjectDiff::State::Extra:
        return QStringLiteral("Extra");
    }
    return {};
}

QString changeTypeName(FieldChange::Type type) {
    switch (type) {
    case FieldChange::Type::Changed:
        return QStringLiteral("changed");
    case FieldChange::Type::Missing:
        return QStringLiteral("missing");
    case FieldChange::Type::Extra:
        return QStringLiteral("extra");
    }
    return {};
}

QJsonObject normalizedForDisplay(const QJsonObject& object, const SecretMasker& masker) {
    // Stripped first: managedFields and status, the bulk of a live object, are never scanned.
    return withoutNulls(stripped(masker.maskSecret(object))).toObject();
}

ObjectDiff compareObjects(const kubeobj::Object& desired, const kubeobj::Object& live,
                          const DiffOptions& options) {
    ObjectDiff result;
    result.key = desired.isNull() ? live.key() : desired.key();
    const SecretMasker& masker = *options.masker;
    if (live.isNull()) {
        result.state = ObjectDiff::State::Missing;
        result.desired = kubeobj::Object::fromTrustedJson(normalizedForDisplay(desired.json(), masker));
        return result;
    }
    const QJsonObject liveShown = normalizedForDisplay(live.json(), masker);
    result.live = kubeobj::Object::fromTrustedJson(liveShown);
    if (desired.isNull()) {
        result.state = ObjectDiff::State::Extra;
        return result;
    }

    const kubeobj::KindRef kind = kubeobj::KindRef::fromObject(desired.json());
    const Type* type = managed::typeFor(kind);
    // Desired state as a sync would send it: Secrets folded and masked, nulls gone, and the namespace
    // the live object has (pairing matched them; a cluster-scoped kind has none).
    QJsonObject want = normalizedForDisplay(desired.json(), masker);
    {
        QJsonObject meta = want.value(QLatin1String("metadata")).toObject();
        const QString liveNs = live.key().ns;
        if (liveNs.isEmpty())
            meta.remove(QStringLiteral("namespace"));
        else
            meta.insert(QStringLiteral("namespace"), liveNs);
        want.insert(QStringLiteral("metadata"), meta);
    }

    QJsonObject defaulted = want;
    kubeobj::applyDefaults(kind, defaulted);
    QJsonObject predicted = predictedValue(type, liveShown, want, defaulted).toObject();
    // Removals are computed on the unmasked objects' keys only: masking keeps every key.
    for (const FieldSet::Path& path :
         removals(kind, type, masker.maskSecret(desired.json()), live.json(), options)) {
        if (!underIgnoredMetadata(path))
            managed::removePath(predicted, path);
    }

    finishComparison(type, predicted, liveShown, live, options, result);
    return result;
}

ObjectDiff compareServerSide(const kubeobj::Object& dryRun, const kubeobj::Object& live,
                             const DiffOptions& options) {
    ObjectDiff result;
    result.key = dryRun.isNull() ? live.key() : dryRun.key();
    const SecretMasker& masker = *options.masker;
    if (live.isNull()) {
        result.state = ObjectDiff::State::Missing;
        result.desired = kubeobj::Object::fromTrustedJson(normalizedForDisplay(dryRun.json(), masker));
        return result;
    }
    const QJsonObject liveShown = normalizedForDisplay(live.json(), masker);
    result.live = kubeobj::Object::fromTrustedJson(liveShown);
    if (dryRun.isNull()) {
        result.state = ObjectDiff::State::Extra;
        return result;
    }
    const Type* type = managed::typeFor(kubeobj::KindRef::fromObject(dryRun.json()));
    finishComparison(type, normalizedForDisplay(dryRun.json(), masker), liveShown, live, options, result);
    return result;
}

} // namespace driftdeck::diff
