// kubectl as the referee of the object semantics: rollout status over the controllers, server-side
// apply conflicts and managedFields, defaults and strict field validation, through a simulated
// cluster on loopback.

#include "kubesim/controller.h"
#include "kubesim/garbagecollector.h"
#include "kubesim/objectstore.h"
#include "kubesim/simulatedcluster.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::kubesim;
using namespace std::chrono_literals;

namespace {

class KubectlSemanticsTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (test::kubectlPath().isEmpty())
            GTEST_SKIP() << "kubectl is not on PATH: this test uses it as the referee";
        ClusterOptions options;
        options.runControllers = false; // this test runs its own, with short delays
        m_cluster = std::make_unique<SimulatedCluster>(options);
        const Status started = m_cluster->start();
        ASSERT_TRUE(started.ok()) << started.error().toString().toStdString();
        m_cluster->withStore([this](ObjectStore& store) {
            m_controllers = new ClusterControllers(
                store, ControllerOptions{100ms, 100ms, QStringLiteral("kubesim-node"), {}});
            m_gc = new GarbageCollector(store);
        });
        ASSERT_TRUE(m_dir.isValid());
        m_kubeconfig = m_dir.filePath(QStringLiteral("kubeconfig"));
        QFile f(m_kubeconfig);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(kubeconfigYaml({m_cluster.get()}));
    }
    void TearDown() override {
        if (m_cluster) {
            m_cluster->withStore([this](ObjectStore&) {
                delete m_controllers; // on the thread they live on, before the store goes
                delete m_gc;
            });
            m_cluster->stop();
        }
    }

    test::ProcessResult kubectl(const QStringList& args, const QByteArray& input = {}) {
        return test::runProcess(test::kubectlPath(),
                                QStringList{QStringLiteral("--kubeconfig"), m_kubeconfig} + args, input, 60s);
    }
    QJsonObject getJson(const QStringList& what) {
        const auto r = kubectl(QStringList{QStringLiteral("get")} + what +
                               QStringList{QStringLiteral("-o"), QStringLiteral("json")});
        EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
        return QJsonDocument::fromJson(r.out).object();
    }

    std::unique_ptr<SimulatedCluster> m_cluster;
    ClusterControllers* m_controllers = nullptr;
    GarbageCollector* m_gc = nullptr;
    QTemporaryDir m_dir;
    QString m_kubeconfig;
};

const char* kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: IMAGE
        ports:
        - containerPort: 80
)";

QByteArray deployment(const char* image, int deadline = 600) {
    QByteArray y(kDeployment);
    y.replace("IMAGE", image);
    const QByteArray withDeadline =
        QByteArray("  replicas: 2\n  progressDeadlineSeconds: ") + QByteArray::number(deadline);
    y.replace(QByteArray("  replicas: 2\n"), QByteArray(withDeadline + "\n"));
    return y;
}

} // namespace

