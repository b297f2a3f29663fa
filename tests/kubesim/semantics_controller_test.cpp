// Controllers and the garbage collector against the ObjectStore directly (no HTTP): names, labels,
// owner references and the status fields clients read.

#include "jsontestsupport.h"
#include "kubesim/controller.h"
#include "kubesim/garbagecollector.h"
#include "kubesim/objectstore.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::kubesim;
using namespace std::chrono_literals;

namespace {

using driftdeck::test::at;
using driftdeck::test::json;

QString conditionReason(const QJsonObject& obj, const char* type, QString* status = nullptr) {
    for (const QJsonValue& c : at(obj, "status", "conditions").toArray()) {
        if (c.toObject().value(QLatin1String("type")).toString() == QLatin1String(type)) {
            if (status)
                *status = c.toObject().value(QLatin1String("status")).toString();
            return c.toObject().value(QLatin1String("reason")).toString();
        }
    }
    return {};
}

class ControllerTest : public ::testing::Test {
protected:
    ControllerTest()
        : controllers(store, ControllerOptions{50ms, 50ms, QStringLiteral("kubesim-node"), {}})
        , gc(store) {}

    ResourceType type(const char* group, const char* kind) {
        return *store.registry().findKind(QString::fromLatin1(group), QString::fromLatin1(kind));
    }
    QJsonObject create(const char* group, const char* kind, const QJsonObject& obj) {
        auto r =
            store.create(type(group, kind), obj,
                         WriteOptions{QStringLiteral("kubectl-create"), false, {}, QStringLiteral("Update")});
        if (const auto* e = std::get_if<ApiError>(&r)) {
            ADD_FAILURE() << e->message.toStdString();
            return {};
        }
        return std::get<QJsonObject>(r);
    }
    std::optional<QJsonObject> get(const char* group, const char* kind, const QString& name) {
        return store.get(type(group, kind), QStringLiteral("default"), name);
    }
    QList<QJsonObject> list(const char* group, const char* kind) {
        return store.list(type(group, kind), QStringLiteral("default"));
    }
    QJsonObject deploymentReady(const QString& name) {
        QJsonObject d;
        EXPECT_TRUE(test::waitUntil([&] {
            d = *get("apps", "Deployment", name);
            return at(d, "status", "observedGeneration").toInt() == at(d, "metadata", "generation").toInt() &&
                   conditionReason(d, "Progressing") == QLatin1String("NewReplicaSetAvailable");
        })) << QJsonDocument(d).toJson().toStdString();
        return d;
    }

    ObjectStore store;
    ClusterControllers controllers;
    GarbageCollector gc;
};

const char* kDeployment = R"({"apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "namespace": "default"},
  "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
    "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}}}})";

} // namespace

TEST_F(ControllerTest, DeploymentBecomesAvailableThroughAReplicaSetAndPods) {
    create("apps", "Deployment", json(kDeployment));
    const QJsonObject d = deploymentReady(QStringLiteral("web"));
    EXPECT_EQ(at(d, "status", "replicas").toInt(), 2);
    EXPECT_EQ(at(d, "status", "updatedReplicas").toInt(), 2);
    EXPECT_EQ(at(d, "status", "readyReplicas").toInt(), 2);
    EXPECT_EQ(at(d, "status", "availableReplicas").toInt(), 2);
    QString status;
    EXPECT_EQ(conditionReason(d, "Available", &status), QStringLiteral("MinimumReplicasAvailable"));
    EXPECT_EQ(status, QStringLiteral("True"));
    EXPECT_EQ(at(d, "metadata", "annotations", "deployment.kubernetes.io/revision").toString(),
              QStringLiteral("1"));

    const QList<QJsonObject> sets = list("apps", "ReplicaSet");
    ASSERT_EQ(sets.size(), 1);
    const QJsonObject rs = sets.first();
    const QString hash = at(rs, "metadata", "labels", "pod-template-hash").toString();
    EXPECT_FALSE(hash.isEmpty());
    EXPECT_EQ(at(rs, "metadata", "name").toString(), QStringLiteral("web-") + hash);
    EXPECT_EQ(at(rs, "spec", "selector", "matchLabels", "pod-template-hash").toString(), hash);
    EXPECT_EQ(at(rs, "metadata", "ownerReferences", 0, "kind").toString(), QStringLiteral("Deployment"));
    EXPECT_EQ(at(rs, "metadata", "ownerReferences", 0, "uid"), at(d, "metadata", "uid"));
    EXPECT_TRUE(at(rs, "metadata", "ownerReferences", 0, "controller").toBool());
    EXPECT_TRUE(at(rs, "metadata", "ownerReferences", 0, "blockOwnerDeletion").toBool());

    const QList<QJsonObject> pods = list("", "Pod");
    ASSERT_EQ(pods.size(), 2);
    for (const QJsonObject& pod : pods) {
        const QString name = at(pod, "metadata", "name").toString();
        EXPECT_TRUE(name.startsWith(at(rs, "metadata", "name").toString() + QLatin1Char('-')));
        EXPECT_EQ(name.size(), at(rs, "metadata", "name").toString().size() + 6);
        EXPECT_EQ(at(pod, "status", "phase").toString(), QStringLiteral("Running"));
        EXPECT_EQ(at(pod, "spec", "nodeName").toString(), QStringLiteral("kubesim-node"));
        EXPECT_TRUE(at(pod, "status", "containerStatuses", 0, "ready").toBool());
        EXPECT_EQ(at(pod, "metadata", "labels", "pod-template-hash").toString(), hash);
    }
}

