#pragma once

#include "diff/diffoptions.h"
#include "kubeobj/object.h"

#include <QJsonValue>
#include <QList>
#include <QMetaType>
#include <QString>

// The drift of one object: desired state (from Git) against the live object (from a cluster).
//
// The question is "what would a sync change?", so the live object is compared with the object a
// server-side apply of desired state would leave: live, with every field desired state sets put in
// (list-maps merged by key, as apply does), and without the fields this application's managers own
// live (or kubectl's last-applied annotation lists) that desired state no longer sets. Everything
// else the server added (defaults, status, fields of other managers) stays on both sides, so it is
// never drift. Values are compared as the API compares them: quantities by value, int-or-string
// numbers either way, null, absent and empty alike; Secret values only as keyed hashes.
namespace driftdeck::diff {

struct FieldChange {
    enum class Type {
        Changed, // both sides have a value, and they differ
        Missing, // desired sets it, live lacks it
        Extra,   // live has it, a sync would remove it
    };
    Type type = Type::Changed;
    QString pointer;    // RFC 6901, indexes as in the live object where it has the item
    QJsonValue desired; // undefined for Extra
    QJsonValue live;    // undefined for Missing
    bool operator==(const FieldChange&) const = default;
};

struct ObjectDiff {
    enum class State {
        Synced,    // nothing a sync would change
        OutOfSync, // changes lists what
        Missing,   // desired, not live
        Extra,     // live and tracked by the application, no longer desired (a prune candidate)
    };
    State state = State::Synced;
    ResourceKey key;
    QList<FieldChange> changes;
    // What the two sides of a side-by-side view show: both without server-set metadata and status,
    // Secrets masked. `desired` is the live object as a sync would leave it (desired state itself
    // when the object is missing); either may be null (Missing, Extra).
    kubeobj::Object desired;
    kubeobj::Object live;

    bool hasDrift() const { return state != State::Synced; }
};

QString stateName(ObjectDiff::State state);
QString changeTypeName(FieldChange::Type type);

// Compares one pair; either side may be null (Missing, Extra).
ObjectDiff compareObjects(const kubeobj::Object& desired, const kubeobj::Object& live,
                          const DiffOptions& options = {});

// The same comparison when the server itself said what a sync would leave: `dryRun` is the answer
// to a server-side apply with dryRun=All (the server-side diff mode, for custom resources with
// defaults and for mutating webhooks, which no client can predict).
ObjectDiff compareServerSide(const kubeobj::Object& dryRun, const kubeobj::Object& live,
                             const DiffOptions& options = {});

// The object without what the server sets (uid, resourceVersion, generation, creationTimestamp,
// managedFields, selfLink, status, the last-applied and tracking annotations) and nulls; a Secret
// masked. What the side-by-side view shows of a live object.
QJsonObject normalizedForDisplay(const QJsonObject& object, const SecretMasker& masker);

} // namespace driftdeck::diff

Q_DECLARE_METATYPE(driftdeck::diff::ObjectDiff)