TEST_F(KubectlSemanticsTest, RolloutStatusSucceedsThenFollowsANewTemplate) {
    auto r = kubectl({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")},
                     deployment("nginx:1.25"));
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    r = kubectl({QStringLiteral("rollout"), QStringLiteral("status"), QStringLiteral("deployment/web"),
                 QStringLiteral("--timeout=30s")});
    EXPECT_EQ(r.exitCode, 0) << r.out.toStdString() << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("deployment \"web\" successfully rolled out")) << r.out.toStdString();

    r = kubectl({QStringLiteral("set"), QStringLiteral("image"), QStringLiteral("deployment/web"),
                 QStringLiteral("web=nginx:1.27")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    r = kubectl({QStringLiteral("rollout"), QStringLiteral("status"), QStringLiteral("deployment/web"),
                 QStringLiteral("--timeout=30s")});
    EXPECT_EQ(r.exitCode, 0) << r.out.toStdString() << r.err.toStdString();
    const QJsonObject rsList = getJson({QStringLiteral("replicasets")});
    EXPECT_EQ(rsList.value(QLatin1String("items")).toArray().size(), 2);
    r = kubectl({QStringLiteral("rollout"), QStringLiteral("history"), QStringLiteral("deployment/web")});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("2 ")) << r.out.toStdString();
}

TEST_F(KubectlSemanticsTest, RolloutStatusReportsACrashLoopAsAMissedDeadline) {
    auto r = kubectl({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")},
                     deployment("example/crashloop:1", 2));
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    r = kubectl({QStringLiteral("rollout"), QStringLiteral("status"), QStringLiteral("deployment/web"),
                 QStringLiteral("--timeout=30s")});
    EXPECT_NE(r.exitCode, 0);
    EXPECT_TRUE(r.err.contains("exceeded its progress deadline"))
        << r.out.toStdString() << r.err.toStdString();
    const QJsonObject pods = getJson({QStringLiteral("pods")});
    ASSERT_FALSE(pods.value(QLatin1String("items")).toArray().isEmpty());
    const QJsonObject state = pods.value(QLatin1String("items"))
                                  .toArray()
                                  .at(0)
                                  .toObject()
                                  .value(QLatin1String("status"))
                                  .toObject()
                                  .value(QLatin1String("containerStatuses"))
                                  .toArray()
                                  .at(0)
                                  .toObject()
                                  .value(QLatin1String("state"))
                                  .toObject();
    EXPECT_EQ(state.value(QLatin1String("waiting")).toObject().value(QLatin1String("reason")).toString(),
              QStringLiteral("CrashLoopBackOff"));
}

TEST_F(KubectlSemanticsTest, StatefulSetAndDaemonSetRollOut) {
    const QByteArray sets = R"(apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "postgres:16"}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: "agent:1"}]}
)";
    auto r = kubectl({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")}, sets);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    for (const char* what : {"statefulset/db", "daemonset/agent"}) {
        r = kubectl({QStringLiteral("rollout"), QStringLiteral("status"), QString::fromLatin1(what),
                     QStringLiteral("--timeout=30s")});
        EXPECT_EQ(r.exitCode, 0) << what << ": " << r.out.toStdString() << r.err.toStdString();
    }
    EXPECT_EQ(getJson({QStringLiteral("pod"), QStringLiteral("db-1")})
                  .value(QLatin1String("status"))
                  .toObject()
                  .value(QLatin1String("phase"))
                  .toString(),
              QStringLiteral("Running"));
}

TEST_F(KubectlSemanticsTest, ServerSideApplyConflictsAsKubectlPrintsThem) {
    const QByteArray cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: \"1\"}\n";
    auto r = kubectl({QStringLiteral("apply"), QStringLiteral("--server-side"),
                      QStringLiteral("--field-manager=gitops"), QStringLiteral("-f"), QStringLiteral("-")},
                     cm);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    QByteArray changed = cm;
    changed.replace("\"1\"", "\"2\"");
    r = kubectl({QStringLiteral("apply"), QStringLiteral("--server-side"),
                 QStringLiteral("--field-manager=other"), QStringLiteral("-f"), QStringLiteral("-")},
                changed);
    EXPECT_NE(r.exitCode, 0);
    EXPECT_TRUE(r.err.contains("Apply failed with 1 conflict: conflict with \"gitops\": .data.a"))
        << r.err.toStdString();
    r = kubectl({QStringLiteral("apply"), QStringLiteral("--server-side"),
                 QStringLiteral("--field-manager=other"), QStringLiteral("--force-conflicts"),
                 QStringLiteral("-f"), QStringLiteral("-")},
                changed);
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    const QJsonObject live =
        getJson({QStringLiteral("configmap"), QStringLiteral("c"), QStringLiteral("--show-managed-fields")});
    EXPECT_EQ(live.value(QLatin1String("data")).toObject().value(QLatin1String("a")).toString(),
              QStringLiteral("2"));
    const QJsonArray managed =
        live.value(QLatin1String("metadata")).toObject().value(QLatin1String("managedFields")).toArray();
    ASSERT_EQ(managed.size(), 1); // gitops owned only .data.a and lost it
    EXPECT_EQ(managed.at(0).toObject().value(QLatin1String("manager")).toString(), QStringLiteral("other"));
}

TEST_F(KubectlSemanticsTest, StrictFieldValidationNamesTheTypo) {
    QByteArray typo = deployment("nginx:1.25");
    typo.replace("  replicas: 2", "  replica: 2");
    const auto r = kubectl({QStringLiteral("apply"), QStringLiteral("--validate=strict"),
                            QStringLiteral("-f"), QStringLiteral("-")},
                           typo);
    EXPECT_NE(r.exitCode, 0);
    EXPECT_TRUE(r.err.contains("unknown field \"spec.replica\"")) << r.err.toStdString();
}

TEST_F(KubectlSemanticsTest, ClientSideApplyAndPatchesChangeWhatKubectlMeans) {
    const QByteArray v1 = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: api, labels: {team: a}}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: api:1
        env: [{name: A, value: "1"}, {name: B, value: "2"}]
        ports: [{containerPort: 8080}, {containerPort: 9090}]
      - name: sidecar
        image: proxy:1
)";
    auto r = kubectl({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")}, v1);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    QByteArray v2 = v1;
    v2.replace("image: api:1", "image: api:2");
    v2.replace(", {name: B, value: \"2\"}", "");
    v2.replace(", {containerPort: 9090}", "");
    v2.replace("      - name: sidecar\n        image: proxy:1\n", "");
    r = kubectl({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")}, v2);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    QJsonObject live = getJson({QStringLiteral("deployment"), QStringLiteral("api")});
    const QJsonArray containers = live.value(QLatin1String("spec"))
                                      .toObject()
                                      .value(QLatin1String("template"))
                                      .toObject()
                                      .value(QLatin1String("spec"))
                                      .toObject()
                                      .value(QLatin1String("containers"))
                                      .toArray();
    ASSERT_EQ(containers.size(), 1);
    const QJsonObject api = containers.at(0).toObject();
    EXPECT_EQ(api.value(QLatin1String("image")).toString(), QStringLiteral("api:2"));
    EXPECT_EQ(api.value(QLatin1String("env")).toArray().size(), 1);
    EXPECT_EQ(api.value(QLatin1String("ports")).toArray().size(), 1);
    EXPECT_EQ(api.value(QLatin1String("imagePullPolicy")).toString(),
              QStringLiteral("IfNotPresent")); // default kept

    r = kubectl({QStringLiteral("patch"), QStringLiteral("deployment"), QStringLiteral("api"),
                 QStringLiteral("--type=json"), QStringLiteral("-p"),
                 QStringLiteral(R"([{"op": "replace", "path": "/metadata/labels/team", "value": "b"}])")});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    r = kubectl({QStringLiteral("patch"), QStringLiteral("deployment"), QStringLiteral("api"),
                 QStringLiteral("--type=merge"), QStringLiteral("-p"),
                 QStringLiteral(R"({"spec": {"replicas": 3}})")});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    r = kubectl({QStringLiteral("patch"), QStringLiteral("deployment"), QStringLiteral("api"),
                 QStringLiteral("--type=json"), QStringLiteral("-p"),
                 QStringLiteral(R"([{"op": "test", "path": "/spec/replicas", "value": 7}])")});
    EXPECT_NE(r.exitCode, 0);
    live = getJson({QStringLiteral("deployment"), QStringLiteral("api")});
    EXPECT_EQ(live.value(QLatin1String("metadata"))
                  .toObject()
                  .value(QLatin1String("labels"))
                  .toObject()
                  .value(QLatin1String("team"))
                  .toString(),
              QStringLiteral("b"));
    EXPECT_EQ(live.value(QLatin1String("spec")).toObject().value(QLatin1String("replicas")).toInt(), 3);
    EXPECT_EQ(live.value(QLatin1String("metadata")).toObject().value(QLatin1String("generation")).toInt(), 3);
}
