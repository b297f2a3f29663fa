#pragma once

// One cluster per test executable -- an in-process kubesim on its own thread, or the real control
// plane when DRIFTDECK_BACKEND=realkube (tests/common/clusterbackend.h) -- and kubectl (the
// referee) run against it. Each test works in its own namespace.

#include "clusterbackend.h"
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
        auto cluster = std::make_unique<driftdeck::test::TestCluster>();
        const Status started = cluster->start();
        ASSERT_TRUE(started.ok()) << started.error().toString().toStdString();
        s_cluster = std::move(cluster);
        s_kubeconfig = s_cluster->kubeconfigPath();
    }
    static void TearDownTestSuite() { s_cluster.reset(); }

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

    static inline std::unique_ptr<driftdeck::test::TestCluster> s_cluster;
    static inline QString s_kubeconfig;
    QString ns;
};

} // namespace driftdeck::kubesim::test
