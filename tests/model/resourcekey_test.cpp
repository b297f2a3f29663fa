#include "model/resourcekey.h"

#include <QJsonDocument>
#include <QSet>

#include <gtest/gtest.h>

using driftdeck::GroupVersion;
using driftdeck::GroupVersionKind;
using driftdeck::ResourceKey;

namespace {
QJsonObject object(const char* json) {
    return QJsonDocument::fromJson(json).object();
}
} // namespace

TEST(GroupVersion, SplitsCoreAndNamedGroups) {
    EXPECT_EQ(GroupVersion::parse(QStringLiteral("v1")).group, QString());
    EXPECT_EQ(GroupVersion::parse(QStringLiteral("v1")).version, QStringLiteral("v1"));
    const GroupVersion apps = GroupVersion::parse(QStringLiteral("apps/v1"));
    EXPECT_EQ(apps.group, QStringLiteral("apps"));
    EXPECT_EQ(apps.version, QStringLiteral("v1"));
    EXPECT_EQ(apps.apiVersion(), QStringLiteral("apps/v1"));
    EXPECT_EQ((GroupVersion{QString(), QStringLiteral("v1")}).apiVersion(), QStringLiteral("v1"));
}

TEST(ResourceKey, FromObjectIgnoresVersion) {
    const auto a = ResourceKey::fromObject(object(
        R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"web","namespace":"prod"}})"));
    const auto b = ResourceKey::fromObject(object(
        R"({"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"web","namespace":"prod"}})"));
    EXPECT_EQ(a, b);
    EXPECT_EQ(a.group, QStringLiteral("autoscaling"));
    EXPECT_EQ(a.ns, QStringLiteral("prod"));
    EXPECT_EQ(qHash(a), qHash(b));
}

TEST(ResourceKey, TrackingFormRoundTrips) {
    const ResourceKey svc{QString(), QStringLiteral("Service"), QStringLiteral("default"),
                          QStringLiteral("web")};
    EXPECT_EQ(svc.toString(), QStringLiteral("/Service:default/web"));
    const ResourceKey crb{QStringLiteral("rbac.authorization.k8s.io"), QStringLiteral("ClusterRoleBinding"),
                          QString(), QStringLiteral("admin")};
    EXPECT_EQ(crb.toString(), QStringLiteral("rbac.authorization.k8s.io/ClusterRoleBinding:/admin"));

    for (const ResourceKey& key : {svc, crb}) {
        bool ok = false;
        EXPECT_EQ(ResourceKey::parse(key.toString(), &ok), key);
        EXPECT_TRUE(ok);
    }
}

TEST(ResourceKey, ParseRejectsMalformedText) {
    for (const char* text : {"", "Service", "/Service:default", ":default/web", "/:default/web"}) {
        bool ok = true;
        ResourceKey::parse(QString::fromLatin1(text), &ok);
        EXPECT_FALSE(ok) << text;
    }
}

TEST(ResourceKey, OrdersByGroupKindNamespaceName) {
    const ResourceKey a{QString(), QStringLiteral("ConfigMap"), QStringLiteral("a"), QStringLiteral("z")};
    const ResourceKey b{QString(), QStringLiteral("ConfigMap"), QStringLiteral("b"), QStringLiteral("a")};
    const ResourceKey c{QStringLiteral("apps"), QStringLiteral("Deployment"), QStringLiteral("a"),
                        QStringLiteral("a")};
    EXPECT_LT(a, b);
    EXPECT_LT(b, c);
    QSet<ResourceKey> set{a, b, c, a};
    EXPECT_EQ(set.size(), 3);
}

TEST(GroupVersionKind, PrintsLikeKubernetes) {
    const auto gvk = GroupVersionKind::fromObject(object(R"({"apiVersion":"apps/v1","kind":"Deployment"})"));
    EXPECT_EQ(gvk.toString(), QStringLiteral("apps/v1, Kind=Deployment"));
}
