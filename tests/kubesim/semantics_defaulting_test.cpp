// Server-side defaults. Golden files under tests/data/kubesim/defaults hold the defaulted form of
// corpus objects; DRIFTDECK_REGENERATE_GOLDEN=1 rewrites them (review the diff before committing).

#include "jsontestsupport.h"
#include "kubesim/semantics.h"
#include "testsupport.h"
#include "yaml/yamlcodec.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::kubesim;

namespace {

using driftdeck::test::at;
using driftdeck::test::json;

QJsonObject defaulted(QJsonObject obj) {
    applyDefaults(KindRef::fromObject(obj), obj);
    return obj;
}

struct GoldenCase {
    const char* corpusFile; // under the shared corpus
    const char* golden;     // under tests/data/kubesim/defaults
};

const GoldenCase kGolden[] = {
    {"argocd-example-apps/guestbook/guestbook-ui-deployment.yaml", "guestbook-ui-deployment.json"},
    {"argocd-example-apps/guestbook/guestbook-ui-svc.yaml", "guestbook-ui-svc.json"},
    {"argocd-example-apps/pre-post-sync/pre-sync-job.yaml", "pre-sync-job.json"},
    {"podinfo/kustomize/deployment.yaml", "podinfo-deployment.json"},
    {"podinfo/kustomize/service.yaml", "podinfo-service.json"},
    {"podinfo/deploy/bases/database/statefulset-primary.yaml", "podinfo-database-statefulset.json"},
    {"podinfo/deploy/bases/database/cronjob-backup-daily.yaml", "podinfo-database-cronjob.json"},
    {"podinfo/deploy/bases/database/pvc-primary.yaml", "podinfo-database-pvc.json"},
    {"podinfo/deploy/overlays/dev/namespace.yaml", "podinfo-dev-namespace.json"},
};

} // namespace

TEST(SemanticsDefaulting, CorpusObjectsMatchTheirGoldenFiles) {
    const bool regenerate = qEnvironmentVariableIsSet("DRIFTDECK_REGENERATE_GOLDEN");
    for (const GoldenCase& c : kGolden) {
        SCOPED_TRACE(c.corpusFile);
        const QString input =
            test::sharedDir().filePath(QStringLiteral("corpus/") + QString::fromLatin1(c.corpusFile));
        auto docs = yaml::parseStream(test::readFile(input), input);
        ASSERT_TRUE(docs.ok()) << docs.error().toString().toStdString();
        ASSERT_FALSE(docs->isEmpty());
        QJsonObject obj = docs->first().value.toObject();
        // The server assigns the uid before defaulting; the job selector is built from it.
        QJsonObject meta = obj.value(QLatin1String("metadata")).toObject();
        meta.insert(QStringLiteral("uid"), QStringLiteral("0b5a1c2e-1111-4222-8333-444455556666"));
        obj.insert(QStringLiteral("metadata"), meta);
        const QJsonObject out = defaulted(obj);

        const QString goldenPath = test::sourceDir().filePath(QStringLiteral("tests/data/kubesim/defaults/") +
                                                              QString::fromLatin1(c.golden));
        if (regenerate) {
            QFile f(goldenPath);
            ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QJsonDocument(out).toJson(QJsonDocument::Indented));
            continue;
        }
        const QJsonObject expected = QJsonDocument::fromJson(test::readFile(goldenPath)).object();
        ASSERT_FALSE(expected.isEmpty()) << "missing golden file " << goldenPath.toStdString();
        EXPECT_EQ(out, expected) << QJsonDocument(out).toJson().toStdString();
        EXPECT_EQ(defaulted(out), out) << "defaulting must be idempotent";
    }
}

TEST(SemanticsDefaulting, ImagePullPolicyFollowsTheTag) {
    const QJsonObject pod = defaulted(json(R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
      "spec": {"containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "nginx:latest"},
        {"name": "c", "image": "nginx:1.25"}, {"name": "d", "image": "localhost:5000/app"},
        {"name": "e", "image": "repo/app@sha256:abcd"}, {"name": "f", "image": "x:1", "imagePullPolicy": "Never"}]}})"));
    const char* expected[] = {"Always", "Always", "IfNotPresent", "Always", "IfNotPresent", "Never"};
    for (int i = 0; i < 6; ++i)
        EXPECT_EQ(at(pod, "spec", "containers", i, "imagePullPolicy").toString(),
                  QString::fromLatin1(expected[i]))
            << i;
    // Pods (not templates) also get what admission adds.
    EXPECT_EQ(at(pod, "spec", "serviceAccountName").toString(), QStringLiteral("default"));
    EXPECT_EQ(at(pod, "spec", "tolerations").toArray().size(), 2);
    EXPECT_EQ(at(pod, "spec", "enableServiceLinks").toBool(), true);
}

