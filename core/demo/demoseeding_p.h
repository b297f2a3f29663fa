#pragma once

#include "demo/demofleet.h"
#include "kubeobj/object.h"
#include "model/appspec.h"
#include "model/error.h"

#include <QHash>
#include <QList>
#include <QString>

namespace driftdeck::kubesim {
class SimulatedCluster;
}

// The live side of the demo: desired state applied as Driftdeck would apply it, then the drift.
namespace driftdeck::demo::detail {

struct AppDesired {
    AppSpec app;
    QList<kubeobj::Object> objects; // in their destination namespace, with the tracking annotation
};

// Renders every application at its revision with the renderers the engine uses (core/manifest).
Result<QList<AppDesired>> renderApplications(const QString& repositoryPath, const QList<AppSpec>& apps);

using Clusters = QHash<QString, kubesim::SimulatedCluster*>;

// Creates the applications' namespaces and applies their desired state (server-side apply as field
// manager "driftdeck", through kubesim's own apply semantics), then seeds one drift of each kind.
// Returns what was seeded.
Result<QList<SeededDrift>> seedFleet(const Clusters& clusters, const QList<AppDesired>& desired,
                                     const QString& badCommitSummary);

// The self-heal drift alone (also part of seedFleet): a hand edit of the automated application.
Result<SeededDrift> seedSelfHealDrift(const Clusters& clusters);

} // namespace driftdeck::demo::detail
