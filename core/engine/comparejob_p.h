#pragma once

#include "diff/diffoptions.h"
#include "diff/pairing.h"
#include "engine/enginetypes.h"
#include "git/gittypes.h"
#include "kubeobj/object.h"
#include "manifest/desiredobject.h"
#include "model/appspec.h"

// The pure part of a comparison: what runs on the pool, from immutable inputs.
namespace driftdeck::engine {

diff::DiffOptions diffOptionsOf(const AppSpec& spec, const QString& fieldManager);

// What one resource's comparison started from, kept per application: the next comparison reuses
// the result when neither side changed (the same desired object, the same live uid, resourceVersion
// and apiVersion; the diff options come from the application's spec and the engine's settings, both
// fixed for the engine's life). A live event on one object then compares that object
// only, and an unchanged resource keeps its data shared from snapshot to snapshot, so whoever holds
// the previous snapshot (the UI) sees it unchanged without comparing its JSON.
struct CompareMemo {
    kubeobj::Object desired; // as pairing placed it; null for an Extra object
    QString liveUid;
    QString liveVersion;
    QString liveApiVersion; // a cache restarted at another served version reads the same object anew
    ResourceStatus status;
};
using CompareMemos = QHash<ResourceKey, CompareMemo>;

struct CompareInput {
    QList<kubeobj::Object> children; // owned live objects, parents first
    QList<kubeobj::Object> desired;
    QList<manifest::DesiredObject::Source> sources;
    QList<kubeobj::Object> live;
    diff::PairingOptions pairing;
    diff::DiffOptions options;
    CompareMemos memos;             // of the application's last comparison
    QList<ResourceStatus> previous; // the application's resources as last published
};

struct CompareOutput {
    QList<ChildStatus> children;
    QList<ResourceStatus> resources;
    SyncStatus sync = SyncStatus::Synced;
    health::Health health;
    QStringList warnings;
    CompareMemos memos;
    qsizetype reused = 0; // resources taken from a memo without comparing
    // Every resource as in `previous`, in the same order: the caller keeps the previous list (shared).
    bool resourcesUnchanged = false;
};

CompareOutput compare(const CompareInput& input);

} // namespace driftdeck::engine