TEST_F(ControllerTest, TheReplicaSetCarriesTheDeploymentsAnnotations) {
    // As Kubernetes' Deployment controller does (seen on the real control plane, where a
    // Deployment's tracking id reached its ReplicaSet): all but kubectl's last-applied
    // configuration and the controller's own deployment.kubernetes.io/ annotations.
    QJsonObject d = json(kDeployment);
    QJsonObject metadata = d.value(QLatin1String("metadata")).toObject();
    metadata.insert(
        QStringLiteral("annotations"),
        QJsonObject{
            {QStringLiteral("driftdeck.io/tracking-id"), QStringLiteral("shop:apps/Deployment:default/web")},
            {QStringLiteral("kubectl.kubernetes.io/last-applied-configuration"), QStringLiteral("{}")},
            {QStringLiteral("deployment.kubernetes.io/revision"), QStringLiteral("7")}});
    d.insert(QStringLiteral("metadata"), metadata);
    create("apps", "Deployment", d);
    deploymentReady(QStringLiteral("web"));
    const QList<QJsonObject> sets = list("apps", "ReplicaSet");
    ASSERT_EQ(sets.size(), 1);
    const QJsonObject annotations = at(sets.first(), "metadata", "annotations").toObject();
    EXPECT_EQ(annotations.value(QLatin1String("driftdeck.io/tracking-id")).toString(),
              QStringLiteral("shop:apps/Deployment:default/web"));
    EXPECT_FALSE(annotations.contains(QLatin1String("kubectl.kubernetes.io/last-applied-configuration")));
    EXPECT_EQ(annotations.value(QLatin1String("deployment.kubernetes.io/revision")).toString(),
              QStringLiteral("1"));
    EXPECT_EQ(annotations.value(QLatin1String("deployment.kubernetes.io/desired-replicas")).toString(),
              QStringLiteral("2"));
}

