#pragma once

#include "kubeobj/fieldset.h"
#include "kubeobj/kindref.h"
#include "kubeobj/schema.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>

// metadata.managedFields: decoding and encoding the entries, and the typed walks over objects that
// compute field sets (what an apply sets, what an update changed). Used by recordUpdate() and
// serverSideApply().
namespace driftdeck::kubeobj::managed {

struct ManagerEntry {
    QString manager;
    QString operation; // "Apply" or "Update"
    QString apiVersion;
    QString time;
    QString subresource;
    FieldSet fields;

    // Who this entry belongs to, as the real server tells managers apart: Apply entries by manager
    // and subresource; Update entries also by apiVersion. Encoded like the server's JSON identifier
    // so that sorting by it orders multi-manager conflict messages the same way.
    QString identity() const;
    // `"name"`, `"name" using apps/v1` for Update entries, plus ` with subresource "status"`.
    QString printable() const;
};

QList<ManagerEntry> decode(const QJsonArray& managedFields);
// Sorted as the real server stores them: Apply before Update, then by time, manager, apiVersion.
QJsonArray encode(QList<ManagerEntry> entries);

// The schema type an object of `kind` is walked with: its root type, or free-form JSON.
const schema::Type* typeFor(const KindRef& kind);

// What an apply of `obj` sets: its leaves, list-map and set items, empty objects.
FieldSet toFieldSet(const schema::Type* type, const QJsonObject& obj);

struct Comparison {
    FieldSet added;    // every path present only in the new object
    FieldSet modified; // leaves (scalars, atomic lists and structs) whose value changed
    FieldSet removed;  // every path present only in the old object
    bool isEmpty() const { return added.isEmpty() && modified.isEmpty() && removed.isEmpty(); }
};
Comparison compare(const schema::Type* type, const QJsonObject& oldObj, const QJsonObject& newObj);

// The part of an object managedFields speak about: without apiVersion, kind and the server-owned
// metadata (name, namespace, uid, resourceVersion, generation, creationTimestamp, managedFields,
// ...); without status for a main-resource request on a kind with a status subresource; only status
// for a "status" request.
QJsonObject trackedPart(const KindRef& kind, const QJsonObject& obj, const QString& subresource);

// The value at `path` (fieldsV1 elements; list items found by key, value or index), or undefined.
QJsonValue valueAt(const QJsonObject& obj, const FieldSet::Path& path);
// Sets the value at `path` (undefined removes it); false when a container on the way is missing.
bool setPath(QJsonObject& obj, const FieldSet::Path& path, const QJsonValue& value);
// Removes the value at `path` (fieldsV1 elements) from obj; false when it is not there.
bool removePath(QJsonObject& obj, const FieldSet::Path& path);
// True when the value at `path` is an empty object or array.
bool isEmptyAt(const QJsonObject& obj, const FieldSet::Path& path);

} // namespace driftdeck::kubeobj::managed
