#pragma once

// A fleet for engine tests: kubesim clusters started in the process, one Git repository (a bare
// "remote" and a working clone, tests/git/gittestrepo.h) holding the applications, a kubeconfig
// with a context per cluster (plus, when asked, one whose server never answers), and the workspace
// tying them together. Everything lives in temporary directories; nothing of the user's is read.
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
    // Starts `clusters` kubesim clusters named c0, c1, ... (the first with `options`' faults).
    bool start(int clusters, bool withUnreachable = false);
    kubesim::SimulatedCluster* cluster(int index) const { return m_clusters[size_t(index)].get(); }
    QString kubeconfigPath() const { return m_kubeconfig; }
    driftdeck::test::GitTestRepo& repo() { return m_repo; }

    // Writes apps/<name>/ with a Deployment, a Service and a ConfigMap (value `value`).
    void writeApp(const QString& name, const QString& value, int replicas = 2);
    AppSpec appSpec(const QString& name, const QString& cluster) const;
    workspace::Workspace workspace(const QList<AppSpec>& apps) const;
    EngineSettings settings() const;

    // A client for cluster `index` (admin), for tests that edit live state behind the engine.
    kube::ClusterClient* client(int index);

private:
    driftdeck::test::GitTestRepo m_repo;
    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<kubesim::SimulatedCluster>> m_clusters;
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