TEST_F(ControllerTest, NewTemplateRollsANewReplicaSetAndScalesTheOldOneDown) {
    create("apps", "Deployment", json(kDeployment));
    QJsonObject d = deploymentReady(QStringLiteral("web"));
    QJsonObject spec = d.value(QLatin1String("spec")).toObject();
    QJsonObject tmpl = spec.value(QLatin1String("template")).toObject();
    QJsonObject podSpec = tmpl.value(QLatin1String("spec")).toObject();
    QJsonArray containers = podSpec.value(QLatin1String("containers")).toArray();
    QJsonObject c = containers.at(0).toObject();
    c.insert(QStringLiteral("image"), QStringLiteral("nginx:1.27"));
    containers.replace(0, c);
    podSpec.insert(QStringLiteral("containers"), containers);
    tmpl.insert(QStringLiteral("spec"), podSpec);
    spec.insert(QStringLiteral("template"), tmpl);
    d.insert(QStringLiteral("spec"), spec);
    ASSERT_TRUE(std::holds_alternative<QJsonObject>(store.update(type("apps", "Deployment"), d)));

    ASSERT_TRUE(test::waitUntil([&] {
        const QJsonObject now = *get("apps", "Deployment", QStringLiteral("web"));
        return at(now, "metadata", "generation").toInt() == 2 &&
               at(now, "status", "observedGeneration").toInt() == 2 &&
               conditionReason(now, "Progressing") == QLatin1String("NewReplicaSetAvailable") &&
               at(now, "status", "replicas").toInt() == 2;
    }));
    const QList<QJsonObject> sets = list("apps", "ReplicaSet");
    ASSERT_EQ(sets.size(), 2);
    int scaledDown = 0;
    for (const QJsonObject& rs : sets)
        scaledDown += at(rs, "spec", "replicas").toInt() == 0 ? 1 : 0;
    EXPECT_EQ(scaledDown, 1);
    const QJsonObject now = *get("apps", "Deployment", QStringLiteral("web"));
    EXPECT_EQ(at(now, "metadata", "annotations", "deployment.kubernetes.io/revision").toString(),
              QStringLiteral("2"));
    EXPECT_TRUE(test::waitUntil([&] { return list("", "Pod").size() == 2; }));
}

TEST_F(ControllerTest, CrashLoopingImageNeverBecomesReadyAndMissesTheDeadline) {
    QJsonObject d = json(kDeployment);
    d = json(QJsonDocument(d).toJson().replace("nginx:1.25", "example/crashloop:1").constData());
    QJsonObject spec = d.value(QLatin1String("spec")).toObject();
    spec.insert(QStringLiteral("progressDeadlineSeconds"), 1);
    spec.insert(QStringLiteral("replicas"), 1);
    d.insert(QStringLiteral("spec"), spec);
    create("apps", "Deployment", d);

    ASSERT_TRUE(test::waitUntil([&] {
        const auto pods = list("", "Pod");
        return !pods.isEmpty() &&
               at(pods.first(), "status", "containerStatuses", 0, "restartCount").toInt() >= 2;
    }));
    const QJsonObject pod = list("", "Pod").first();
    EXPECT_EQ(at(pod, "status", "containerStatuses", 0, "state", "waiting", "reason").toString(),
              QStringLiteral("CrashLoopBackOff"));
    EXPECT_FALSE(at(pod, "status", "containerStatuses", 0, "ready").toBool());

    QJsonObject now;
    ASSERT_TRUE(test::waitUntil(
        [&] {
            now = *get("apps", "Deployment", QStringLiteral("web"));
            return conditionReason(now, "Progressing") == QLatin1String("ProgressDeadlineExceeded");
        },
        5s))
        << QJsonDocument(now).toJson().toStdString();
    QString status;
    conditionReason(now, "Progressing", &status);
    EXPECT_EQ(status, QStringLiteral("False"));
    EXPECT_EQ(conditionReason(now, "Available"), QStringLiteral("MinimumReplicasUnavailable"));
}

TEST_F(ControllerTest, StatefulSetPodsAreNumberedInOrder) {
    create("apps", "StatefulSet", json(R"({"apiVersion": "apps/v1", "kind": "StatefulSet",
      "metadata": {"name": "db", "namespace": "default"},
      "spec": {"replicas": 3, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
        "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "db", "image": "postgres:16"}]}},
        "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"],
          "resources": {"requests": {"storage": "1Gi"}}}}]}})"));
    QJsonObject sts;
    ASSERT_TRUE(test::waitUntil([&] {
        sts = *get("apps", "StatefulSet", QStringLiteral("db"));
        return at(sts, "status", "readyReplicas").toInt() == 3;
    })) << QJsonDocument(sts).toJson().toStdString();
    EXPECT_EQ(at(sts, "status", "currentRevision"), at(sts, "status", "updateRevision"));
    EXPECT_EQ(at(sts, "status", "updatedReplicas").toInt(), 3);
    EXPECT_EQ(at(sts, "status", "observedGeneration").toInt(), 1);
    for (const char* name : {"db-0", "db-1", "db-2"}) {
        const auto pod = get("", "Pod", QString::fromLatin1(name));
        ASSERT_TRUE(pod.has_value()) << name;
        EXPECT_EQ(at(*pod, "metadata", "labels", "statefulset.kubernetes.io/pod-name").toString(),
                  QString::fromLatin1(name));
        EXPECT_TRUE(get("", "PersistentVolumeClaim", QStringLiteral("data-") + QString::fromLatin1(name))
                        .has_value());
    }
}

