// The setup page on an existing workspace (what it does not show is kept), the Argo CD import and
// the main window's ways in ("Set up a workspace…" on the empty state).
#include "fleet/mainwindow.h"
#include "setup/applicationdialog.h"
#include "setup/setuppage.h"
#include "testsupport.h"
#include "workspace/workspace.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTreeWidget>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace driftdeck;

namespace {

AppSpec makeApp(const QString& name, const QString& repo, const QString& path, const QString& cluster,
                const QString& ns) {
    AppSpec app;
    app.name = name;
    app.repo = repo;
    app.path = path;
    app.cluster = cluster;
    app.ns = ns;
    return app;
}

void writeText(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(text);
}

const QByteArray kubeconfigText = R"(apiVersion: v1
kind: Config
clusters:
- name: c-stage
  cluster: {server: "https://127.0.0.1:6444"}
users:
- name: u
  user: {token: not-used}
contexts:
- name: staging
  context: {cluster: c-stage, user: u}
)";

workspace::Workspace richWorkspace() {
    workspace::Workspace ws;
    ws.clusters = {ClusterSpec{u"old"_s, u"context-not-in-kubeconfig"_s, {u"legacy"_s}}};
    RepoSpec repo{u"config"_s, u"file:///nonexistent/driftdeck-test/config.git"_s, {}, {}};
    repo.credentials.type = CredentialsRef::Type::SshKey;
    repo.credentials.file = u"~/.ssh/deploy"_s;
    repo.credentials.passphraseEnv = u"DEPLOY_PASS"_s;
    ws.repositories = {repo};
    AppSpec app = makeApp(u"shop"_s, u"config"_s, u"charts/shop"_s, u"old"_s, u"shop"_s);
    app.targetRevision = u"v1.2"_s;
    app.renderer.type = RendererSpec::Type::Helm;
    app.renderer.helm.valueFiles = {u"values-prod.yaml"_s};
    app.syncPolicy.automated = true;
    app.syncPolicy.prune = true;
    app.syncOptions = {u"CreateNamespace=true"_s};
    IgnoreRule rule;
    rule.kind = u"Deployment"_s;
    rule.jsonPointers = {u"/spec/replicas"_s};
    app.ignoreDifferences = {rule};
    ws.applications = {app};
    return ws;
}

struct EditFixture : ::testing::Test {
    void SetUp() override {
        ASSERT_TRUE(tmp.isValid());
        kubeconfig = tmp.filePath(u"kubeconfig"_s);
        writeText(kubeconfig, kubeconfigText);
        workspacePath = tmp.filePath(u"workspace.yaml"_s);
    }
    QTemporaryDir tmp;
    QString kubeconfig;
    QString workspacePath;
};

} // namespace

TEST_F(EditFixture, EditingAWorkspaceKeepsWhatThePageDoesNotShow) {
    const workspace::Workspace original = richWorkspace();
    ASSERT_TRUE(workspace::saveWorkspace(original, workspacePath).ok());
    ui::SetupPage page({kubeconfig}, tmp.filePath(u"cache"_s));
    bool loaded = false;
    QObject::connect(&page, &ui::SetupPage::workspaceLoaded, [&] { loaded = true; });
    page.editFile(workspacePath);
    ASSERT_TRUE(test::waitUntil([&] { return loaded && page.contextsRead(); }));
    EXPECT_EQ(page.workspace(), original);
    // The workspace's cluster (kept although its context is not in this kubeconfig) and the
    // kubeconfig's unticked context.
    ASSERT_EQ(page.clusterTree()->topLevelItemCount(), 2);
    EXPECT_EQ(page.clusterTree()->topLevelItem(0)->checkState(0), Qt::Checked);
    EXPECT_EQ(page.clusterTree()->topLevelItem(1)->checkState(0), Qt::Unchecked);

    // Renaming the cluster renames it in its application; the context column is not editable.
    page.clusterTree()->topLevelItem(0)->setText(1, u"legacy-eu"_s);
    page.clusterTree()->topLevelItem(0)->setText(0, u"typed-over"_s);
    EXPECT_EQ(page.clusterTree()->topLevelItem(0)->text(0), u"context-not-in-kubeconfig"_s);
    ui::ApplicationDialog* dialog = page.openApplicationDialog(0);
    EXPECT_EQ(dialog->pathEdit()->text(), u"charts/shop"_s);
    dialog->namespaceEdit()->setText(u"shop-v2"_s);
    dialog->accept();
    ASSERT_TRUE(page.save()) << page.messageLabel()->text().toStdString();

    workspace::Workspace expected = original;
    expected.applications[0].ns = u"shop-v2"_s;
    expected.clusters[0].name = u"legacy-eu"_s;
    expected.applications[0].cluster = u"legacy-eu"_s;
    const auto reread = workspace::loadWorkspace(workspacePath);
    ASSERT_TRUE(reread.ok()) << reread.error().toString().toStdString();
    EXPECT_EQ(reread->workspace, expected);
}

TEST_F(EditFixture, SaveRefusesAWorkspaceThatWouldNotLoad) {
    ui::SetupPage page({kubeconfig}, tmp.filePath(u"cache"_s));
    page.setWorkspacePath(workspacePath);
    page.setWorkspace(richWorkspace());
    ASSERT_TRUE(test::waitUntil([&] { return page.contextsRead(); }));
    // Unticking the application's cluster leaves "shop" pointing nowhere.
    page.clusterTree()->topLevelItem(0)->setCheckState(0, Qt::Unchecked);
    EXPECT_FALSE(page.save());
    EXPECT_TRUE(page.messageLabel()->text().contains(u"old"_s)) << page.messageLabel()->text().toStdString();
    EXPECT_FALSE(QFile::exists(workspacePath));
}

