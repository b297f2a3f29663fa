#pragma once

#include "diff/sidebyside.h"
#include "kubeobj/object.h"

#include <QJsonArray>
#include <QList>

// Who wrote each line of a live object: the side-by-side view's provenance gutter for the live side.
namespace driftdeck::diff {

// For each line of `shown.yamlLines()` (the live object as the diff shows it), the field manager,
// operation and time of the managedFields entry that owns the field on that line (an Apply entry
// before an Update one; the newest when several apply alike). Lines of parents nobody owns as a
// whole (`spec:`) and of objects without managedFields have a null owner. `managedFields` comes from
// the full live object (the shown one has them stripped).
QList<LineOwner> lineOwners(const kubeobj::Object& shown, const QJsonArray& managedFields);

} // namespace driftdeck::diff
