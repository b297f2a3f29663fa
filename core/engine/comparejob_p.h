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

struct CompareInput {
    QList<kubeobj::Object> children; // owned live objects, parents first
    QList<kubeobj::Object> desired;
    QList<manifest::DesiredObject::Source> sources;
    QList<kubeobj::Object> live;
    diff::PairingOptions pairing;
    diff::DiffOptions options;
};

struct CompareOutput {
    QList<ChildStatus> children;
    QList<ResourceStatus> resources;
    SyncStatus sync = SyncStatus::Synced;
    health::Health health;
    QStringList warnings;
};

CompareOutput compare(const CompareInput& input);

} // namespace driftdeck::engine