TEST_F(EditFixture, ImportsArgoApplicationsFromAFolder) {
    writeText(tmp.filePath(u"argo/guestbook.yaml"_s), R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: guestbook, namespace: argocd}
spec:
  project: default
  source: {repoURL: "https://git.example/apps.git", targetRevision: main, path: guestbook}
  destination: {server: "https://127.0.0.1:6444", namespace: guestbook}
)");
    ui::SetupPage page({kubeconfig}, tmp.filePath(u"cache"_s));
    page.setWorkspacePath(workspacePath);
    ASSERT_TRUE(test::waitUntil([&] { return page.contextsRead(); }));
    bool finished = false;
    QObject::connect(&page, &ui::SetupPage::importFinished, [&] { finished = true; });
    page.importArgoDirectory(tmp.filePath(u"argo"_s));
    ASSERT_TRUE(test::waitUntil([&] { return finished; }));
    const workspace::Workspace ws = page.workspace();
    ASSERT_EQ(ws.applications.size(), 1) << page.messageLabel()->text().toStdString();
    EXPECT_EQ(ws.applications[0].name, u"guestbook"_s);
    EXPECT_EQ(ws.applications[0].path, u"guestbook"_s);
    const ClusterSpec* cluster = ws.cluster(ws.applications[0].cluster);
    ASSERT_TRUE(cluster);
    EXPECT_EQ(cluster->context, u"staging"_s); // found by the kubeconfig's server URL
    ASSERT_EQ(ws.repositories.size(), 1);
    EXPECT_EQ(ws.repositories[0].url, u"https://git.example/apps.git"_s);
    ASSERT_TRUE(page.save()) << page.messageLabel()->text().toStdString();
    EXPECT_EQ(workspace::loadWorkspace(workspacePath)->workspace, ws);

    bool failed = false;
    QObject::connect(&page, &ui::SetupPage::importFinished, [&] { failed = true; });
    page.importArgoDirectory(tmp.filePath(u"missing"_s));
    ASSERT_TRUE(test::waitUntil([&] { return failed; }));
    EXPECT_TRUE(page.messageLabel()->text().startsWith(u"Nothing imported"_s));
}

TEST_F(EditFixture, EmptyStateOpensTheSetupPageAndCancelGoesBack) {
    ui::MainWindow window;
    engine::EngineSettings settings;
    settings.kubeconfigPath = kubeconfig;
    settings.gitCacheRoot = tmp.filePath(u"cache"_s);
    window.openWorkspace(workspacePath, settings); // missing file
    auto* button = window.findChild<QPushButton*>(u"setupButton"_s);
    ASSERT_TRUE(button);
    ASSERT_TRUE(test::waitUntil([&] { return window.isShowingEmptyState() && !button->isHidden(); }));
    button->click();
    ui::SetupPage* page = window.setupPage();
    ASSERT_TRUE(page);
    EXPECT_TRUE(page->isVisibleTo(&window));
    EXPECT_EQ(page->workspacePath(), workspacePath);
    ASSERT_TRUE(test::waitUntil([&] { return page->contextsRead(); }));
    EXPECT_EQ(page->clusterTree()->topLevelItemCount(), 1);
    Q_EMIT page->cancelled();
    EXPECT_TRUE(window.isShowingEmptyState());
}

TEST_F(EditFixture, EditWorkspaceActionEditsTheOpenWorkspaceAndSaveReopensIt) {
    ASSERT_TRUE(workspace::saveWorkspace(richWorkspace(), workspacePath).ok());
    ui::MainWindow window;
    engine::EngineSettings settings;
    settings.kubeconfigPath = kubeconfig;
    settings.gitCacheRoot = tmp.filePath(u"cache"_s);
    window.openWorkspace(workspacePath, settings);
    ASSERT_TRUE(test::waitUntil([&] { return window.windowTitle().contains(workspacePath); }));
    QAction* edit = nullptr;
    for (QAction* action : window.findChildren<QAction*>())
        if (action->text() == u"Edit &Workspace…"_s)
            edit = action;
    ASSERT_TRUE(edit);
    ASSERT_TRUE(edit->isEnabled());
    edit->trigger();
    QPointer<ui::SetupPage> page = window.setupPage();
    ASSERT_TRUE(page);
    bool loaded = false;
    QObject::connect(page, &ui::SetupPage::workspaceLoaded, [&] { loaded = true; });
    ASSERT_TRUE(test::waitUntil([&] { return loaded && page->contextsRead(); }));
    EXPECT_EQ(page->workspace(), richWorkspace());
    page->clusterTree()->topLevelItem(0)->setText(2, u"legacy, eu"_s);
    ASSERT_TRUE(page->save()) << page->messageLabel()->text().toStdString();
    // The page closes and the window reads the saved file again.
    ASSERT_TRUE(test::waitUntil([&] { return !window.setupPage(); }));
    EXPECT_TRUE(page.isNull() || !page->isVisibleTo(&window));
    EXPECT_FALSE(window.isShowingEmptyState());
    const auto reread = workspace::loadWorkspace(workspacePath);
    ASSERT_TRUE(reread.ok());
    EXPECT_EQ(reread->workspace.clusters[0].tags, (QStringList{u"legacy"_s, u"eu"_s}));
}
