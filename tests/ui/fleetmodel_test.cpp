// The fleet tree model fed by snapshots: incremental merges (no reset, persistent indexes kept,
// rows inserted and removed where resources come and go), and the recursive filter with its quick
// filters. Every model is watched by QAbstractItemModelTester.
#include "fleet/fleetfiltermodel.h"
#include "fleet/fleetmodel.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace driftdeck;
using namespace driftdeck::engine;
using driftdeck::ui::FleetFilterModel;
using driftdeck::ui::FleetModel;

namespace {

ResourceStatus resource(const QString& kind, const QString& name,
                        diff::ObjectDiff::State state = diff::ObjectDiff::State::Synced,
                        health::HealthStatus health = health::HealthStatus::Healthy) {
    ResourceStatus status;
    status.key = ResourceKey{kind == u"Deployment"_s ? u"apps"_s : QString(), kind, u"default"_s, name};
    status.diff.key = status.key;
    status.diff.state = state;
    status.health.status = health;
    return status;
}

AppStatus application(const QString& name, const QString& cluster, QList<ResourceStatus> resources) {
    AppStatus app;
    app.name = name;
    app.cluster = cluster;
    app.sync = SyncStatus::Synced;
    for (const ResourceStatus& r : resources)
        if (r.diff.hasDrift())
            app.sync = SyncStatus::OutOfSync;
    app.resources = std::move(resources);
    return app;
}

Snapshot snapshotOf(quint64 generation, QList<ClusterStatus> clusters, QList<AppStatus> apps) {
    auto snapshot = std::make_shared<FleetSnapshot>();
    snapshot->generation = generation;
    snapshot->clusters = std::move(clusters);
    snapshot->applications = std::move(apps);
    for (qsizetype i = 0; i < snapshot->applications.size(); ++i)
        snapshot->applicationIndex.insert(snapshot->applications[i].name, i);
    return snapshot;
}

ClusterStatus cluster(const QString& name, QStringList tags = {}) {
    ClusterStatus status;
    status.name = name;
    status.context = name;
    status.tags = std::move(tags);
    status.connection = ConnectionState::Connected;
    return status;
}

// The visible tree as text, one line per row, indented by depth: what a person would see.
QString printTree(const QAbstractItemModel& model, const QModelIndex& parent = {}, int depth = 0) {
    QString out;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        out += QString(depth * 2, u' ') + index.data().toString() + u'\n';
        out += printTree(model, index, depth + 1);
    }
    return out;
}

const QList<ClusterStatus> kClusters{cluster(u"c0"_s), cluster(u"prod-eu"_s, {u"production"_s})};

Snapshot snapshotA() {
    return snapshotOf(
        1, kClusters,
        {application(u"shop"_s, u"c0"_s,
                     {resource(u"Deployment"_s, u"web"_s), resource(u"Service"_s, u"web"_s),
                      resource(u"ConfigMap"_s, u"web-config"_s)}),
         application(u"blog"_s, u"prod-eu"_s,
                     {resource(u"Deployment"_s, u"blog"_s), resource(u"Service"_s, u"blog"_s)})});
}

// shop changed: its ConfigMap drifted, its Service is gone, a Secret is new. blog is untouched.
Snapshot snapshotB() {
    return snapshotOf(
        2, kClusters,
        {application(u"shop"_s, u"c0"_s,
                     {resource(u"Deployment"_s, u"web"_s),
                      resource(u"ConfigMap"_s, u"web-config"_s, diff::ObjectDiff::State::OutOfSync),
                      resource(u"Secret"_s, u"web-tls"_s, diff::ObjectDiff::State::Missing,
                               health::HealthStatus::Missing)}),
         application(u"blog"_s, u"prod-eu"_s,
                     {resource(u"Deployment"_s, u"blog"_s), resource(u"Service"_s, u"blog"_s)})});
}

} // namespace

TEST(FleetModel, FirstSnapshotBuildsClusterApplicationResourceTree) {
    FleetModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.applySnapshot(snapshotA());
    EXPECT_EQ(printTree(model), u"c0\n"
                                u"  shop\n"
                                u"    Deployment default/web\n"
                                u"    Service default/web\n"
                                u"    ConfigMap default/web-config\n"
                                u"prod-eu  [production]\n"
                                u"  blog\n"
                                u"    Deployment default/blog\n"
                                u"    Service default/blog\n"_s);
    const QModelIndex shop = model.applicationIndex(u"shop"_s);
    EXPECT_EQ(shop.data(FleetModel::SyncStatusRole).toInt(), int(SyncStatus::Synced));
    EXPECT_EQ(model.index(0, FleetModel::SyncColumn, shop).data().toString(), u"Synced"_s);
    EXPECT_EQ(model.resourceIndex(u"blog"_s, ResourceKey{u"apps"_s, u"Deployment"_s, u"default"_s, u"blog"_s})
                  .data(FleetModel::ClusterTagsRole)
                  .toStringList(),
              QStringList{u"production"_s});
}

