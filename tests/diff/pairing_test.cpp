#include "diff/pairing.h"
#include "diff/quantity.h"

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace Qt::StringLiterals;

namespace {

kubeobj::Object object(const QString& apiVersion, const QString& kind, const QString& name,
                       const QString& ns = {}, const QString& trackingId = {}) {
    QJsonObject meta{{u"name"_s, name}};
    if (!ns.isEmpty())
        meta.insert(u"namespace"_s, ns);
    if (!trackingId.isEmpty())
        meta.insert(u"annotations"_s, QJsonObject{{u"driftdeck.io/tracking-id"_s, trackingId}});
    return kubeobj::Object::fromTrustedJson(
        QJsonObject{{u"apiVersion"_s, apiVersion}, {u"kind"_s, kind}, {u"metadata"_s, meta}});
}

QStringList printed(const diff::Pairing& pairing) {
    QStringList out;
    for (const diff::ObjectPair& p : pairing.pairs)
        out.append(p.key.toString() + (p.desired.isNull() ? u" -"_s : u" D"_s) +
                   (p.live.isNull() ? u"-"_s : u"L"_s));
    return out;
}

TEST(Pairing, NamespacesFollowTheKindsScope) {
    diff::PairingOptions options;
    options.destinationNamespace = u"shop"_s;
    const auto pairing = diff::pairObjects(
        {object(u"apps/v1"_s, u"Deployment"_s, u"web"_s),
         object(u"rbac.authorization.k8s.io/v1"_s, u"ClusterRole"_s, u"system:r"_s, u"shop"_s)},
        {object(u"apps/v1"_s, u"Deployment"_s, u"web"_s, u"shop"_s),
         object(u"rbac.authorization.k8s.io/v1"_s, u"ClusterRole"_s, u"system:r"_s)},
        options);
    EXPECT_EQ(printed(pairing), (QStringList{u"apps/Deployment:shop/web DL"_s,
                                             u"rbac.authorization.k8s.io/ClusterRole:/system:r DL"_s}));
}

TEST(Pairing, TheVersionOfAGroupDoesNotMatter) {
    const auto pairing =
        diff::pairObjects({object(u"autoscaling/v2"_s, u"HorizontalPodAutoscaler"_s, u"h"_s, u"a"_s)},
                          {object(u"autoscaling/v1"_s, u"HorizontalPodAutoscaler"_s, u"h"_s, u"a"_s)}, {});
    EXPECT_EQ(printed(pairing), QStringList{u"autoscaling/HorizontalPodAutoscaler:a/h DL"_s});
}

TEST(Pairing, ACustomKindOfUnknownScopeFindsItsLiveObjectEitherWay) {
    diff::PairingOptions options;
    options.destinationNamespace = u"apps"_s;
    // kustomize's namespace transformer put a namespace on a cluster-scoped custom kind.
    const auto clusterScoped =
        diff::pairObjects({object(u"cert-manager.io/v1"_s, u"ClusterIssuer"_s, u"le"_s, u"apps"_s)},
                          {object(u"cert-manager.io/v1"_s, u"ClusterIssuer"_s, u"le"_s)}, options);
    EXPECT_EQ(printed(clusterScoped), QStringList{u"cert-manager.io/ClusterIssuer:/le DL"_s});
    // A namespaced custom kind without a namespace lives in the destination.
    const auto namespaced =
        diff::pairObjects({object(u"cert-manager.io/v1"_s, u"Certificate"_s, u"c"_s)},
                          {object(u"cert-manager.io/v1"_s, u"Certificate"_s, u"c"_s, u"apps"_s)}, options);
    EXPECT_EQ(printed(namespaced), QStringList{u"cert-manager.io/Certificate:apps/c DL"_s});
}

TEST(Pairing, OnlyTrackedLiveObjectsAreExtraAndDuplicatesAreWarned) {
    diff::PairingOptions options;
    options.appName = u"shop"_s;
    options.destinationNamespace = u"s"_s;
    const auto cm = object(u"v1"_s, u"ConfigMap"_s, u"a"_s, u"s"_s);
    const auto pairing = diff::pairObjects(
        {cm, cm},
        {object(u"v1"_s, u"ConfigMap"_s, u"old"_s, u"s"_s, u"shop:/ConfigMap:s/old"_s),
         object(u"v1"_s, u"ConfigMap"_s, u"other"_s, u"s"_s, u"other-app:/ConfigMap:s/other"_s),
         object(u"v1"_s, u"ConfigMap"_s, u"untracked"_s, u"s"_s)},
        options);
    EXPECT_EQ(printed(pairing), (QStringList{u"/ConfigMap:s/a D-"_s, u"/ConfigMap:s/old -L"_s}));
    ASSERT_EQ(pairing.warnings.size(), 1);
    EXPECT_TRUE(pairing.warnings.first().contains(u"desired twice"_s));
}

TEST(Quantity, ComparesExactlyByValue) {
    EXPECT_TRUE(diff::quantitiesEqual(u"100m"_s, u"0.1"_s));
    EXPECT_TRUE(diff::quantitiesEqual(u"1Gi"_s, u"1024Mi"_s));
    EXPECT_TRUE(diff::quantitiesEqual(u"1e3"_s, u"1k"_s));
    EXPECT_TRUE(diff::quantitiesEqual(u"1.5Gi"_s, u"1536Mi"_s));
    EXPECT_TRUE(diff::quantitiesEqual(u"-2"_s, u"-2000m"_s));
    EXPECT_FALSE(diff::quantitiesEqual(u"1000000000001"_s, u"1T"_s));
    EXPECT_FALSE(diff::quantitiesEqual(u"1Ki"_s, u"1k"_s));
    EXPECT_FALSE(diff::quantitiesEqual(u"abc"_s, u"abc"_s)) << "not a quantity";
    EXPECT_FALSE(diff::quantitiesEqual(u"1e999"_s, u"1e999"_s)) << "out of range is not a quantity";
    EXPECT_FALSE(diff::parseQuantity(u"."_s).has_value());
    EXPECT_FALSE(diff::parseQuantity(u"5X"_s).has_value());
}

TEST(Pairing, ATrackingIdCopiedFromAnotherObjectDoesNotTrack) {
    // The Deployment controller copies a Deployment's annotations to its ReplicaSets (on a real
    // control plane and in kubesim): the copy names the Deployment, so the ReplicaSet is no Extra.
    diff::PairingOptions options;
    options.appName = u"shop"_s;
    options.destinationNamespace = u"s"_s;
    const auto replicaSet =
        object(u"apps/v1"_s, u"ReplicaSet"_s, u"web-5d4f"_s, u"s"_s, u"shop:apps/Deployment:s/web"_s);
    EXPECT_EQ(diff::trackedBy(replicaSet), QString());
    EXPECT_EQ(diff::trackedBy(
                  object(u"apps/v1"_s, u"Deployment"_s, u"web"_s, u"s"_s, u"shop:apps/Deployment:s/web"_s)),
              u"shop"_s);
    const auto pairing = diff::pairObjects(
        {object(u"apps/v1"_s, u"Deployment"_s, u"web"_s)},
        {object(u"apps/v1"_s, u"Deployment"_s, u"web"_s, u"s"_s, u"shop:apps/Deployment:s/web"_s),
         replicaSet},
        options);
    EXPECT_EQ(printed(pairing), QStringList{u"apps/Deployment:s/web DL"_s});
}

} // namespace