TEST_F(ControllerTest, DaemonSetRunsOnePodOnTheNode) {
    create("apps", "DaemonSet", json(R"({"apiVersion": "apps/v1", "kind": "DaemonSet",
      "metadata": {"name": "agent", "namespace": "default"},
      "spec": {"selector": {"matchLabels": {"app": "agent"}},
        "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [{"name": "a", "image": "agent:1"}]}}}})"));
    QJsonObject ds;
    ASSERT_TRUE(test::waitUntil([&] {
        ds = *get("apps", "DaemonSet", QStringLiteral("agent"));
        return at(ds, "status", "numberAvailable").toInt() == 1;
    })) << QJsonDocument(ds).toJson().toStdString();
    EXPECT_EQ(at(ds, "status", "desiredNumberScheduled").toInt(), 1);
    EXPECT_EQ(at(ds, "status", "updatedNumberScheduled").toInt(), 1);
    const auto pods = list("", "Pod");
    ASSERT_EQ(pods.size(), 1);
    EXPECT_EQ(at(pods.first(), "spec", "nodeName").toString(), QStringLiteral("kubesim-node"));
}

TEST_F(ControllerTest, JobCompletes) {
    create(
        "batch", "Job",
        json(
            R"({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "once", "namespace": "default"},
      "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox:1.36"}]}}}})"));
    QJsonObject job;
    ASSERT_TRUE(test::waitUntil([&] {
        job = *get("batch", "Job", QStringLiteral("once"));
        return conditionReason(job, "Complete") == QLatin1String("CompletionsReached");
    })) << QJsonDocument(job).toJson().toStdString();
    EXPECT_EQ(at(job, "status", "succeeded").toInt(), 1);
    EXPECT_FALSE(at(job, "status", "completionTime").toString().isEmpty());
    const auto pods = list("", "Pod");
    ASSERT_EQ(pods.size(), 1);
    EXPECT_EQ(at(pods.first(), "status", "phase").toString(), QStringLiteral("Succeeded"));
    EXPECT_EQ(at(pods.first(), "metadata", "labels", "job-name").toString(), QStringLiteral("once"));
}

TEST_F(ControllerTest, LoadBalancerServicesGetAnIngressAddress) {
    create("", "Service",
           json(R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lb", "namespace": "default"},
      "spec": {"type": "LoadBalancer", "ports": [{"port": 80}]}})"));
    QJsonObject svc;
    ASSERT_TRUE(test::waitUntil([&] {
        svc = *get("", "Service", QStringLiteral("lb"));
        return !at(svc, "status", "loadBalancer", "ingress").toArray().isEmpty();
    }));
    EXPECT_TRUE(at(svc, "status", "loadBalancer", "ingress", 0, "ip")
                    .toString()
                    .startsWith(QStringLiteral("172.18.255.")));
}

// As on a cluster with a metrics server: the autoscaler writes its status (without it, health
// checks call the HPA Progressing forever) and keeps its target within min/max.
TEST_F(ControllerTest, AutoscalersReportAndKeepTheirTargetWithinRange) {
    create("autoscaling", "HorizontalPodAutoscaler",
           json(R"({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
      "metadata": {"name": "web", "namespace": "default"},
      "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
        "minReplicas": 3, "maxReplicas": 5}})"));
    // No target yet: the controller says so, as the real one does.
    QJsonObject hpa;
    ASSERT_TRUE(test::waitUntil([&] {
        hpa = *get("autoscaling", "HorizontalPodAutoscaler", QStringLiteral("web"));
        return conditionReason(hpa, "AbleToScale") == QLatin1String("FailedGetScale");
    })) << QJsonDocument(hpa).toJson().toStdString();

    create("apps", "Deployment", json(kDeployment)); // replicas: 2, below minReplicas
    QString active;
    ASSERT_TRUE(test::waitUntil([&] {
        hpa = *get("autoscaling", "HorizontalPodAutoscaler", QStringLiteral("web"));
        return conditionReason(hpa, "ScalingActive", &active) == QLatin1String("ValidMetricFound");
    })) << QJsonDocument(hpa).toJson().toStdString();
    EXPECT_EQ(active, QStringLiteral("True"));
    EXPECT_EQ(at(hpa, "status", "desiredReplicas").toInt(), 3);
    EXPECT_EQ(conditionReason(hpa, "AbleToScale"), QStringLiteral("ReadyForNewScale"));
    EXPECT_EQ(at(*get("apps", "Deployment", QStringLiteral("web")), "spec", "replicas").toInt(), 3);
}

