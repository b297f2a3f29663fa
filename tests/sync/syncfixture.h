#pragma once

// A kubesim cluster (or, with DRIFTDECK_BACKEND=realkube, the real control plane:
// tests/common/clusterbackend.h) for the tests of the SyncRunner: a ClusterClient and Discovery on the admin
// context, a namespace of the test's own, and helpers to build plans the way the engine will
// (planSync over diffs) and to run them to the end.
#include "clusterbackend.h"
#include "kube/clusterclient.h"
#include "kube/discovery.h"
#include "sync/syncplan.h"
#include "sync/syncrunner.h"

#include <QJsonObject>
#include <QTemporaryDir>

#include <gtest/gtest.h>
#include <memory>

namespace driftdeck::sync::test {

extern const kube::ResourceInfo kConfigMaps;
extern const kube::ResourceInfo kDeployments;
extern const kube::ResourceInfo kSecrets;
extern const kube::ResourceInfo kPods;
extern const kube::ResourceInfo kNamespaces;

// The application the runs belong to. Not a name the engine's tests use ("shop", "blog"): on the
// shared real server an application sees the objects it tracks in every namespace.
inline const QString kApp = QStringLiteral("sync-runner-test");

class SyncRunnerTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    // Objects in this test's namespace. `annotations` go to metadata.annotations.
    QJsonObject configMap(const QString& name, const QJsonObject& data,
                          const QJsonObject& annotations = {}) const;
    QJsonObject deployment(const QString& name, const QString& image, const QJsonObject& annotations = {},
                           int progressDeadlineSeconds = 0) const;
    QJsonObject pod(const QString& name, const QString& image, const QJsonObject& annotations = {}) const;
    QJsonObject secret(const QString& name, const QJsonObject& data, const QJsonObject& stringData) const;
    static QJsonObject waveAnnotation(int wave);
    // The tracking annotation this application gives `object`.
    static QJsonObject trackedAnnotation(const QJsonObject& object, const QString& app = kApp);

    // A plan as the engine makes it: `create` are desired objects missing from the cluster, `update`
    // desired objects that drifted, `extra` live objects (read from the cluster) no longer desired.
    SyncPlan plan(const QList<QJsonObject>& create, const QList<QJsonObject>& update = {},
                  const QList<kubeobj::Object>& extra = {}, SyncOptions options = {}) const;

    std::unique_ptr<SyncRunner> runner(SyncOptions options = {}, SyncRunSettings settings = {});
    static SyncRunSettings healthSettings(int timeoutSeconds, int pollMs);
    // Starts (or resumes) and waits for finished(); progress reports are appended to `progress`.
    SyncResult run(SyncRunner& runner, const SyncPlan& plan, QList<SyncProgress>* progress = nullptr);
    SyncResult resume(SyncRunner& runner, const SyncState& state, QList<SyncProgress>* progress = nullptr);

    // Blocking reads and writes beside the runner (on the client's thread; this thread only waits).
    kube::ApiReply get(const kube::ResourceInfo& info, const QString& name, const QString& ns = {});
    kubeobj::Object live(const kube::ResourceInfo& info, const QString& name);
    bool exists(const kube::ResourceInfo& info, const QString& name);
    kube::ApiReply applyAs(const QString& manager, const kube::ResourceInfo& info, const QJsonObject& object);
    kube::ApiReply mergePatchAs(const QString& manager, const kube::ResourceInfo& info, const QString& name,
                                const QJsonObject& patch);

    // First line of a test that drives kubesim itself (faults, its `crashloop` image convention):
    // it fails, never passes vacuously, when a real-server run forgets to filter it out.
    bool requireKubesim() const;

    driftdeck::test::TestCluster backend;
    std::unique_ptr<kube::ClusterClient> client;
    std::unique_ptr<kube::Discovery> discovery;
    QTemporaryDir cacheDir;
    QString ns;
    // More namespaces this test created on the real server; TearDown deletes them with `ns`.
    QStringList extraNamespaces;

private:
    SyncResult waitForResult(SyncRunner& runner, QList<SyncProgress>* progress, bool started);
};

// Every progress message and current key, and every result message, manager and the state's JSON:
// the text a caller could show or store.
QString everythingSaid(const QList<SyncProgress>& progress, const SyncResult& result);

} // namespace driftdeck::sync::test
