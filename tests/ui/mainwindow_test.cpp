// The main window end to end: kubesim clusters in the process, a Git repository built here, the
// engine on its own thread. The window shows clusters and applications with their status, the diff
// of a drifted application with its provenance gutter, owned objects nested in the tree, the sync
// plan with a selective sync, the production confirmation, the history of an application, and an
// unreachable cluster that holds up nothing. Revert, compare and rollback: mainwindowhistory_test.cpp.
#include "mainwindowfixture.h"

using namespace driftdeck::test::mainwindow;

TEST_F(MainWindowTest, ShowsTheFleetTheDiffAndSyncsSelectively) {
    startWindow();
    ASSERT_TRUE(waitUntil(
        [&] {
            return app(u"shop"_s) && app(u"shop"_s)->sync == SyncStatus::OutOfSync && app(u"blog"_s) &&
                   app(u"blog"_s)->sync == SyncStatus::OutOfSync && app(u"far"_s) &&
                   app(u"far"_s)->sync == SyncStatus::Error;
        },
        kWait))
        << window->connectionSummary().toStdString();

    // The tree: clusters with their connection, applications with their sync status.
    FleetModel* model = window->fleetModel();
    const QModelIndex c0 = model->clusterIndex(u"c0"_s);
    ASSERT_TRUE(c0.isValid());
    EXPECT_EQ(model->index(c0.row(), FleetModel::SyncColumn).data().toString(), u"Connected"_s);
    const QModelIndex shop = model->applicationIndex(u"shop"_s);
    EXPECT_EQ(model->index(shop.row(), FleetModel::SyncColumn, shop.parent()).data().toString(),
              u"OutOfSync"_s);
    EXPECT_EQ(shop.parent(), c0);
    // The unreachable cluster says so, with its error, and held up nobody.
    const QModelIndex dead = model->clusterIndex(u"dead"_s);
    EXPECT_EQ(model->index(dead.row(), FleetModel::SyncColumn).data().toString(), u"Unreachable"_s);
    EXPECT_FALSE(model->index(dead.row(), FleetModel::MessageColumn).data().toString().isEmpty());
    EXPECT_TRUE(window->connectionSummary().contains(u"2 of 3 connected"_s))
        << window->connectionSummary().toStdString();
    // The tree view shows them (through the filter proxy), expanded.
    EXPECT_EQ(window->tree()->model()->rowCount(), 3);
    // shop's Deployment owns the ReplicaSet kubesim's controller made, which owns its Pod: nested.
    const ResourceKey shopDeployment{u"apps"_s, u"Deployment"_s, u"default"_s, u"shop"_s};
    ASSERT_TRUE(waitUntil(
        [&] {
            const QModelIndex deployment = model->resourceIndex(u"shop"_s, shopDeployment);
            if (model->rowCount(deployment) != 1)
                return false;
            const QModelIndex replicaSet = model->index(0, 0, deployment);
            return replicaSet.data().toString().startsWith(u"ReplicaSet shop-"_s) &&
                   model->rowCount(replicaSet) >= 1 &&
                   model->index(0, 0, replicaSet).data().toString().startsWith(u"Pod shop-"_s) &&
                   !model->index(0, FleetModel::HealthColumn, replicaSet).data().toString().isEmpty();
        },
        kWait));

    // Selecting the application shows its drift: Git's "bonjour" left, live "hello" right.
    ASSERT_TRUE(window->selectApplication(u"shop"_s));
    window->tabs()->setCurrentWidget(window->diffPane());
    ASSERT_TRUE(waitUntil([&] { return !window->diffPane()->isBuilding(); }, kWait));
    const ui::DiffDocument& document = window->diffPane()->view()->document();
    ASSERT_EQ(document.sectionCount(), 2) << window->diffPane()->title().toStdString();
    bool sawDrift = false;
    for (int i = 0; i < document.sectionCount(); ++i)
        if (document.section(i).key == kShopConfig)
            sawDrift = document.section(i).desiredLines.join(u'\n').contains(u"greeting: bonjour"_s) &&
                       document.section(i).liveLines.join(u'\n').contains(u"greeting: hello"_s);
    EXPECT_TRUE(sawDrift);
    EXPECT_TRUE(window->detailsPane()->content().contains(u"OutOfSync"_s));
    // The provenance gutter: the greeting line carries the commit that wrote it.
    ASSERT_TRUE(waitUntil([&] { return window->diffPane()->pendingProvenance() == 0; }, kWait));
    const QString head = fleet.repo().workRev(u"HEAD"_s);
    bool sawProvenance = false;
    for (int i = 0; i < document.sectionCount(); ++i)
        if (document.section(i).key == kShopConfig) {
            const int line = int(document.section(i).desiredLines.indexOf(u"  greeting: bonjour"_s)) + 1;
            ASSERT_GT(line, 0) << document.section(i).desiredLines.join(u'\n').toStdString();
            EXPECT_EQ(document.desiredProvenance(i, line).commitId, head);
            sawProvenance = true;
        }
    EXPECT_TRUE(sawProvenance);
    // A click on it (commitActivated) opens the History tab with that commit selected.
    Q_EMIT window->diffPane()->view()->commitActivated(head);
    EXPECT_EQ(window->tabs()->currentWidget(), window->historyPane());
    ASSERT_TRUE(waitUntil([&] { return window->historyPane()->selectedCommit() == head; }, kWait));
    window->tabs()->setCurrentWidget(window->diffPane());
    saveScreenshot(u"ui-mainwindow.png"_s);

    // The sync dialog lists the plan; only the ConfigMap is synced.
    SyncDialog* dialog = window->openSyncDialog();
    ASSERT_NE(dialog, nullptr);
    EXPECT_FALSE(dialog->needsTypedConfirmation());
    ASSERT_TRUE(waitUntil([&] { return dialog->isPlanReady(); }, kWait));
    QTreeWidget* plan = dialog->planTable();
    QStringList rows;
    for (int i = 0; i < plan->topLevelItemCount(); ++i)
        rows << plan->topLevelItem(i)->text(0) + u' ' + plan->topLevelItem(i)->text(1) + u' ' +
                    plan->topLevelItem(i)->text(2);
    EXPECT_TRUE(rows.contains(u"Update ConfigMap shop-config"_s)) << rows.join(u", "_s).toStdString();
    EXPECT_TRUE(rows.contains(u"Create Service shop"_s)) << rows.join(u", "_s).toStdString();
    for (int i = 0; i < plan->topLevelItemCount(); ++i)
        if (plan->topLevelItem(i)->text(1) == u"Service"_s)
            plan->topLevelItem(i)->setCheckState(0, Qt::Unchecked);
    EXPECT_EQ(dialog->request().only, QSet<ResourceKey>{kShopConfig});
    ASSERT_TRUE(dialog->acceptButton()->isEnabled());
    dialog->acceptButton()->click();

    OperationResult result = waitForOperation(1);
    EXPECT_TRUE(result.ok) << result.message.toStdString();
    EXPECT_EQ(result.kind, u"sync"_s);
    ASSERT_TRUE(waitUntil(
        [&] {
            const ResourceStatus* config = resource(u"shop"_s, kShopConfig);
            return config && config->diff.state == diff::ObjectDiff::State::Synced;
        },
        kWait));
    // Left out of the selective sync: the Service is still missing.
    ASSERT_NE(resource(u"shop"_s, kShopService), nullptr);
    EXPECT_EQ(resource(u"shop"_s, kShopService)->diff.state, diff::ObjectDiff::State::Missing);

    // A second sync of everything that is left ends with the application Synced.
    dialog = window->openSyncDialog();
    ASSERT_NE(dialog, nullptr);
    ASSERT_TRUE(waitUntil([&] { return dialog->isPlanReady(); }, kWait));
    dialog->acceptButton()->click();
    result = waitForOperation(2);
    EXPECT_TRUE(result.ok) << result.message.toStdString();
    ASSERT_TRUE(waitUntil([&] { return app(u"shop"_s)->sync == SyncStatus::Synced; }, kWait));

    // The history tab: the commit that created the application, and the two syncs recorded.
    window->tabs()->setCurrentWidget(window->historyPane());
    ASSERT_TRUE(
        waitUntil([&] { return window->historyPane()->commitsTable()->topLevelItemCount() == 1; }, kWait));
    EXPECT_EQ(window->historyPane()->commitsTable()->topLevelItem(0)->text(3), u"three applications"_s);
    ASSERT_TRUE(
        waitUntil([&] { return window->historyPane()->operationsTable()->topLevelItemCount() >= 2; }, kWait));
    EXPECT_EQ(window->historyPane()->operationsTable()->topLevelItem(0)->text(1), u"sync"_s);
    window->historyPane()->commitsTable()->setCurrentItem(
        window->historyPane()->commitsTable()->topLevelItem(0));
    ASSERT_TRUE(waitUntil(
        [&] { return window->historyPane()->commitDiffView()->document().sectionCount() == 3; }, kWait));
    saveScreenshot(u"ui-mainwindow-history.png"_s);
}