TEST(SemanticsDefaulting, UserValuesAreKept) {
    const QJsonObject d =
        defaulted(json(R"({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
      "spec": {"replicas": 0, "strategy": {"type": "Recreate"}, "template": {"spec": {"restartPolicy": "Always",
      "dnsPolicy": "Default", "containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 53, "protocol": "UDP"}]}]}}}})"));
    EXPECT_EQ(at(d, "spec", "replicas").toInt(-1), 0);
    EXPECT_EQ(at(d, "spec", "strategy").toObject(),
              json(R"({"type": "Recreate"})")); // no rollingUpdate for Recreate
    EXPECT_EQ(at(d, "spec", "template", "spec", "dnsPolicy").toString(), QStringLiteral("Default"));
    EXPECT_EQ(at(d, "spec", "template", "spec", "containers", 0, "ports", 0, "protocol").toString(),
              QStringLiteral("UDP"));
}

TEST(SemanticsDefaulting, SecretStringDataIsFoldedIntoData) {
    const QJsonObject s = defaulted(json(R"({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
      "data": {"kept": "eA=="}, "stringData": {"password": "hunter2"}})"));
    EXPECT_FALSE(s.contains(QStringLiteral("stringData")));
    EXPECT_EQ(at(s, "data").toObject(), json(R"({"kept": "eA==", "password": "aHVudGVyMg=="})"));
    EXPECT_EQ(at(s, "type").toString(), QStringLiteral("Opaque"));
}

TEST(SemanticsDefaulting, ServiceTypesGetTheirPolicies) {
    const QJsonObject lb =
        defaulted(json(R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
      "spec": {"type": "LoadBalancer", "ports": [{"port": 80, "targetPort": "http"}, {"port": 443}]}})"));
    EXPECT_EQ(at(lb, "spec", "externalTrafficPolicy").toString(), QStringLiteral("Cluster"));
    EXPECT_EQ(at(lb, "spec", "allocateLoadBalancerNodePorts").toBool(), true);
    EXPECT_EQ(at(lb, "spec", "ports", 0, "targetPort").toString(), QStringLiteral("http"));
    EXPECT_EQ(at(lb, "spec", "ports", 1, "targetPort").toInt(), 443);
    const QJsonObject ext =
        defaulted(json(R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "e"},
      "spec": {"type": "ExternalName", "externalName": "example.com"}})"));
    EXPECT_FALSE(at(ext, "spec").toObject().contains(QStringLiteral("ipFamilies")));
}

TEST(SemanticsDefaulting, CustomKindsAreLeftAlone) {
    const QJsonObject in = json(
        R"({"apiVersion": "example.com/v1", "kind": "Deployment", "metadata": {"name": "x"}, "spec": {}})");
    EXPECT_EQ(defaulted(in), in);
}

TEST(SemanticsServiceAllocation, ClusterIPsAndNodePorts) {
    ServiceAddressAllocator allocator;
    QJsonObject a = json(
        R"({"metadata": {"name": "a"}, "spec": {"type": "NodePort", "ports": [{"port": 80}, {"port": 81, "nodePort": 30001}]}})");
    ASSERT_FALSE(allocator.allocate(a).has_value());
    const QString ip = at(a, "spec", "clusterIP").toString();
    EXPECT_TRUE(ip.startsWith(QStringLiteral("10.9"))) << ip.toStdString(); // inside 10.96.0.0/12
    EXPECT_EQ(at(a, "spec", "clusterIPs").toArray(), QJsonArray{ip});
    const int first = at(a, "spec", "ports", 0, "nodePort").toInt();
    EXPECT_GE(first, 30000);
    EXPECT_LE(first, 32767);
    EXPECT_NE(first, 30001);

    // A requested port or address that is taken is 422 and reserves nothing.
    QJsonObject b = json(
        R"({"metadata": {"name": "b"}, "spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30001}]}})");
    const auto e = allocator.allocate(b);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code, 422);
    EXPECT_EQ(e->message,
              QStringLiteral("Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: 30001: "
                             "provided port is already allocated"));
    QJsonObject c = json(R"({"metadata": {"name": "c"}, "spec": {"clusterIP": "10.96.0.1"}})");
    ASSERT_FALSE(allocator.allocate(c).has_value()); // the kubernetes Service's address, when asked for
    QJsonObject d = json(R"({"metadata": {"name": "d"}, "spec": {"clusterIP": "10.96.0.1"}})");
    EXPECT_EQ(allocator.allocate(d)->code, 422);
    QJsonObject outside = json(R"({"metadata": {"name": "o"}, "spec": {"clusterIP": "192.168.0.1"}})");
    EXPECT_EQ(allocator.allocate(outside)->code, 422);

    // Updating keeps what the stored version holds; releasing frees it.
    QJsonObject again = a;
    ASSERT_FALSE(allocator.allocate(again, a).has_value());
    EXPECT_EQ(again, a);
    allocator.release(a);
    ASSERT_FALSE(allocator.allocate(b).has_value());
    EXPECT_EQ(at(b, "spec", "ports", 0, "nodePort").toInt(), 30001);

    QJsonObject headless = json(R"({"metadata": {"name": "h"}, "spec": {"clusterIP": "None"}})");
    ASSERT_FALSE(allocator.allocate(headless).has_value());
    EXPECT_EQ(at(headless, "spec", "clusterIPs").toArray(), QJsonArray{QStringLiteral("None")});
}

TEST(SemanticsServiceAllocation, ChangingBackToClusterIPReleasesNodePorts) {
    ServiceAddressAllocator allocator;
    QJsonObject np = json(
        R"({"metadata": {"name": "a"}, "spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}})");
    ASSERT_FALSE(allocator.allocate(np).has_value());
    QJsonObject back = np;
    back.insert(QStringLiteral("spec"), json(R"({"type": "ClusterIP", "ports": [{"port": 80}]})"));
    ASSERT_FALSE(allocator.allocate(back, np).has_value());
    EXPECT_EQ(at(back, "spec", "clusterIP"), at(np, "spec", "clusterIP")); // the address stays
    QJsonObject other = json(
        R"({"metadata": {"name": "b"}, "spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}})");
    EXPECT_FALSE(allocator.allocate(other).has_value()); // 30080 is free again
}