TEST(FleetModel, ASecondSnapshotIsMergedWithoutResetKeepingPersistentIndexes) {
    FleetModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.applySnapshot(snapshotA());
    const QModelIndex shop = model.applicationIndex(u"shop"_s);
    const QPersistentModelIndex deployment = model.index(0, 0, shop);
    const QPersistentModelIndex config = model.index(2, 0, shop);
    const QPersistentModelIndex blogService = model.index(1, 0, model.applicationIndex(u"blog"_s));
    const QPersistentModelIndex persistentShop = shop;

    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutAboutToBeChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applySnapshot(snapshotB());

    EXPECT_EQ(reset.count(), 0);
    EXPECT_EQ(layout.count(), 0);
    ASSERT_EQ(removed.count(), 1);
    EXPECT_EQ(removed[0][0].value<QModelIndex>(), QModelIndex(persistentShop));
    EXPECT_EQ(removed[0][1].toInt(), 1); // the Service
    EXPECT_EQ(removed[0][2].toInt(), 1);
    ASSERT_EQ(inserted.count(), 1);
    EXPECT_EQ(inserted[0][0].value<QModelIndex>(), QModelIndex(persistentShop));
    EXPECT_EQ(inserted[0][1].toInt(), 2); // the Secret, appended after the two that stayed
    EXPECT_EQ(inserted[0][2].toInt(), 2);

    // The indexes held across the merge still name the same things.
    ASSERT_TRUE(deployment.isValid());
    ASSERT_TRUE(config.isValid());
    ASSERT_TRUE(blogService.isValid());
    EXPECT_EQ(deployment.data().toString(), u"Deployment default/web"_s);
    EXPECT_EQ(config.data().toString(), u"ConfigMap default/web-config"_s);
    EXPECT_EQ(config.row(), 1);
    EXPECT_EQ(config.data(FleetModel::DiffStateRole).toInt(), int(diff::ObjectDiff::State::OutOfSync));
    EXPECT_EQ(blogService.data().toString(), u"Service default/blog"_s);
    EXPECT_EQ(persistentShop.data(FleetModel::SyncStatusRole).toInt(), int(SyncStatus::OutOfSync));

    // Changes reported: shop's row, and the ConfigMap's; nothing under blog.
    bool configChanged = false;
    for (const QList<QVariant>& signal : changed) {
        const QModelIndex top = signal[0].value<QModelIndex>();
        const QModelIndex bottom = signal[1].value<QModelIndex>();
        EXPECT_NE(top.parent(), model.applicationIndex(u"blog"_s));
        if (top.parent() == QModelIndex(persistentShop) && top.row() <= config.row() &&
            bottom.row() >= config.row())
            configChanged = true;
    }
    EXPECT_TRUE(configChanged);

    // The same snapshot again changes nothing.
    changed.clear();
    model.applySnapshot(snapshotB());
    EXPECT_EQ(changed.count(), 0);
    EXPECT_EQ(inserted.count(), 1);
    EXPECT_EQ(removed.count(), 1);
}

TEST(FleetModel, ApplicationsAndClustersComeAndGo) {
    FleetModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.applySnapshot(snapshotA());
    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    // blog leaves with its cluster; a new cluster arrives with an application on it.
    model.applySnapshot(snapshotOf(3, {cluster(u"c0"_s), cluster(u"c9"_s)},
                                   {snapshotA()->applications[0],
                                    application(u"news"_s, u"c9"_s, {resource(u"Service"_s, u"news"_s)})}));
    EXPECT_EQ(reset.count(), 0);
    EXPECT_EQ(printTree(model),
              u"c0\n  shop\n    Deployment default/web\n    Service default/web\n"
              u"    ConfigMap default/web-config\nc9\n  news\n    Service default/news\n"_s);
    EXPECT_FALSE(model.applicationIndex(u"blog"_s).isValid());
    // An application whose cluster the snapshot lacks still shows, under a cluster that says why.
    model.applySnapshot(snapshotOf(4, {cluster(u"c0"_s)}, {application(u"lost"_s, u"gone"_s, {})}));
    const QModelIndex gone = model.clusterIndex(u"gone"_s);
    ASSERT_TRUE(gone.isValid());
    EXPECT_TRUE(model.index(gone.row(), FleetModel::MessageColumn)
                    .data()
                    .toString()
                    .contains(u"not in the workspace"_s));
}

