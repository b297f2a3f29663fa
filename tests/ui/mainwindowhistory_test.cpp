// The main window's History tab end to end: revert a commit (the confirmation lists its files),
// compare live with an older revision, roll back to it (the dialog previews the plan at that
// revision and says auto-sync will be paused), then resume.
#include "mainwindowfixture.h"

using namespace driftdeck::test::mainwindow;

TEST_F(MainWindowTest, HistoryRevertsACommitComparesWithARevisionAndRollsBack) {
    // A second commit changes shop's greeting; the first one is where live still is.
    const QString first = fleet.repo().workRev(u"HEAD"_s);
    fleet.writeApp(u"shop"_s, u"salut"_s);
    const QString second = fleet.repo().commitAll(u"shop: salut"_s);
    fleet.repo().push();
    // The revert commit is written in the (local) repository itself, by its configured identity.
    fleet.repo().git(fleet.repo().remotePath(), {u"config"_s, u"user.name"_s, u"Ada Author"_s});
    fleet.repo().git(fleet.repo().remotePath(), {u"config"_s, u"user.email"_s, u"ada@example.com"_s});
    startWindow();
    ASSERT_TRUE(waitUntil([&] { return app(u"shop"_s) && app(u"shop"_s)->commitId == second; }, kWait));
    ASSERT_TRUE(window->selectApplication(u"shop"_s));
    window->tabs()->setCurrentWidget(window->historyPane());
    QTreeWidget* commits = window->historyPane()->commitsTable();
    ASSERT_TRUE(waitUntil([&] { return commits->topLevelItemCount() == 2; }, kWait));
    EXPECT_EQ(commits->topLevelItem(0)->text(3), u"shop: salut"_s);

    // Compare live with the first revision: Git said bonjour there, live says hello.
    commits->setCurrentItem(commits->topLevelItem(1));
    window->historyPane()->findChild<QPushButton*>(u"compareWithCommit"_s)->click();
    EXPECT_EQ(window->tabs()->currentWidget(), window->diffPane());
    // The revision's document, held against the snapshots that arrive meanwhile.
    ASSERT_TRUE(waitUntil(
        [&] {
            return window->diffPane()->title().contains(u"revision"_s) &&
                   window->diffPane()->view()->document().sectionCount() > 0;
        },
        kWait))
        << window->diffPane()->title().toStdString();
    const ui::DiffDocument& compared = window->diffPane()->view()->document();
    bool sawConfig = false;
    for (int i = 0; i < compared.sectionCount(); ++i)
        if (compared.section(i).key == kShopConfig)
            sawConfig = compared.section(i).desiredLines.join(u'\n').contains(u"bonjour"_s) &&
                        compared.section(i).liveLines.join(u'\n').contains(u"hello"_s);
    EXPECT_TRUE(sawConfig) << window->diffPane()->title().toStdString();

    // Revert the newest commit: the confirmation lists its files, then the revert commit is written.
    window->tabs()->setCurrentWidget(window->historyPane());
    commits->setCurrentItem(commits->topLevelItem(0));
    window->historyPane()->findChild<QPushButton*>(u"revertCommit"_s)->click();
    auto* box = window->findChild<QMessageBox*>();
    ASSERT_NE(box, nullptr);
    EXPECT_TRUE(box->text().contains(u"apps/shop/config.yaml"_s)) << box->text().toStdString();
    QAbstractButton* revert = nullptr;
    for (QAbstractButton* button : box->buttons())
        if (box->buttonRole(button) == QMessageBox::AcceptRole)
            revert = button;
    ASSERT_NE(revert, nullptr);
    revert->click();
    OperationResult result = waitForOperation(1);
    EXPECT_EQ(result.kind, u"revert"_s);
    EXPECT_TRUE(result.ok) << result.message.toStdString();
    EXPECT_NE(fleet.repo().remoteRev(u"main"_s), second);
    EXPECT_EQ(fleet.repo().git(fleet.repo().remotePath(), {u"rev-parse"_s, u"main^"_s}), second);

    // Roll back to the first revision: the dialog says auto-sync will be paused, then the
    // application is pinned.
    ASSERT_TRUE(waitUntil([&] { return commits->topLevelItemCount() == 3; }, kWait));
    commits->setCurrentItem(commits->topLevelItem(2));
    ASSERT_EQ(commits->currentItem()->data(0, Qt::UserRole + 1).toString(), first);
    window->historyPane()->findChild<QPushButton*>(u"rollbackToCommit"_s)->click();
    SyncDialog* dialog = window->findChild<SyncDialog*>();
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->findChild<QLabel*>()->text().contains(u"auto-sync is paused"_s));
    // The plan at that revision: bonjour over live's hello, and the missing Service.
    ASSERT_TRUE(waitUntil([&] { return dialog->isPlanReady(); }, kWait));
    QStringList planned;
    for (int i = 0; i < dialog->planTable()->topLevelItemCount(); ++i)
        planned << dialog->planTable()->topLevelItem(i)->text(0) + u' ' +
                       dialog->planTable()->topLevelItem(i)->text(1) + u' ' +
                       dialog->planTable()->topLevelItem(i)->text(2);
    EXPECT_TRUE(planned.contains(u"Update ConfigMap shop-config"_s)) << planned.join(u", "_s).toStdString();
    EXPECT_TRUE(planned.contains(u"Create Service shop"_s)) << planned.join(u", "_s).toStdString();
    ASSERT_TRUE(dialog->acceptButton()->isEnabled());
    dialog->acceptButton()->click();
    result = waitForOperation(2);
    EXPECT_EQ(result.kind, u"rollback"_s);
    EXPECT_TRUE(result.ok) << result.message.toStdString();
    ASSERT_TRUE(waitUntil([&] { return app(u"shop"_s)->pinnedRevision == first; }, kWait));
    EXPECT_TRUE(app(u"shop"_s)->autoSyncPaused);

    // Resume, after its confirmation: the pin is gone.
    ASSERT_TRUE(
        waitUntil([&] { return window->findChild<QAction*>(u"resumeAutoSync"_s)->isEnabled(); }, kWait));
    window->findChild<QAction*>(u"resumeAutoSync"_s)->trigger();
    box = window->findChild<QMessageBox*>();
    ASSERT_NE(box, nullptr);
    for (QAbstractButton* button : box->buttons())
        if (box->buttonRole(button) == QMessageBox::AcceptRole)
            button->click();
    result = waitForOperation(3);
    EXPECT_EQ(result.kind, u"resume"_s);
    ASSERT_TRUE(waitUntil([&] { return app(u"shop"_s)->pinnedRevision.isEmpty(); }, kWait));
}
