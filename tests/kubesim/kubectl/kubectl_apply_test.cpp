#include "kubectlfixture.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace driftdeck::kubesim::test;
using driftdeck::test::readFile;

namespace {

class KubectlApplyTest : public KubectlTest {
protected:
    QString guestbookDir() const { return corpus(QStringLiteral("argocd-example-apps/guestbook")); }
    QString guestbookDeployment() const {
        return guestbookDir() + QStringLiteral("/guestbook-ui-deployment.yaml");
    }
    QJsonObject getJson(const QString& what) const {
        const auto got =
            kubectlNs({QStringLiteral("get"), what, QStringLiteral("-o"), QStringLiteral("json")});
        EXPECT_EQ(got.exitCode, 0) << got.err.constData();
        return QJsonDocument::fromJson(got.out).object();
    }
};

TEST_F(KubectlApplyTest, ApiResourcesListsBuiltinsWithShortNames) {
    const auto result = kubectl({QStringLiteral("api-resources")});
    ASSERT_EQ(result.exitCode, 0) << result.err.constData();
    EXPECT_TRUE(result.out.contains("deployments"));
    EXPECT_TRUE(result.out.contains("deploy"));
    EXPECT_TRUE(result.out.contains("apps/v1"));
    EXPECT_TRUE(result.out.contains("customresourcedefinitions"));
    EXPECT_TRUE(result.out.contains("horizontalpodautoscalers"));
}

TEST_F(KubectlApplyTest, ServerSideApplyGuestbook) {
    const auto applied = kubectlNs(
        {QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("-f"), guestbookDir()});
    ASSERT_EQ(applied.exitCode, 0) << applied.err.constData();
    EXPECT_TRUE(applied.out.contains("deployment.apps/guestbook-ui serverside-applied"))
        << applied.out.constData();
    EXPECT_TRUE(applied.out.contains("service/guestbook-ui serverside-applied"));
    const QJsonObject svc = getJson(QStringLiteral("service/guestbook-ui"));
    EXPECT_FALSE(
        svc.value(QStringLiteral("spec")).toObject().value(QStringLiteral("clusterIP")).toString().isEmpty());
}

TEST_F(KubectlApplyTest, ServerSideApplyPodinfoKustomization) {
    const auto rendered = kubectl({QStringLiteral("kustomize"), corpus(QStringLiteral("podinfo/kustomize"))});
    ASSERT_EQ(rendered.exitCode, 0) << rendered.err.constData();
    const auto applied = kubectlNs(
        {QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("-f"), QStringLiteral("-")},
        rendered.out);
    ASSERT_EQ(applied.exitCode, 0) << applied.err.constData();
    EXPECT_TRUE(applied.out.contains("deployment.apps/podinfo serverside-applied"))
        << applied.out.constData();
    EXPECT_TRUE(applied.out.contains("horizontalpodautoscaler.autoscaling/podinfo serverside-applied"));
    const auto listed = kubectlNs({QStringLiteral("get"), QStringLiteral("deploy,svc,hpa"),
                                   QStringLiteral("-o"), QStringLiteral("name")});
    EXPECT_TRUE(listed.out.contains("deployment.apps/podinfo"));
    EXPECT_TRUE(listed.out.contains("service/podinfo"));
    EXPECT_TRUE(listed.out.contains("horizontalpodautoscaler.autoscaling/podinfo"));
}

TEST_F(KubectlApplyTest, GetYamlShowsDefaultsAndManagedFields) {
    ASSERT_EQ(kubectlNs({QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("-f"),
                         guestbookDeployment()})
                  .exitCode,
              0);
    const auto yaml =
        kubectlNs({QStringLiteral("get"), QStringLiteral("deployment/guestbook-ui"), QStringLiteral("-o"),
                   QStringLiteral("yaml"), QStringLiteral("--show-managed-fields")});
    ASSERT_EQ(yaml.exitCode, 0) << yaml.err.constData();
    for (const char* expected :
         {"imagePullPolicy: IfNotPresent", "terminationMessagePath: /dev/termination-log",
          "progressDeadlineSeconds: 600", "dnsPolicy: ClusterFirst", "managedFields:", "manager: kubectl",
          "operation: Apply", "generation: 1",
          "uid: ", "      creationTimestamp: null\n"}) // the pod template's, which no manifest has
        EXPECT_TRUE(yaml.out.contains(expected)) << "missing " << expected << " in\n" << yaml.out.constData();
}

TEST_F(KubectlApplyTest, SecondFieldManagerConflictsUnlessForced) {
    ASSERT_EQ(kubectlNs({QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("-f"),
                         guestbookDeployment()})
                  .exitCode,
              0);
    QByteArray changed = readFile(guestbookDeployment());
    ASSERT_TRUE(changed.contains("replicas: 1"));
    changed.replace("replicas: 1", "replicas: 3");
    const QStringList other{QStringLiteral("apply"),
                            QStringLiteral("--server-side"),
                            QStringLiteral("--field-manager"),
                            QStringLiteral("other"),
                            QStringLiteral("-f"),
                            QStringLiteral("-")};
    const auto conflict = kubectlNs(other, changed);
    EXPECT_NE(conflict.exitCode, 0);
    EXPECT_TRUE(
        conflict.err.contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas"))
        << conflict.err.constData();
    const auto forced = kubectlNs(other + QStringList{QStringLiteral("--force-conflicts")}, changed);
    ASSERT_EQ(forced.exitCode, 0) << forced.err.constData();
    EXPECT_EQ(getJson(QStringLiteral("deployment/guestbook-ui"))
                  .value(QStringLiteral("spec"))
                  .toObject()
                  .value(QStringLiteral("replicas"))
                  .toInt(),
              3);
}

TEST_F(KubectlApplyTest, ServerSideDiffIsCleanAfterApplyAndShowsChanges) {
    ASSERT_EQ(kubectlNs({QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("-f"),
                         guestbookDir()})
                  .exitCode,
              0);
    // Controllers write the Deployment's status for a moment after the apply; kubectl diff reads the
    // live object and then dry-runs the apply, so a status written between the two shows as a
    // difference (the real server, with its controller-manager and kwok, did that). Once rolled out
    // the status holds still.
    const auto rolledOut =
        kubectlNs({QStringLiteral("rollout"), QStringLiteral("status"),
                   QStringLiteral("deployment/guestbook-ui"), QStringLiteral("--timeout=60s")},
                  {}, std::chrono::seconds(90));
    ASSERT_EQ(rolledOut.exitCode, 0) << rolledOut.out.constData() << rolledOut.err.constData();
    const auto clean = kubectlNs(
        {QStringLiteral("diff"), QStringLiteral("--server-side"), QStringLiteral("-f"), guestbookDir()});
    EXPECT_EQ(clean.exitCode, 0) << clean.out.constData() << clean.err.constData();
    QByteArray changed = readFile(guestbookDeployment());
    ASSERT_TRUE(changed.contains("gb-frontend:v5"));
    changed.replace("gb-frontend:v5", "gb-frontend:v6");
    const auto dirty = kubectlNs(
        {QStringLiteral("diff"), QStringLiteral("--server-side"), QStringLiteral("-f"), QStringLiteral("-")},
        changed);
    EXPECT_EQ(dirty.exitCode, 1) << dirty.err.constData();
    EXPECT_TRUE(dirty.out.contains("+      - image: gcr.io/google-samples/gb-frontend:v6"))
        << dirty.out.constData();
}

TEST_F(KubectlApplyTest, ClientSideApplyTwiceIsUnchanged) {
    const auto first = kubectlNs({QStringLiteral("apply"), QStringLiteral("-f"), guestbookDir()});
    ASSERT_EQ(first.exitCode, 0) << first.err.constData();
    EXPECT_TRUE(first.out.contains("deployment.apps/guestbook-ui created")) << first.out.constData();
    const auto second = kubectlNs({QStringLiteral("apply"), QStringLiteral("-f"), guestbookDir()});
    ASSERT_EQ(second.exitCode, 0) << second.err.constData();
    EXPECT_TRUE(second.out.contains("deployment.apps/guestbook-ui unchanged")) << second.out.constData();
    EXPECT_TRUE(second.out.contains("service/guestbook-ui unchanged")) << second.out.constData();
    QByteArray changed = readFile(guestbookDeployment());
    changed.replace("replicas: 1", "replicas: 2");
    const auto third =
        kubectlNs({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")}, changed);
    EXPECT_TRUE(third.out.contains("deployment.apps/guestbook-ui configured"))
        << third.out.constData() << third.err.constData();
}

TEST_F(KubectlApplyTest, CustomResourceDefinitionThenCustomResource) {
    const QByteArray crd = R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
)";
    const auto created = kubectl(
        {QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("-f"), QStringLiteral("-")},
        crd);
    ASSERT_EQ(created.exitCode, 0) << created.err.constData();
    // A real API server serves the new kind only once the CRD is Established.
    const auto established =
        kubectl({QStringLiteral("wait"), QStringLiteral("--for=condition=Established"),
                 QStringLiteral("crd/widgets.example.com"), QStringLiteral("--timeout=60s")},
                {}, std::chrono::seconds(90));
    ASSERT_EQ(established.exitCode, 0) << established.err.constData();
    const QByteArray widget =
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: sprocket\nspec:\n  size: 3\n";
    const auto applied = kubectlNs(
        {QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("-f"), QStringLiteral("-")},
        widget);
    ASSERT_EQ(applied.exitCode, 0) << applied.err.constData();
    EXPECT_TRUE(applied.out.contains("widget.example.com/sprocket serverside-applied"))
        << applied.out.constData();
    const auto listed = kubectlNs({QStringLiteral("get"), QStringLiteral("wd")});
    ASSERT_EQ(listed.exitCode, 0) << listed.err.constData();
    EXPECT_TRUE(listed.out.contains("sprocket"));
    const auto csa =
        kubectlNs({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")},
                  "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: cog\nspec:\n  size: 1\n");
    EXPECT_EQ(csa.exitCode, 0) << csa.err.constData();
    const auto removed =
        kubectl({QStringLiteral("delete"), QStringLiteral("crd"), QStringLiteral("widgets.example.com")});
    ASSERT_EQ(removed.exitCode, 0) << removed.err.constData();
    const auto gone = kubectlNs({QStringLiteral("get"), QStringLiteral("widgets.example.com")});
    EXPECT_NE(gone.exitCode, 0);
}

} // namespace