TEST(FleetFilterModel, TextMatchKeepsParentsAndQuickFiltersSelectDrift) {
    FleetModel model;
    FleetFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester modelTester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.applySnapshot(snapshotB());

    QSignalSpy applied(&filter, &FleetFilterModel::filterApplied);
    filter.setFilterText(u"web-tls"_s);
    EXPECT_EQ(applied.count(), 0); // debounced: nothing happens while the operator types
    ASSERT_TRUE(test::waitUntil([&] { return applied.count() == 1; }));
    EXPECT_EQ(printTree(filter), u"c0\n  shop\n    Secret default/web-tls\n"_s);

    // An application's name shows the application with all its resources.
    filter.setFilterText(u"blog"_s);
    filter.applyPendingFilterText();
    EXPECT_EQ(printTree(filter),
              u"prod-eu  [production]\n  blog\n    Deployment default/blog\n    Service default/blog\n"_s);

    filter.setFilterText({});
    filter.applyPendingFilterText();
    filter.setQuickFilter(FleetFilterModel::OutOfSyncOnly, true);
    EXPECT_EQ(printTree(filter),
              u"c0\n  shop\n    ConfigMap default/web-config\n    Secret default/web-tls\n"_s);
    filter.setQuickFilter(FleetFilterModel::OutOfSyncOnly, false);
    filter.setQuickFilter(FleetFilterModel::MissingOnly, true);
    EXPECT_EQ(printTree(filter), u"c0\n  shop\n    Secret default/web-tls\n"_s);
    filter.setQuickFilter(FleetFilterModel::MissingOnly, false);

    filter.setClusterTag(u"production"_s);
    EXPECT_EQ(printTree(filter),
              u"prod-eu  [production]\n  blog\n    Deployment default/blog\n    Service default/blog\n"_s);

    // Filtering survives a merge: the drift that appears in blog shows up under the filter.
    filter.setClusterTag({});
    filter.setQuickFilter(FleetFilterModel::OutOfSyncOnly, true);
    Snapshot next =
        snapshotOf(5, kClusters,
                   {snapshotB()->applications[0],
                    application(u"blog"_s, u"prod-eu"_s,
                                {resource(u"Deployment"_s, u"blog"_s, diff::ObjectDiff::State::OutOfSync),
                                 resource(u"Service"_s, u"blog"_s)})});
    model.applySnapshot(next);
    EXPECT_EQ(printTree(filter), u"c0\n  shop\n    ConfigMap default/web-config\n    Secret default/web-tls\n"
                                 u"prod-eu  [production]\n  blog\n    Deployment default/blog\n"_s);
}

namespace {

// `apps` applications of `resources` resources each on c0; `state` for every resource.
Snapshot bigSnapshot(quint64 generation, int apps, int resources, diff::ObjectDiff::State state) {
    QList<AppStatus> list;
    for (int a = 0; a < apps; ++a) {
        QList<ResourceStatus> items;
        for (int r = 0; r < resources; ++r)
            items.append(resource(u"ConfigMap"_s, u"cm-%1"_s.arg(r), state));
        list.append(application(u"app-%1"_s.arg(a, 3, 10, QChar(u'0')), u"c0"_s, items));
    }
    return snapshotOf(generation, {cluster(u"c0"_s)}, list);
}

} // namespace

