#pragma once

#include "kubeobj/schema.h"

#include <QJsonValue>
#include <QString>

namespace driftdeck::kubeobj {

// What server-side apply does to the values (not the ownership): live.Merge(config). Config wins for
// leaves; objects merge field by field and a null in config removes the field; list-maps and sets
// merge by item (live order kept, new items appended); atomic lists and structs are replaced.
QJsonValue applyMerge(const schema::Type* type, const QJsonValue& live, const QJsonValue& config);

// The fieldsV1 element naming a list item: "k:{...}" for list-maps, "v:..." for sets.
QString listItemElement(const schema::Type* list, const QJsonValue& item);

} // namespace driftdeck::kubeobj
