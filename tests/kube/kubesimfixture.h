#pragma once

// A kubesim cluster, a kubeconfig for it and small helpers, shared by the tests of the kube client
// against kubesim.
#include "kube/clusterclient.h"
#include "kube/kubeconfig.h"
#include "kubesim/simulatedcluster.h"

#include <QFuture>
#include <QJsonObject>
#include <QTemporaryDir>

#include <gtest/gtest.h>
#include <memory>

namespace driftdeck::kube::test {

extern const ResourceInfo kConfigMaps;
extern const ResourceInfo kSecrets;
extern const ResourceInfo kClusterRoles;

// Waits (30 s at most) for a reply; an empty reply when none came.
ApiReply wait(QFuture<ApiReply> future);
void writeFile(const QString& path, const QByteArray& content, bool executable = false);
QJsonObject configMap(const QString& name, const QString& value);

class KubesimTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;
    ConnectionSettings settings(const QString& context);
    ConnectionSettings viewerWithoutToken();

    QTemporaryDir dir;
    std::unique_ptr<kubesim::SimulatedCluster> cluster;
    QString kubeconfigPath;
    Kubeconfig config;
};

} // namespace driftdeck::kube::test
