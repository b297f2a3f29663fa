#pragma once

// A fleet for engine tests: kubesim clusters started in the process — or, with
// DRIFTDECK_BACKEND=realkube, the one real control plane (tests/common/clusterbackend.h) — one Git
// repository (a bare "remote" and a working clone, tests/git/gittestrepo.h) holding the
// applications, a kubeconfig with a context per cluster (plus, when asked, one whose server never
// answers), and the workspace tying them together. On the real server the applications go to a
// namespace of the test's own (created by start(), deleted with the fleet), so tests sharing it
// never see each other's objects. Everything else lives in temporary directories;
// nothing of the user's is read.
#include "clusterbackend.h"
#include "engine/engine.h"
#include "gittestrepo.h"
#include "kube/clusterclient.h"
#include "kubesim/simulatedcluster.h"
#include "workspace/workspace.h"

#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace driftdeck::engine::test {

// The objects of the application `name` as writeApp writes them (JSON, which is YAML).
QList<QJsonObject> appObjects(const QString& name, const QString& value, int replicas = 2);

class TestFleet {
public:
    // Starts `clusters` kubesim clusters named c0, c1, ..., or on the real control plane attaches
    // cluster c0 to it (more than one cluster fails there: there is one real server). Creates the
    // test's namespace on every cluster. `withUnreachable` adds cluster "dead" (127.0.0.1:1) on both
    // backends.
    bool start(int clusters, bool withUnreachable = false);
    ~TestFleet();
    // The in-process kubesim of cluster `index`; null on the real control plane.
    kubesim::SimulatedCluster* cluster(int index) const;
    QString kubeconfigPath() const { return m_kubeconfig; }
    // The test's namespace, the applications' destination (AppSpec.ns): default on a kubesim of the
    // test's own, a unique one on the shared real server.
    QString ns() const { return m_ns; }
    // /api/v1/namespaces/<ns>/<rest> and /apis/apps/v1/namespaces/<ns>/<rest> in the test's namespace.
    QString corePath(const QString& rest) const;
    QString appsPath(const QString& rest) const;
    // First line of a test that needs kubesim itself (faults, its store, several clusters): such a
    // test fails, never passes vacuously, when a real-server run forgets to filter it out.
    bool requireKubesim() const;
    driftdeck::test::GitTestRepo& repo() { return m_repo; }

    // Writes apps/<name>/ with a Deployment, a Service and a ConfigMap (value `value`).
    void writeApp(const QString& name, const QString& value, int replicas = 2);
    AppSpec appSpec(const QString& name, const QString& cluster) const;
    workspace::Workspace workspace(const QList<AppSpec>& apps) const;
    EngineSettings settings() const;

    // A client for cluster `index` (admin), for tests that edit live state behind the engine.
    kube::ClusterClient* client(int index);

private:
    bool createNamespace();

    driftdeck::test::GitTestRepo m_repo;
    QTemporaryDir m_dir;
    driftdeck::test::TestCluster m_real; // attached on the real control plane only
    std::vector<std::unique_ptr<kubesim::SimulatedCluster>> m_clusters;
    QStringList m_names;    // c0, c1, ...
    QStringList m_contexts; // their kubeconfig contexts
    QString m_ns;
    std::vector<std::unique_ptr<kube::ClusterClient>> m_clients;
    QString m_kubeconfig;
    bool m_unreachable = false;
};

// Waits (bounded) until the engine's snapshot satisfies `done`.
bool waitForSnapshot(const Engine& engine, const std::function<bool(const FleetSnapshot&)>& done,
                     std::chrono::milliseconds timeout = std::chrono::seconds(20));

// Applies `object` to the cluster as `manager` (server-side apply, forced).
bool applyAs(kube::ClusterClient* client, const QJsonObject& object, const QString& manager);

} // namespace driftdeck::engine::test