// As on a cluster with a default storage provisioner and an ingress controller.
TEST_F(ControllerTest, ClaimsAreBoundAndIngressesGetAnAddress) {
    create(
        "", "PersistentVolumeClaim",
        json(
            R"({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data", "namespace": "default"},
      "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}})"));
    create(
        "networking.k8s.io", "Ingress",
        json(
            R"({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web", "namespace": "default"},
      "spec": {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}}})"));
    QJsonObject claim;
    ASSERT_TRUE(test::waitUntil([&] {
        claim = *get("", "PersistentVolumeClaim", QStringLiteral("data"));
        return at(claim, "status", "phase").toString() == QLatin1String("Bound");
    })) << QJsonDocument(claim).toJson().toStdString();
    EXPECT_FALSE(at(claim, "spec", "volumeName").toString().isEmpty());
    EXPECT_EQ(at(claim, "status", "capacity", "storage").toString(), QStringLiteral("1Gi"));
    QJsonObject ingress;
    EXPECT_TRUE(test::waitUntil([&] {
        ingress = *get("networking.k8s.io", "Ingress", QStringLiteral("web"));
        return !at(ingress, "status", "loadBalancer", "ingress").toArray().isEmpty();
    })) << QJsonDocument(ingress).toJson().toStdString();
}

TEST_F(ControllerTest, GarbageCollectionFollowsThePropagationPolicy) {
    create("apps", "Deployment", json(kDeployment));
    deploymentReady(QStringLiteral("web"));

    // Background: the owner goes at once, dependents after it.
    ASSERT_TRUE(std::holds_alternative<QJsonObject>(
        store.remove(type("apps", "Deployment"), QStringLiteral("default"), QStringLiteral("web"))));
    EXPECT_TRUE(
        test::waitUntil([&] { return list("apps", "ReplicaSet").isEmpty() && list("", "Pod").isEmpty(); }));

    // Foreground: the owner waits with a finalizer until its dependents are gone.
    create("apps", "Deployment", json(kDeployment));
    deploymentReady(QStringLiteral("web"));
    const auto marked = store.remove(type("apps", "Deployment"), QStringLiteral("default"),
                                     QStringLiteral("web"), DeletePropagation::Foreground);
    ASSERT_TRUE(std::holds_alternative<QJsonObject>(marked));
    EXPECT_FALSE(at(std::get<QJsonObject>(marked), "metadata", "deletionTimestamp").toString().isEmpty());
    EXPECT_TRUE(at(std::get<QJsonObject>(marked), "metadata", "finalizers")
                    .toArray()
                    .contains(QStringLiteral("foregroundDeletion")));
    EXPECT_TRUE(test::waitUntil([&] {
        return !get("apps", "Deployment", QStringLiteral("web")) && list("apps", "ReplicaSet").isEmpty() &&
               list("", "Pod").isEmpty();
    }));

    // Orphan: dependents stay, without the owner reference.
    create("apps", "Deployment", json(kDeployment));
    deploymentReady(QStringLiteral("web"));
    store.remove(type("apps", "Deployment"), QStringLiteral("default"), QStringLiteral("web"),
                 DeletePropagation::Orphan);
    test::waitUntil([] { return false; }, 200ms); // give a wrong collector the chance to act
    const auto sets = list("apps", "ReplicaSet");
    ASSERT_EQ(sets.size(), 1);
    EXPECT_FALSE(
        sets.first().value(QLatin1String("metadata")).toObject().contains(QStringLiteral("ownerReferences")));
    EXPECT_EQ(list("", "Pod").size(), 2);
}