TEST(FleetModelSlices, ASnapshotMergedInSlicesEndsAsTheWholeMergeAndANewerOneReplacesIt) {
    FleetModel sliced;
    FleetModel whole;
    QAbstractItemModelTester slicedTester(&sliced, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const Snapshot first = bigSnapshot(1, 60, 30, diff::ObjectDiff::State::Synced);
    const Snapshot second = bigSnapshot(2, 60, 30, diff::ObjectDiff::State::OutOfSync);

    // A zero budget merges one application's resources per slice.
    EXPECT_FALSE(sliced.beginSnapshot(first, std::chrono::milliseconds(0)));
    EXPECT_TRUE(sliced.merging());
    EXPECT_EQ(sliced.rowCount(sliced.clusterIndex(u"c0"_s)), 60) << "applications come at once";
    EXPECT_EQ(sliced.rowCount(sliced.applicationIndex(u"app-000"_s)), 30);
    EXPECT_EQ(sliced.rowCount(sliced.applicationIndex(u"app-059"_s)), 0) << "resources come slice by slice";
    int slices = 1;
    bool done = false;
    while (!done && slices < 1000) {
        done = sliced.continueSnapshot(std::chrono::milliseconds(0));
        ++slices;
    }
    EXPECT_EQ(slices, 60) << "one application per slice";
    whole.applySnapshot(first);
    EXPECT_EQ(printTree(sliced), printTree(whole));

    // Half-way through the second, a third (the first again) replaces it: the model ends as the third.
    EXPECT_FALSE(sliced.beginSnapshot(second, std::chrono::milliseconds(0)));
    for (int i = 0; i < 30; ++i)
        sliced.continueSnapshot(std::chrono::milliseconds(0));
    const Snapshot third = bigSnapshot(3, 60, 30, diff::ObjectDiff::State::Synced);
    sliced.beginSnapshot(third, std::chrono::milliseconds::max());
    EXPECT_FALSE(sliced.merging());
    whole.applySnapshot(third);
    EXPECT_EQ(printTree(sliced), printTree(whole));
    for (int a = 0; a < 60; ++a) {
        const QModelIndex app = sliced.applicationIndex(u"app-%1"_s.arg(a, 3, 10, QChar(u'0')));
        for (int r = 0; r < sliced.rowCount(app); ++r)
            ASSERT_EQ(sliced.index(r, 0, app).data(FleetModel::DiffStateRole).toInt(),
                      int(diff::ObjectDiff::State::Synced));
    }
}

TEST(FleetModelSlices, AnApplicationWhoseListsTheEngineKeptIsNotMergedAgain) {
    FleetModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const Snapshot first = bigSnapshot(1, 3, 5, diff::ObjectDiff::State::Synced);
    model.applySnapshot(first);
    // The next snapshot shares app-000's lists and replaces app-001's with equal ones; app-002's changes.
    auto next = std::make_shared<FleetSnapshot>(*first);
    next->generation = 2;
    next->applications[1].resources =
        bigSnapshot(9, 1, 5, diff::ObjectDiff::State::Synced)->applications[0].resources;
    next->applications[2].resources[4].diff.state = diff::ObjectDiff::State::OutOfSync;
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const int mergedBefore = model.applicationsMerged();
    model.applySnapshot(next);
    EXPECT_EQ(model.applicationsMerged() - mergedBefore, 2) << "app-000's shared lists are skipped";
    // One dataChanged: the changed resource of app-002 (app rows are equal: same counts and status).
    ASSERT_EQ(changed.size(), 1);
    const QModelIndex where = changed.first().first().value<QModelIndex>();
    EXPECT_EQ(where.parent(), model.applicationIndex(u"app-002"_s));
    EXPECT_EQ(where.row(), 4);
}

TEST(FleetModelSlices, SnapshotsArrivingFasterThanSlicesStillReachTheLastApplication) {
    FleetModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.applySnapshot(bigSnapshot(1, 60, 30, diff::ObjectDiff::State::Synced));
    // Churn no merge can finish: a newer snapshot after every second slice, every application changed
    // in each. The merge goes on where the last one stopped, so every application is reached.
    quint64 generation = 2;
    model.beginSnapshot(bigSnapshot(generation, 60, 30, diff::ObjectDiff::State::OutOfSync),
                        std::chrono::milliseconds(0));
    for (int round = 0; round < 100; ++round) {
        model.continueSnapshot(std::chrono::milliseconds(0));
        if (round % 2 == 1)
            model.beginSnapshot(bigSnapshot(++generation, 60, 30, diff::ObjectDiff::State::OutOfSync),
                                std::chrono::milliseconds(0));
    }
    for (int a = 0; a < 60; ++a) {
        const QModelIndex app = model.applicationIndex(u"app-%1"_s.arg(a, 3, 10, QChar(u'0')));
        ASSERT_EQ(model.rowCount(app), 30);
        EXPECT_EQ(model.index(29, 0, app).data(FleetModel::DiffStateRole).toInt(),
                  int(diff::ObjectDiff::State::OutOfSync))
            << "app " << a << " was never reached";
    }

    // When the churn is a few applications per snapshot (as while a fleet starts), the merge ends.
    Snapshot current = bigSnapshot(++generation, 60, 30, diff::ObjectDiff::State::Synced);
    bool done = model.beginSnapshot(current, std::chrono::milliseconds(0));
    const QList<ResourceStatus> changed =
        bigSnapshot(0, 1, 30, diff::ObjectDiff::State::OutOfSync)->applications[0].resources;
    for (int round = 0; !done && round < 400; ++round) {
        done = model.continueSnapshot(std::chrono::milliseconds(0));
        if (!done && round % 2 == 1) {
            auto next = std::make_shared<FleetSnapshot>(*current);
            next->generation = ++generation;
            for (int a : {round % 60, (round * 7) % 60})
                next->applications[a].resources = QList<ResourceStatus>(changed.cbegin(), changed.cend());
            current = next;
            done = model.beginSnapshot(current, std::chrono::milliseconds(0));
        }
    }
    ASSERT_TRUE(done) << "the merge never ended";
    FleetModel whole;
    whole.applySnapshot(current);
    EXPECT_EQ(printTree(model), printTree(whole));
}
