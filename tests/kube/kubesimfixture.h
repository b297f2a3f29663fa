#pragma once

// The cluster the tests of the kube client talk to, and small helpers. By default an in-process
// kubesim; with DRIFTDECK_BACKEND=realkube the real control plane (tests/common/clusterbackend.h),
// where the ctest realkube.kube_kubesim filters out the tests that drive kubesim itself
// (tests/realkube/README.md). Each test works in a namespace of its own.
#include "clusterbackend.h"
#include "kube/clusterclient.h"
#include "kube/kubeconfig.h"
#include "kubesim/simulatedcluster.h"

#include <QFuture>
#include <QJsonObject>
#include <QTemporaryDir>

#include <gtest/gtest.h>

namespace driftdeck::kube::test {

extern const ResourceInfo kConfigMaps;
extern const ResourceInfo kSecrets;
extern const ResourceInfo kClusterRoles;

// Waits (30 s at most) for a reply; an empty reply when none came.
ApiReply wait(QFuture<ApiReply> future);
void writeFile(const QString& path, const QByteArray& content, bool executable = false);
QJsonObject configMap(const QString& name, const QString& value,
                      const QString& ns = QStringLiteral("default"));

// One fixture class for every TEST_F(KubesimTest, ...) in every file, as gtest requires.
class KubesimTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;
    ConnectionSettings settings(const QString& context);
    // The admin context (client certificate) and the viewer context (token, read-only).
    QString adminContext() const { return backend.adminContext(); }
    QString viewerContext() const { return backend.viewerContext(); }
    QByteArray viewerToken();
    ConnectionSettings viewerWithoutToken();
    // A ConfigMap in this test's namespace, and /api/v1/namespaces/<that namespace>/<rest>.
    QJsonObject cm(const QString& name, const QString& value) const;
    QString nsPath(const QString& rest) const;
    // First line of a test that injects kubesim's faults or fills its store: such a test fails
    // (never passes vacuously) when a real-server run forgets to filter it out.
    bool requireKubesim() const;

    driftdeck::test::TestCluster backend;
    kubesim::SimulatedCluster* cluster = nullptr; // the in-process kubesim; null on the real server
    QString testNamespace;
    QTemporaryDir dir;
    QString kubeconfigPath;
    Kubeconfig config;
};

} // namespace driftdeck::kube::test