TEST_F(MainWindowTest, AProductionClusterAsksForItsNameBeforeSyncing) {
    startWindow();
    ASSERT_TRUE(
        waitUntil([&] { return app(u"blog"_s) && app(u"blog"_s)->sync == SyncStatus::OutOfSync; }, kWait));
    ASSERT_TRUE(window->selectApplication(u"blog"_s));
    // Keyboard: Ctrl+F goes to the filter box, Ctrl+S opens the sync dialog of the selection.
    window->activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(window.get()));
    QTest::keyClick(window.get(), Qt::Key_F, Qt::ControlModifier);
    EXPECT_TRUE(window->filterEdit()->hasFocus());
    QTest::keyClick(window.get(), Qt::Key_S, Qt::ControlModifier | Qt::ShiftModifier);
    SyncDialog* dialog = window->findChild<SyncDialog*>();
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->needsTypedConfirmation());
    ASSERT_TRUE(waitUntil([&] { return dialog->isPlanReady(); }, kWait));
    ASSERT_GE(dialog->planTable()->topLevelItemCount(), 1);
    EXPECT_FALSE(dialog->acceptButton()->isEnabled());
    dialog->confirmationEdit()->setText(u"c"_s);
    EXPECT_FALSE(dialog->acceptButton()->isEnabled());
    dialog->confirmationEdit()->setText(u"c1 "_s);
    EXPECT_FALSE(dialog->acceptButton()->isEnabled());
    dialog->confirmationEdit()->setText(u"c1"_s);
    EXPECT_TRUE(dialog->acceptButton()->isEnabled());
    QDir(outputDir()).mkpath(u"."_s);
    EXPECT_TRUE(dialog->grab().save(QDir(outputDir()).filePath(u"ui-syncdialog.png"_s)));
    dialog->reject();
    EXPECT_TRUE(finished.isEmpty());

    // The filter box (debounced) keeps the matching application and its cluster.
    window->filterEdit()->setText(u"blog"_s);
    ASSERT_TRUE(waitUntil([&] { return window->tree()->model()->rowCount() == 1; }));
    const QModelIndex cluster = window->tree()->model()->index(0, 0);
    EXPECT_EQ(cluster.data().toString(), u"c1  [production]"_s);
    ASSERT_EQ(window->tree()->model()->rowCount(cluster), 1);
    EXPECT_EQ(window->tree()->model()->index(0, 0, cluster).data().toString(), u"blog"_s);
    // The selection survived the filter.
    EXPECT_EQ(window->selectedApplication(), u"blog"_s);
}

