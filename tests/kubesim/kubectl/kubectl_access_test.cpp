#include "kubectlfixture.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace driftdeck::kubesim::test;
using driftdeck::test::waitUntil;

namespace {

class KubectlAccessTest : public KubectlTest {};

TEST_F(KubectlAccessTest, ViewerIsDeniedWrites) {
    const auto create =
        kubectlNs({QStringLiteral("--user"), QStringLiteral("viewer"), QStringLiteral("create"),
                   QStringLiteral("configmap"), QStringLiteral("x")});
    EXPECT_NE(create.exitCode, 0);
    EXPECT_TRUE(
        create.err.contains(QStringLiteral("configmaps is forbidden: User \"viewer\" cannot create resource "
                                           "\"configmaps\" in API group \"\" in the namespace \"%1\"")
                                .arg(ns)
                                .toUtf8()))
        << create.err.constData();
    const auto apply = kubectlNs({QStringLiteral("--user"), QStringLiteral("viewer"), QStringLiteral("apply"),
                                  QStringLiteral("--server-side"), QStringLiteral("-f"), QStringLiteral("-")},
                                 "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-y\n");
    EXPECT_NE(apply.exitCode, 0);
    EXPECT_TRUE(apply.err.contains("configmaps \"cm-y\" is forbidden: User \"viewer\" cannot patch resource"))
        << apply.err.constData();
    const auto read = kubectlNs({QStringLiteral("--user"), QStringLiteral("viewer"), QStringLiteral("get"),
                                 QStringLiteral("configmaps")});
    EXPECT_EQ(read.exitCode, 0) << read.err.constData();
}

TEST_F(KubectlAccessTest, WatchSeesEventsWithinBoundedTime) {
    ASSERT_EQ(kubectlNs({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")},
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n")
                  .exitCode,
              0);
    QProcess watcher;
    watcher.start(driftdeck::test::kubectlPath(),
                  {QStringLiteral("--kubeconfig"), s_kubeconfig, QStringLiteral("-n"), ns,
                   QStringLiteral("get"), QStringLiteral("configmaps"), QStringLiteral("--watch"),
                   QStringLiteral("--output-watch-events")});
    QByteArray seen;
    auto sees = [&](const char* text) {
        return waitUntil(
            [&]() {
                seen += watcher.readAllStandardOutput();
                return seen.contains(text);
            },
            std::chrono::seconds(20));
    };
    EXPECT_TRUE(sees("first")) << seen.constData();
    ASSERT_EQ(kubectlNs({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")},
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second\n")
                  .exitCode,
              0);
    EXPECT_TRUE(sees("second")) << seen.constData();
    EXPECT_TRUE(seen.contains("ADDED"));
    watcher.kill();
    watcher.waitForFinished(5000);
}

TEST_F(KubectlAccessTest, TypedCreateCommandsWork) {
    // These send protobuf bodies.
    const auto ns2 =
        kubectl({QStringLiteral("create"), QStringLiteral("namespace"), ns + QStringLiteral("-typed")});
    ASSERT_EQ(ns2.exitCode, 0) << ns2.err.constData();
    EXPECT_TRUE(ns2.out.contains("created"));
    const auto cm =
        kubectlNs({QStringLiteral("create"), QStringLiteral("configmap"), QStringLiteral("settings"),
                   QStringLiteral("--from-literal=mode=fast"), QStringLiteral("--from-literal=size=3")});
    ASSERT_EQ(cm.exitCode, 0) << cm.err.constData();
    const auto secret =
        kubectlNs({QStringLiteral("create"), QStringLiteral("secret"), QStringLiteral("generic"),
                   QStringLiteral("creds"), QStringLiteral("--from-literal=user=me")});
    ASSERT_EQ(secret.exitCode, 0) << secret.err.constData();
    const auto mode =
        kubectlNs({QStringLiteral("get"), QStringLiteral("configmap"), QStringLiteral("settings"),
                   QStringLiteral("-o"), QStringLiteral("jsonpath={.data.mode}")});
    EXPECT_EQ(mode.out, "fast");
    const auto user = kubectlNs({QStringLiteral("get"), QStringLiteral("secret"), QStringLiteral("creds"),
                                 QStringLiteral("-o"), QStringLiteral("jsonpath={.data.user}")});
    EXPECT_EQ(QByteArray::fromBase64(user.out), "me");
    const auto removed =
        kubectl({QStringLiteral("delete"), QStringLiteral("namespace"), ns + QStringLiteral("-typed")});
    EXPECT_EQ(removed.exitCode, 0) << removed.err.constData();
}

TEST_F(KubectlAccessTest, FieldValidationStrictRejectsUnknownFields) {
    const auto applied = kubectlNs(
        {QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")},
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  foo: 1\n  ports:\n  - port: 80\n");
    EXPECT_NE(applied.exitCode, 0);
    EXPECT_TRUE(
        applied.err.contains("Service in version \"v1\" cannot be handled as a Service: strict decoding "
                             "error: unknown field \"spec.foo\""))
        << applied.err.constData();
}

TEST_F(KubectlAccessTest, NewNamespaceGetsTheRootCaConfigMapAndTheDefaultServiceAccount) {
    // kube-controller-manager's publishers; listing a namespace shows them on a real cluster.
    auto names = [&]() {
        return kubectlNs({QStringLiteral("get"), QStringLiteral("configmaps,serviceaccounts"),
                          QStringLiteral("-o"), QStringLiteral("name")})
            .out;
    };
    EXPECT_TRUE(waitUntil(
        [&]() {
            const QByteArray out = names();
            return out.contains("configmap/kube-root-ca.crt") && out.contains("serviceaccount/default");
        },
        std::chrono::seconds(20)))
        << names().constData();
    const auto ca =
        kubectlNs({QStringLiteral("get"), QStringLiteral("configmap"), QStringLiteral("kube-root-ca.crt"),
                   QStringLiteral("-o"), QStringLiteral("jsonpath={.data.ca\\.crt}")});
    EXPECT_TRUE(ca.out.startsWith("-----BEGIN CERTIFICATE-----")) << ca.out.constData() << ca.err.constData();
    // Deleted, it comes back.
    ASSERT_EQ(
        kubectlNs({QStringLiteral("delete"), QStringLiteral("serviceaccount"), QStringLiteral("default")})
            .exitCode,
        0);
    EXPECT_TRUE(
        waitUntil([&]() { return names().contains("serviceaccount/default"); }, std::chrono::seconds(20)));
}

TEST_F(KubectlAccessTest, TypedCreateLeavesUnsetFieldsOut) {
    // kubectl create sends protobuf, where an unset string is an empty one.
    const auto created =
        kubectl({QStringLiteral("create"), QStringLiteral("namespace"), ns + QStringLiteral("-proto")});
    ASSERT_EQ(created.exitCode, 0) << created.err.constData();
    const auto got = kubectl({QStringLiteral("get"), QStringLiteral("namespace"),
                              ns + QStringLiteral("-proto"), QStringLiteral("-o"), QStringLiteral("json")});
    ASSERT_EQ(got.exitCode, 0) << got.err.constData();
    const QJsonObject meta =
        QJsonDocument::fromJson(got.out).object().value(QStringLiteral("metadata")).toObject();
    EXPECT_FALSE(meta.contains(QStringLiteral("generateName"))) << got.out.constData();
    EXPECT_EQ(meta.value(QStringLiteral("name")).toString(), ns + QStringLiteral("-proto"));
    EXPECT_EQ(kubectl({QStringLiteral("delete"), QStringLiteral("namespace"), ns + QStringLiteral("-proto"),
                       QStringLiteral("--wait=false")})
                  .exitCode,
              0);
}

TEST_F(KubectlAccessTest, DeleteCascadesToReplicaSetsAndPods) {
    ASSERT_EQ(
        kubectlNs({QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("-f"),
                   corpus(QStringLiteral("argocd-example-apps/guestbook/guestbook-ui-deployment.yaml"))})
            .exitCode,
        0);
    auto names = [&](const char* kind) {
        return kubectlNs({QStringLiteral("get"), QString::fromLatin1(kind), QStringLiteral("-o"),
                          QStringLiteral("name")})
            .out.trimmed();
    };
    const bool controllersRan =
        waitUntil([&]() { return !names("pods").isEmpty(); }, std::chrono::seconds(20));
    ASSERT_TRUE(controllersRan) << "no Pods appeared: the Deployment and ReplicaSet controllers did not run";
    EXPECT_FALSE(names("replicasets").isEmpty());
    const auto removed =
        kubectlNs({QStringLiteral("delete"), QStringLiteral("deployment"), QStringLiteral("guestbook-ui")});
    ASSERT_EQ(removed.exitCode, 0) << removed.err.constData();
    EXPECT_TRUE(waitUntil([&]() { return names("replicasets").isEmpty() && names("pods").isEmpty(); },
                          std::chrono::seconds(20)));
}

TEST_F(KubectlAccessTest, RolloutStatusCompletes) {
    ASSERT_EQ(
        kubectlNs({QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("-f"),
                   corpus(QStringLiteral("argocd-example-apps/guestbook/guestbook-ui-deployment.yaml"))})
            .exitCode,
        0);
    const auto status =
        kubectlNs({QStringLiteral("rollout"), QStringLiteral("status"),
                   QStringLiteral("deployment/guestbook-ui"), QStringLiteral("--timeout=60s")},
                  {}, std::chrono::seconds(90));
    EXPECT_EQ(status.exitCode, 0) << status.out.constData() << status.err.constData();
    EXPECT_TRUE(status.out.contains("successfully rolled out")) << status.out.constData();
}

} // namespace
