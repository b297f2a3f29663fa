#include "health/health.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

namespace driftdeck::health {
namespace {

using namespace Qt::StringLiterals;

const QList<HealthStatus> kArgoOrder{HealthStatus::Healthy,     HealthStatus::Suspended,
                                     HealthStatus::Progressing, HealthStatus::Missing,
                                     HealthStatus::Degraded,    HealthStatus::Unknown};

TEST(HealthOrder, FollowsArgoCdWorseThanOrder) {
    for (qsizetype i = 0; i < kArgoOrder.size(); ++i) {
        for (qsizetype j = 0; j < kArgoOrder.size(); ++j)
            EXPECT_EQ(isWorse(kArgoOrder[i], kArgoOrder[j]), i > j) << i << " vs " << j;
    }
}

TEST(HealthOrder, NamesRoundTrip) {
    const QStringList names{u"Healthy"_s, u"Suspended"_s, u"Progressing"_s,
                            u"Missing"_s, u"Degraded"_s,  u"Unknown"_s};
    for (qsizetype i = 0; i < kArgoOrder.size(); ++i) {
        EXPECT_EQ(statusName(kArgoOrder[i]), names[i]);
        HealthStatus parsed = HealthStatus::Healthy;
        ASSERT_TRUE(parseStatus(names[i], &parsed));
        EXPECT_EQ(parsed, kArgoOrder[i]);
    }
    HealthStatus untouched = HealthStatus::Suspended;
    EXPECT_FALSE(parseStatus(u"healthy"_s, &untouched));
    EXPECT_FALSE(parseStatus(u"Broken"_s, &untouched));
    EXPECT_EQ(untouched, HealthStatus::Suspended);
}

TEST(HealthAggregate, WorstWinsAndNamesTheFirstCulprit) {
    const QList<ResourceHealth> resources{
        {ResourceKey{u"apps"_s, u"Deployment"_s, u"shop"_s, u"api"_s}, {HealthStatus::Healthy, u"3 of 3"_s}},
        {ResourceKey{u"apps"_s, u"Deployment"_s, u"shop"_s, u"web"_s},
         {HealthStatus::Degraded, u"Deployment exceeded its progress deadline: x"_s}},
        {ResourceKey{{}, u"Pod"_s, u"shop"_s, u"web-1"_s}, {HealthStatus::Progressing, u"Pod pending"_s}},
        {ResourceKey{{}, u"Namespace"_s, {}, u"shop"_s}, {HealthStatus::Missing, u"not found"_s}},
        {ResourceKey{{}, u"Pod"_s, u"shop"_s, u"web-2"_s}, {HealthStatus::Degraded, u"container web: x"_s}},
    };
    const Health result = aggregate(resources);
    EXPECT_EQ(result.status, HealthStatus::Degraded);
    EXPECT_EQ(
        result.message,
        u"2 of 5 resources Degraded: Deployment shop/web: Deployment exceeded its progress deadline: x"_s);
}

TEST(HealthAggregate, MissingIsWorseThanProgressingButBetterThanDegraded) {
    const Health result = aggregate(QList<ResourceHealth>{
        {ResourceKey{{}, u"Namespace"_s, {}, u"shop"_s}, missing()},
        {ResourceKey{{}, u"Pod"_s, u"shop"_s, u"p"_s}, {HealthStatus::Progressing, u"Pod pending"_s}},
    });
    EXPECT_EQ(result.status, HealthStatus::Missing);
    EXPECT_EQ(result.message, u"1 of 2 resources Missing: Namespace shop: not found in the cluster"_s);
    EXPECT_EQ(aggregate(QList<Health>{{HealthStatus::Unknown, u"?"_s}, missing()}).status,
              HealthStatus::Unknown);
}

TEST(HealthAggregate, AllHealthyAndEmpty) {
    EXPECT_EQ(aggregate(QList<Health>{{HealthStatus::Healthy, {}}, {HealthStatus::Healthy, u"ok"_s}}),
              (Health{HealthStatus::Healthy, u"2 of 2 resources Healthy"_s}));
    EXPECT_EQ(aggregate(QList<Health>{}), (Health{HealthStatus::Healthy, u"no resources"_s}));
    EXPECT_EQ(aggregate(QList<Health>{{HealthStatus::Healthy, {}}, {HealthStatus::Suspended, u"paused"_s}}),
              (Health{HealthStatus::Suspended, u"1 of 2 resources Suspended: paused"_s}));
}

// Objects off the wire can be anything; assess() must answer, never crash, and keep one line.
TEST(HealthAssess, HostileShapesGiveAnAnswer) {
    const QList<QByteArray> shapes{
        R"({})",
        R"({"apiVersion":"apps/v1","kind":"Deployment","status":"not an object"})",
        R"({"apiVersion":"apps/v1","kind":"Deployment","spec":{"replicas":"three"},"status":{"conditions":"x"}})",
        R"({"apiVersion":"v1","kind":"Pod","status":{"phase":7,"containerStatuses":[1,"x",{"state":[]}]}})",
        R"({"apiVersion":"v1","kind":"Pod","status":{"phase":"Running","containerStatuses":[{"name":"a",
           "ready":false,"restartCount":1e300,"lastState":{"terminated":{"exitCode":"x"}}}]}})",
        R"({"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"annotations":
           {"autoscaling.alpha.kubernetes.io/conditions":"[{not json"}}})",
        R"({"apiVersion":"x/v1","kind":"Thing","metadata":{"generation":1e20},"status":{"observedGeneration":-1}})",
        R"({"apiVersion":"x/v1","kind":"Thing","metadata":{"deletionTimestamp":"t","finalizers":[{"a":1}]}})",
    };
    for (const QByteArray& shape : shapes) {
        const Health health = assess(QJsonDocument::fromJson(shape).object());
        EXPECT_FALSE(health.message.contains(u'\n')) << shape.constData();
    }
    QJsonObject ready;
    ready.insert(u"type"_s, u"Ready"_s);
    ready.insert(u"status"_s, u"False"_s);
    ready.insert(u"reason"_s, u"Broken"_s);
    ready.insert(u"message"_s, QString(QString(5000, u'x') + u"\nline two"_s));
    QJsonObject status;
    status.insert(u"conditions"_s, QJsonArray{ready});
    QJsonObject multiLine;
    multiLine.insert(u"apiVersion"_s, u"x/v1"_s);
    multiLine.insert(u"kind"_s, u"Thing"_s);
    multiLine.insert(u"status"_s, status);
    const Health health = assess(multiLine);
    EXPECT_EQ(health.status, HealthStatus::Degraded);
    EXPECT_FALSE(health.message.contains(u'\n'));
    EXPECT_LE(health.message.size(), 310);
}

} // namespace
} // namespace driftdeck::health