TEST_F(MainWindowTest, TheLiveGutterNamesTheManagerThatEditedADriftedField) {
    // Someone edited shop's greeting by hand (forced): that manager alone owns the field now.
    ASSERT_TRUE(applyAs(fleet.client(0),
                        QJsonObject{{u"apiVersion"_s, u"v1"_s},
                                    {u"kind"_s, u"ConfigMap"_s},
                                    {u"metadata"_s, QJsonObject{{u"name"_s, u"shop-config"_s},
                                                                {u"namespace"_s, u"default"_s}}},
                                    {u"data"_s, QJsonObject{{u"greeting"_s, u"edited by hand"_s}}}},
                        u"kubectl-edit"_s));
    startWindow();
    ASSERT_TRUE(
        waitUntil([&] { return app(u"shop"_s) && app(u"shop"_s)->sync == SyncStatus::OutOfSync; }, kWait));
    ASSERT_TRUE(window->selectResource(u"shop"_s, kShopConfig));
    window->tabs()->setCurrentWidget(window->diffPane());
    ASSERT_TRUE(waitUntil([&] { return !window->diffPane()->isBuilding(); }, kWait));
    const ui::DiffDocument& document = window->diffPane()->view()->document();
    ASSERT_EQ(document.sectionCount(), 1) << window->diffPane()->title().toStdString();
    const ui::DiffSection& section = document.section(0);
    ASSERT_EQ(section.key, kShopConfig);
    // The live gutter: the greeting line names the manager that wrote it and when (managedFields).
    const qsizetype greeting = section.liveLines.indexOf(u"  greeting: edited by hand"_s);
    ASSERT_GE(greeting, 0) << section.liveLines.join(u'\n').toStdString();
    ASSERT_LT(greeting, section.liveOwners.size());
    EXPECT_EQ(section.liveOwners.at(greeting).manager, u"kubectl-edit"_s);
    EXPECT_TRUE(section.liveOwners.at(greeting).time.isValid());
}

TEST_F(MainWindowTest, ClosingTheWindowDuringASyncStopsTheEngine) {
    startWindow();
    ASSERT_TRUE(
        waitUntil([&] { return app(u"shop"_s) && app(u"shop"_s)->sync == SyncStatus::OutOfSync; }, kWait));
    ASSERT_TRUE(window->selectApplication(u"shop"_s));
    SyncDialog* dialog = window->openSyncDialog();
    ASSERT_NE(dialog, nullptr);
    ASSERT_TRUE(waitUntil([&] { return dialog->isPlanReady(); }, kWait));
    dialog->acceptButton()->click();
    QPointer<ui::EngineController> controller = window->engineController();
    EXPECT_TRUE(controller->isRunning());
    window->close();
    EXPECT_FALSE(controller->isRunning());
    window.reset();
    EXPECT_TRUE(controller.isNull());
}

TEST(MainWindowEmptyState, AMissingWorkspaceFileSaysHowToMakeOne) {
    QTemporaryDir dir;
    MainWindow window;
    attachModelTesters(&window);
    window.openWorkspace(dir.filePath(u"none.yaml"_s), {});
    window.show();
    ASSERT_TRUE(waitUntil([&] { return window.isShowingEmptyState(); }));
    const QString text = window.centralWidget()->findChild<QLabel*>(u"emptyState"_s)->text();
    EXPECT_TRUE(text.contains(u"--demo"_s));
    EXPECT_TRUE(text.contains(u"none.yaml"_s));
}
