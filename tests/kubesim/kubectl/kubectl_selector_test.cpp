#include "kubectlfixture.h"

using namespace driftdeck::kubesim::test;

namespace {

class KubectlSelectorTest : public KubectlTest {};

QByteArray deployment(const char* name, const char* app) {
    return QByteArray("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ") + name +
           "\n  labels: {app: " + app +
           "}\nspec:\n  replicas: 0\n  selector:\n    matchLabels: {app: " + app +
           "}\n  template:\n    metadata:\n      labels: {app: " + app +
           "}\n    spec:\n      containers:\n      - {name: c, image: nginx}\n";
}

// kubectl encodes a space in a query as `+` (Go's url.Values); set-based selectors have spaces.
TEST_F(KubectlSelectorTest, SetBasedLabelSelectorWithSpaces) {
    const auto applied =
        kubectlNs({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")},
                  deployment("a", "a") + "---\n" + deployment("b", "b") + "---\n" + deployment("c", "c"));
    ASSERT_EQ(applied.exitCode, 0) << applied.err.constData();
    const auto in = kubectlNs({QStringLiteral("get"), QStringLiteral("deploy"), QStringLiteral("-l"),
                               QStringLiteral("app in (a,b)"), QStringLiteral("-o"), QStringLiteral("name")});
    ASSERT_EQ(in.exitCode, 0) << in.err.constData();
    EXPECT_EQ(in.out, "deployment.apps/a\ndeployment.apps/b\n");
    const auto notIn =
        kubectlNs({QStringLiteral("get"), QStringLiteral("deploy"), QStringLiteral("-l"),
                   QStringLiteral("app notin (a, b)"), QStringLiteral("-o"), QStringLiteral("name")});
    ASSERT_EQ(notIn.exitCode, 0) << notIn.err.constData();
    EXPECT_EQ(notIn.out, "deployment.apps/c\n");
}

// A field selector reaches the server with its spaces: the server names the field it got, as a
// real API server does for a field it cannot select on.
TEST_F(KubectlSelectorTest, FieldSelectorWithSpacesReachesTheServerDecoded) {
    const auto got = kubectlNs({QStringLiteral("get"), QStringLiteral("configmaps"),
                                QStringLiteral("--field-selector"), QStringLiteral("spec.some field=x y")});
    EXPECT_NE(got.exitCode, 0);
    EXPECT_TRUE(got.err.contains("field label not supported: spec.some field")) << got.err.constData();
}

} // namespace
