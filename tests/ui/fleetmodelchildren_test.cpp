// The fleet tree nests the objects a resource owns (ownerReferences, as the engine publishes
// them: Deployment → ReplicaSet → Pod) under it, merges them incrementally like every other row,
// shows their health and lets the filter text find them.
#include "fleet/detailspane.h"
#include "fleet/fleetfiltermodel.h"
#include "fleet/fleetmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonObject>
#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace driftdeck;
using namespace driftdeck::engine;
using driftdeck::ui::FleetFilterModel;
using driftdeck::ui::FleetModel;

namespace {

QString printTree(const QAbstractItemModel& model, const QModelIndex& parent = {}, int depth = 0) {
    QString out;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        out += QString(depth * 2, u' ') + index.data().toString() + u'\n';
        out += printTree(model, index, depth + 1);
    }
    return out;
}

ChildStatus child(const QString& kind, const QString& name, const QString& uid, const QString& ownerUid,
                  health::HealthStatus health = health::HealthStatus::Healthy) {
    ChildStatus status;
    status.key = ResourceKey{kind == u"Pod"_s ? QString() : u"apps"_s, kind, u"default"_s, name};
    status.uid = uid;
    status.ownerUid = ownerUid;
    status.health.status = health;
    return status;
}

// shop's Deployment web owns ReplicaSet web-1 with `pods` Pods; its Service owns nothing.
Snapshot shopSnapshot(quint64 generation, QList<ChildStatus> children) {
    ClusterStatus cluster;
    cluster.name = u"c0"_s;
    cluster.connection = ConnectionState::Connected;
    AppStatus app;
    app.name = u"shop"_s;
    app.cluster = u"c0"_s;
    app.sync = SyncStatus::Synced;
    ResourceStatus deployment;
    deployment.key = ResourceKey{u"apps"_s, u"Deployment"_s, u"default"_s, u"web"_s};
    deployment.diff.key = deployment.key;
    deployment.uid = u"uid-deploy"_s;
    ResourceStatus service;
    service.key = ResourceKey{QString(), u"Service"_s, u"default"_s, u"web"_s};
    service.diff.key = service.key;
    service.uid = u"uid-svc"_s;
    app.resources = {deployment, service};
    app.children = std::move(children);
    auto snapshot = std::make_shared<FleetSnapshot>();
    snapshot->generation = generation;
    snapshot->clusters = {cluster};
    snapshot->applications = {app};
    snapshot->applicationIndex.insert(app.name, 0);
    return snapshot;
}

const ChildStatus kReplicaSet = child(u"ReplicaSet"_s, u"web-1"_s, u"uid-rs1"_s, u"uid-deploy"_s);
const ChildStatus kPodA = child(u"Pod"_s, u"web-1-a"_s, u"uid-pa"_s, u"uid-rs1"_s);
const ChildStatus kPodB =
    child(u"Pod"_s, u"web-1-b"_s, u"uid-pb"_s, u"uid-rs1"_s, health::HealthStatus::Degraded);

} // namespace

TEST(FleetModelChildren, OwnedObjectsNestUnderTheirOwnerWithHealth) {
    FleetModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.applySnapshot(shopSnapshot(1, {kReplicaSet, kPodA, kPodB}));
    EXPECT_EQ(printTree(model), u"c0\n"
                                u"  shop\n"
                                u"    Deployment default/web\n"
                                u"      ReplicaSet web-1\n"
                                u"        Pod web-1-a\n"
                                u"        Pod web-1-b\n"
                                u"    Service default/web\n"_s);
    const QModelIndex deployment =
        model.resourceIndex(u"shop"_s, ResourceKey{u"apps"_s, u"Deployment"_s, u"default"_s, u"web"_s});
    const QModelIndex replicaSet = model.index(0, 0, deployment);
    const QModelIndex podB = model.index(1, 0, replicaSet);
    EXPECT_EQ(model.nodeType(podB), FleetModel::NodeType::Child);
    ASSERT_NE(model.childAt(podB), nullptr);
    EXPECT_EQ(model.childAt(podB)->uid, u"uid-pb"_s);
    EXPECT_EQ(model.index(1, FleetModel::HealthColumn, replicaSet).data().toString(), u"Degraded"_s);
    EXPECT_FALSE(model.index(1, FleetModel::HealthColumn, replicaSet)
                     .data(Qt::DecorationRole)
                     .value<QIcon>()
                     .isNull());
    EXPECT_EQ(podB.data(FleetModel::HealthStatusRole).toInt(), int(health::HealthStatus::Degraded));
    EXPECT_EQ(podB.data(FleetModel::ApplicationNameRole).toString(), u"shop"_s);
    ASSERT_NE(model.applicationOf(podB), nullptr);
    EXPECT_EQ(model.applicationOf(podB)->name, u"shop"_s);
    EXPECT_TRUE(
        ui::childDetailsHtml(*model.applicationOf(podB), *model.childAt(podB)).contains(u"web-1-b"_s));
}

