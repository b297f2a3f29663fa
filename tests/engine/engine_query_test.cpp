// Questions the engine answers without changing anything: which commit introduced a drifted field
// (blame), the provenance of the diff's desired lines, and the comparison at an older revision.
#include "enginetestsupport.h"
#include "testsupport.h"

#include <QFutureWatcher>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace driftdeck;
using namespace driftdeck::engine;
using namespace driftdeck::engine::test;

namespace {

template <typename T>
T await(QFuture<T> future) {
    driftdeck::test::waitUntil([&] { return future.isFinished(); }, std::chrono::seconds(20));
    EXPECT_TRUE(future.isFinished());
    return future.isFinished() ? future.result() : T(Error::make(Error::Code::Internal, u"no answer"_s));
}

class EngineQueryTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(fleet.start(1));
        fleet.writeApp(u"shop"_s, u"hello"_s, 1);
        first = fleet.repo().commitAll(u"shop: first version"_s);
        // Bob scales it; Cleo changes the greeting: two commits, two lines, two authors.
        fleet.writeApp(u"shop"_s, u"hello"_s, 3);
        fleet.repo().gitWork(
            {u"commit"_s, u"--author=Bob Builder <bob@example.com>"_s, u"-qam"_s, u"shop: three replicas"_s});
        scaled = fleet.repo().workRev(u"HEAD"_s);
        fleet.writeApp(u"shop"_s, u"bonjour"_s, 3);
        fleet.repo().gitWork({u"commit"_s, u"--author=Cleo Coder <cleo@example.com>"_s, u"-qam"_s,
                              u"shop: french greeting"_s});
        greeted = fleet.repo().workRev(u"HEAD"_s);
        fleet.repo().push();
    }

    std::unique_ptr<Engine> startEngine() {
        auto engine =
            std::make_unique<Engine>(fleet.workspace({fleet.appSpec(u"shop"_s, u"c0"_s)}), fleet.settings());
        engine->start();
        return engine;
    }

    TestFleet fleet;
    QString first;
    QString scaled;
    QString greeted;
};

TEST_F(EngineQueryTest, BlameNamesTheCommitThatChangedEachDriftedField) {
    // Live still has the first version: replicas and greeting both differ from Git.
    for (QJsonObject object : appObjects(u"shop"_s, u"hello"_s, 1)) {
        QJsonObject metadata = object.value(u"metadata").toObject();
        metadata.insert(u"namespace"_s, fleet.ns());
        object.insert(u"metadata"_s, metadata);
        ASSERT_TRUE(applyAs(fleet.client(0), object, u"driftdeck"_s));
    }
    auto engine = startEngine();
    ASSERT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        const AppStatus* shop = s.application(u"shop"_s);
        return shop && shop->sync == SyncStatus::OutOfSync;
    }));
    const Result<QList<FieldBlame>> blamed = await(engine->blame(u"shop"_s));
    ASSERT_TRUE(blamed.ok()) << blamed.error().toString().toStdString();
    QHash<QString, FieldBlame> byPointer;
    for (const FieldBlame& field : *blamed)
        byPointer.insert(field.key.kind + field.pointer, field);
    ASSERT_TRUE(byPointer.contains(u"Deployment/spec/replicas"_s))
        << byPointer.keys().join(u", "_s).toStdString();
    ASSERT_TRUE(byPointer.contains(u"ConfigMap/data/greeting"_s));
    const FieldBlame replicas = byPointer.value(u"Deployment/spec/replicas"_s);
    EXPECT_EQ(replicas.provenance.commitId, scaled);
    EXPECT_EQ(replicas.provenance.author, u"Bob Builder"_s);
    EXPECT_TRUE(replicas.provenance.exact);
    EXPECT_EQ(replicas.file, u"apps/shop/deployment.yaml"_s);
    const FieldBlame greeting = byPointer.value(u"ConfigMap/data/greeting"_s);
    EXPECT_EQ(greeting.provenance.commitId, greeted);
    EXPECT_EQ(greeting.provenance.author, u"Cleo Coder"_s);

    // The gutter: the desired side's replicas line carries Bob's commit, a server default none.
    ResourceKey deployment{u"apps"_s, u"Deployment"_s, fleet.ns(), u"shop"_s};
    const Result<QList<provenance::LineProvenance>> lines =
        await(engine->desiredLineProvenance(u"shop"_s, deployment));
    ASSERT_TRUE(lines.ok()) << lines.error().toString().toStdString();
    const AppStatus* shop = engine->snapshot()->application(u"shop"_s);
    QStringList shown;
    for (const ResourceStatus& resource : shop->resources)
        if (resource.key == deployment)
            shown = resource.diff.desired.yamlLines();
    ASSERT_EQ(lines->size(), shown.size());
    bool sawReplicas = false;
    bool sawDefault = false;
    for (qsizetype i = 0; i < shown.size(); ++i) {
        if (shown[i].trimmed() == u"replicas: 3") {
            sawReplicas = true;
            EXPECT_EQ(lines->at(i).commitId, scaled);
        }
        if (shown[i].trimmed().startsWith(u"progressDeadlineSeconds")) { // defaulted by the server
            sawDefault = true;
            EXPECT_TRUE(lines->at(i).isNull());
        }
    }
    EXPECT_TRUE(sawReplicas);
    EXPECT_TRUE(sawDefault);
}

