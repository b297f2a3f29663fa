#pragma once

// One kubesim per test executable, on its own thread, and kubectl (the referee) run against it with
// a kubeconfig in a temporary directory. Each test works in its own namespace.

#include "kubesim/simulatedcluster.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <gtest/gtest.h>
#include <memory>

namespace driftdeck::kubesim::test {

class KubectlTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (driftdeck::test::kubectlPath().isEmpty())
            return;
        s_dir = std::make_unique<QTemporaryDir>();
        s_cluster = std::make_unique<SimulatedCluster>();
        ASSERT_TRUE(s_cluster->start().ok());
        s_kubeconfig = s_dir->filePath(QStringLiteral("kubeconfig"));
        QFile file(s_kubeconfig);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(kubeconfigYaml({s_cluster.get()}));
    }
    static void TearDownTestSuite() {
        s_cluster.reset();
        s_dir.reset();
    }

    void SetUp() override {
        DRIFTDECK_REQUIRE_KUBECTL();
        ASSERT_TRUE(s_cluster);
        const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
        ns = QString::fromLatin1(info->name())
                 .toLower()
                 .replace(QRegularExpression(QStringLiteral("[^a-z0-9]")), QStringLiteral("-"));
        const auto created = kubectl(
            {QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")},
            QStringLiteral("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %1\n").arg(ns).toUtf8());
        ASSERT_EQ(created.exitCode, 0) << created.err.constData();
    }

    static driftdeck::test::ProcessResult
    kubectl(const QStringList& args, const QByteArray& input = {},
            std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
        return driftdeck::test::runProcess(driftdeck::test::kubectlPath(),
                                           QStringList{QStringLiteral("--kubeconfig"), s_kubeconfig} + args,
                                           input, timeout);
    }
    // kubectl ... -n <this test's namespace>
    driftdeck::test::ProcessResult
    kubectlNs(const QStringList& args, const QByteArray& input = {},
              std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        return kubectl(args + QStringList{QStringLiteral("-n"), ns}, input, timeout);
    }

    static QString corpus(const QString& relative) {
        return driftdeck::test::sharedDir().filePath(QStringLiteral("corpus/") + relative);
    }

    static inline std::unique_ptr<QTemporaryDir> s_dir;
    static inline std::unique_ptr<SimulatedCluster> s_cluster;
    static inline QString s_kubeconfig;
    QString ns;
};

} // namespace driftdeck::kubesim::test