TEST(FleetModelChildren, ARolloutIsMergedWithoutResetKeepingPersistentIndexes) {
    FleetModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.applySnapshot(shopSnapshot(1, {kReplicaSet, kPodA, kPodB}));
    const QModelIndex deployment = model.index(0, 0, model.applicationIndex(u"shop"_s));
    const QPersistentModelIndex oldReplicaSet = model.index(0, 0, deployment);
    const QPersistentModelIndex podA = model.index(0, 0, oldReplicaSet);

    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutAboutToBeChanged);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    // A rollout: a new ReplicaSet with one Pod; the old one keeps Pod a, Pod b is gone and a heals.
    ChildStatus healedA = kPodA;
    healedA.health.status = health::HealthStatus::Progressing;
    model.applySnapshot(shopSnapshot(2, {kReplicaSet, healedA,
                                         child(u"ReplicaSet"_s, u"web-2"_s, u"uid-rs2"_s, u"uid-deploy"_s),
                                         child(u"Pod"_s, u"web-2-a"_s, u"uid-p2"_s, u"uid-rs2"_s)}));
    EXPECT_EQ(reset.count(), 0);
    EXPECT_EQ(layout.count(), 0);
    EXPECT_EQ(printTree(model), u"c0\n"
                                u"  shop\n"
                                u"    Deployment default/web\n"
                                u"      ReplicaSet web-1\n"
                                u"        Pod web-1-a\n"
                                u"      ReplicaSet web-2\n"
                                u"        Pod web-2-a\n"
                                u"    Service default/web\n"_s);
    ASSERT_TRUE(oldReplicaSet.isValid());
    ASSERT_TRUE(podA.isValid());
    EXPECT_EQ(podA.data().toString(), u"Pod web-1-a"_s);
    EXPECT_EQ(podA.data(FleetModel::HealthStatusRole).toInt(), int(health::HealthStatus::Progressing));
    bool podAChanged = false;
    for (const QList<QVariant>& signal : changed)
        if (signal[0].value<QModelIndex>() == QModelIndex(podA))
            podAChanged = true;
    EXPECT_TRUE(podAChanged);

    // Children whose owner is gone leave with it.
    model.applySnapshot(shopSnapshot(3, {}));
    EXPECT_EQ(printTree(model), u"c0\n  shop\n    Deployment default/web\n    Service default/web\n"_s);
    EXPECT_FALSE(podA.isValid());
}

TEST(FleetModelChildren, FilterTextMatchesOwnedObjects) {
    FleetModel model;
    FleetFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester modelTester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.applySnapshot(shopSnapshot(1, {kReplicaSet, kPodA, kPodB}));
    filter.setFilterText(u"web-1-b"_s);
    filter.applyPendingFilterText();
    EXPECT_EQ(printTree(filter), u"c0\n  shop\n    Deployment default/web\n      ReplicaSet web-1\n"
                                 u"        Pod web-1-b\n"_s);
    // Degraded Pods show through the quick filter with their owners; drift filters do not list them.
    filter.setFilterText({});
    filter.applyPendingFilterText();
    filter.setQuickFilter(FleetFilterModel::DegradedOnly, true);
    EXPECT_EQ(printTree(filter), u"c0\n  shop\n    Deployment default/web\n      ReplicaSet web-1\n"
                                 u"        Pod web-1-b\n"_s);
    filter.setQuickFilter(FleetFilterModel::DegradedOnly, false);
    filter.setQuickFilter(FleetFilterModel::OutOfSyncOnly, true);
    EXPECT_EQ(printTree(filter), QString());
}

TEST(DetailsPaneConditions, ListsConditionsNewestFirst) {
    QJsonArray conditions{QJsonObject{{u"type"_s, u"Progressing"_s},
                                      {u"status"_s, u"True"_s},
                                      {u"reason"_s, u"NewReplicaSetAvailable"_s},
                                      {u"message"_s, u"ReplicaSet web-1 has successfully progressed."_s},
                                      {u"lastTransitionTime"_s, u"2026-01-01T10:00:00Z"_s}},
                          QJsonObject{{u"type"_s, u"Available"_s},
                                      {u"status"_s, u"False"_s},
                                      {u"reason"_s, u"MinimumReplicasUnavailable"_s},
                                      {u"message"_s, u"<b>not</b> enough"_s},
                                      {u"lastTransitionTime"_s, u"2026-01-02T10:00:00Z"_s}},
                          u"not an object"_s};
    const QString html = ui::conditionsHtml(conditions);
    ASSERT_TRUE(html.contains(u"Conditions"_s));
    EXPECT_LT(html.indexOf(u"MinimumReplicasUnavailable"_s), html.indexOf(u"NewReplicaSetAvailable"_s));
    EXPECT_TRUE(html.contains(u"&lt;b&gt;not&lt;/b&gt; enough"_s)); // escaped, never markup
    EXPECT_TRUE(ui::conditionsHtml({}).isEmpty());

    ResourceStatus resource;
    resource.key = ResourceKey{u"apps"_s, u"Deployment"_s, u"default"_s, u"web"_s};
    resource.conditions = conditions;
    AppStatus app;
    app.name = u"shop"_s;
    EXPECT_TRUE(ui::resourceDetailsHtml(app, resource).contains(u"MinimumReplicasUnavailable"_s));
}
