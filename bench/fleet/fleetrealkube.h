#pragma once

// The fleet on a real control plane (tests/realkube/launch.sh runs bench_fleet inside its network):
// one real server, so one cluster of A applications. kubesim's stores cannot be reached there, so
// the server is seeded over its API with what a sync by Driftdeck leaves: each application's
// namespace, then every object server-side applied by the field manager "driftdeck" with the
// tracking annotation (sync::appliedObject). Seeding is not what is measured.

#include "fleetfixture.h"

#include <QJsonObject>
#include <QString>

#include <chrono>

namespace driftdeck::bench {

// Seeds cluster 0 of `shape` on the server of `context` in `kubeconfig`, then waits (within
// `timeout`) until the controllers and kwok have rolled out every Deployment, so the measured
// phases do not share the server with that rollout. Returns figures (server_version,
// seed_objects, seed_apply_s, seed_deployments_available, seed_rollout_s) or "error".
QJsonObject seedRealCluster(const FleetShape& shape, const QString& kubeconfig, const QString& context,
                            std::chrono::seconds timeout);

} // namespace driftdeck::bench
