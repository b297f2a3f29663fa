#pragma once

#include "kubeobj/kindref.h"

#include <QHash>
#include <QString>
#include <QStringList>

// A compact schema of the built-in kinds: the field names each type knows and how its lists merge.
// One description drives field validation (unknown fields), strategic merge (patch merge keys) and
// server-side apply (list-map keys, sets, atomic values), so the three cannot disagree.
namespace driftdeck::kubeobj::schema {

enum class Shape {
    Scalar, // string, number, bool, int-or-string, quantity: a leaf
    Any,    // free-form JSON: not validated; objects granular, lists atomic
    Struct, // named fields, known by the schema
    Map,    // string keys, values of `elem` (labels, data, resources' limits)
    List,
};
enum class ListKind { Atomic, Map, Set };

struct Type {
    Shape shape = Shape::Any;
    QString name;               // Struct: the named type whose fields apply
    bool atomic = false;        // Struct: replaced as a whole by apply (LabelSelector)
    const Type* elem = nullptr; // Map and List: element type
    ListKind listKind = ListKind::Atomic;
    QStringList keys; // ListKind::Map: the list-map keys; the first is the strategic merge key

    // The type of `field` in a Struct, or nullptr when the schema does not know it. Any gives Any.
    const Type* field(const QString& field) const;
};

// The root type of a built-in kind, or nullptr (custom kinds, built-in kinds without a schema).
const Type* rootType(const KindRef& kind);
// Free-form JSON: used below unknown parts and for custom kinds.
const Type* anyType();
// `type`, or anyType() when it is null.
const Type* orAny(const Type* type);

// Objects walked field by field: everything but scalars, lists and atomic structs.
bool isGranular(const Type* type);
// Lists whose items are tracked one by one (list-maps and sets).
bool isItemised(const Type* type);

// The type of a child of `parent` reached by an object key (Struct field or Map value).
const Type* childType(const Type* parent, const QString& key);

// The key of a list-map item: the key fields of `item` as a JSON object, with the defaults the real
// server assumes for missing key fields (protocol "TCP"). Empty when a key field is missing.
QJsonObject listMapKey(const Type* list, const QJsonObject& item);

} // namespace driftdeck::kubeobj::schema