TEST_F(EngineQueryTest, ComparingWithAnOlderRevisionLeavesTheStatusAlone) {
    for (QJsonObject object : appObjects(u"shop"_s, u"hello"_s, 1)) {
        QJsonObject metadata = object.value(u"metadata").toObject();
        metadata.insert(u"namespace"_s, fleet.ns());
        object.insert(u"metadata"_s, metadata);
        ASSERT_TRUE(applyAs(fleet.client(0), object, u"driftdeck"_s));
    }
    auto engine = startEngine();
    ASSERT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        const AppStatus* shop = s.application(u"shop"_s);
        return shop && shop->sync == SyncStatus::OutOfSync;
    }));
    const Result<QList<ResourceStatus>> atFirst = await(engine->compareAtRevision(u"shop"_s, first));
    ASSERT_TRUE(atFirst.ok()) << atFirst.error().toString().toStdString();
    QStringList compared;
    for (const ResourceStatus& resource : *atFirst)
        compared.append(resource.key.toString());
    ASSERT_EQ(atFirst->size(), 3) << compared.join(u", "_s).toStdString();
    for (const ResourceStatus& resource : *atFirst)
        EXPECT_EQ(resource.diff.state, diff::ObjectDiff::State::Synced)
            << resource.key.toString().toStdString();
    EXPECT_EQ(engine->snapshot()->application(u"shop"_s)->sync, SyncStatus::OutOfSync);
    EXPECT_EQ(engine->snapshot()->application(u"shop"_s)->commitId, greeted);

    const Result<QList<ResourceStatus>> missing =
        await(engine->compareAtRevision(u"shop"_s, u"no-such-revision"_s));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, Error::Code::NotFound);
}

} // namespace

namespace {

TEST_F(EngineQueryTest, PlanAtAnOlderRevisionUpdatesWhatThatRevisionChanges) {
    // Live is the newest commit (bonjour, 3 replicas): the application is Synced.
    for (QJsonObject object : appObjects(u"shop"_s, u"bonjour"_s, 3)) {
        QJsonObject metadata = object.value(u"metadata").toObject();
        metadata.insert(u"namespace"_s, fleet.ns());
        object.insert(u"metadata"_s, metadata);
        ASSERT_TRUE(applyAs(fleet.client(0), object, u"driftdeck"_s));
    }
    auto engine = startEngine();
    ASSERT_TRUE(waitForSnapshot(*engine, [](const FleetSnapshot& s) {
        const AppStatus* shop = s.application(u"shop"_s);
        return shop && shop->sync != SyncStatus::Unknown && shop->compareCount > 0;
    }));
    EXPECT_EQ(engine->snapshot()->application(u"shop"_s)->sync, SyncStatus::Synced)
        << syncStatusName(engine->snapshot()->application(u"shop"_s)->sync).toStdString();
    // Rolling back to Bob's commit (hello, 3 replicas) updates the ConfigMap only.
    const Result<sync::SyncPlan> plan = await(engine->planSyncAtRevision(u"shop"_s, scaled));
    ASSERT_TRUE(plan.ok()) << plan.error().toString().toStdString();
    QStringList actions;
    for (const sync::PlanItem& item : plan->items)
        actions << sync::actionName(item.action) + u' ' + item.key.kind + u' ' + item.key.name;
    EXPECT_TRUE(actions.contains(u"update ConfigMap shop-config"_s)) << actions.join(u", "_s).toStdString();
    EXPECT_EQ(plan->count(sync::PlanItem::Action::Update), 1) << actions.join(u", "_s).toStdString();
    EXPECT_EQ(plan->count(sync::PlanItem::Action::Create), 0);
    // To the first commit: the Deployment's replicas too.
    const Result<sync::SyncPlan> toFirst = await(engine->planSyncAtRevision(u"shop"_s, first));
    ASSERT_TRUE(toFirst.ok()) << toFirst.error().toString().toStdString();
    EXPECT_EQ(toFirst->count(sync::PlanItem::Action::Update), 2);
    // Nothing changed: the status still says Synced at the newest commit.
    EXPECT_EQ(engine->snapshot()->application(u"shop"_s)->sync, SyncStatus::Synced);
    EXPECT_EQ(engine->snapshot()->application(u"shop"_s)->commitId, greeted);

    const Result<sync::SyncPlan> unknown =
        await(engine->planSyncAtRevision(u"shop"_s, u"no-such-revision"_s));
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, Error::Code::NotFound);
    EXPECT_FALSE(await(engine->planSyncAtRevision(u"nobody"_s, first)).ok());
}

} // namespace
