// The workspace setup page on the offscreen platform: contexts from a kubeconfig written here, a
// repository built with the git CLI, the dialogs filled as an operator would, then Save and load back.
#include "gittestrepo.h"
#include "setup/applicationdialog.h"
#include "setup/repositorydialog.h"
#include "setup/setuppage.h"
#include "testsupport.h"
#include "workspace/workspace.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
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

void writeFile(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(text);
}

const QByteArray kubeconfigText = R"(apiVersion: v1
kind: Config
clusters:
- name: c-prod
  cluster: {server: "https://127.0.0.1:6443"}
- name: c-stage
  cluster: {server: "https://127.0.0.1:6444"}
users:
- name: u
  user: {token: not-used}
contexts:
- name: prod
  context: {cluster: c-prod, user: u}
- name: staging
  context: {cluster: c-stage, user: u}
current-context: prod
)";

struct SetupFixture : ::testing::Test {
    void SetUp() override {
        test::isolateGitEnvironment();
        ASSERT_TRUE(tmp.isValid());
        kubeconfig = tmp.filePath(u"kubeconfig"_s);
        writeFile(kubeconfig, kubeconfigText);
        workspacePath = tmp.filePath(u"config/workspace.yaml"_s);
    }
    std::unique_ptr<ui::SetupPage> makePage(const QString& cacheRoot) {
        auto page = std::make_unique<ui::SetupPage>(QStringList{kubeconfig}, cacheRoot);
        page->setWorkspacePath(workspacePath);
        page->resize(1000, 720);
        page->show();
        return page;
    }
    QTemporaryDir tmp;
    QString kubeconfig;
    QString workspacePath;
};

QTreeWidgetItem* contextRow(QTreeWidget* tree, const QString& context) {
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0) == context)
            return tree->topLevelItem(i);
    return nullptr;
}

void choose(QComboBox* box, const QVariant& data) {
    const int index = box->findData(data);
    ASSERT_GE(index, 0) << data.toString().toStdString();
    box->setCurrentIndex(index);
}

} // namespace

TEST_F(SetupFixture, SetupPageWritesAWorkspaceThatLoadsBack) {
    test::GitTestRepo repo;
    ASSERT_TRUE(repo.valid());
    repo.write(u"apps/web/deployment.yaml"_s, "kind: Deployment\n");
    repo.write(u"apps/api/base/kustomization.yaml"_s, "resources: []\n");
    repo.write(u"README.md"_s, "x\n");
    repo.commitAll(u"apps"_s);
    repo.push();

    auto page = makePage(repo.cacheRoot());
    QAbstractItemModelTester tester(page->clusterTree()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::Fatal);
    ASSERT_TRUE(test::waitUntil([&] { return page->contextsRead(); }));
    ASSERT_EQ(page->clusterTree()->topLevelItemCount(), 2);
    QTreeWidgetItem* prod = contextRow(page->clusterTree(), u"prod"_s);
    QTreeWidgetItem* staging = contextRow(page->clusterTree(), u"staging"_s);
    ASSERT_TRUE(prod && staging);
    EXPECT_EQ(prod->checkState(0), Qt::Unchecked);
    prod->setCheckState(0, Qt::Checked);
    prod->setText(1, u"prod-eu"_s);
    prod->setText(2, u"production, eu"_s);
    staging->setCheckState(0, Qt::Checked);

    // The repository: references only. A token typed where the variable name goes is refused.
    ui::RepositoryDialog* repoDialog = page->openRepositoryDialog();
    ASSERT_TRUE(repoDialog);
    for (const QLineEdit* edit : repoDialog->findChildren<QLineEdit*>())
        EXPECT_NE(edit->echoMode(), QLineEdit::Password) << "a secret field exists";
    EXPECT_EQ(repoDialog->findChildren<QLineEdit*>().size(), 7); // name, URL, branch and 4 references
    repoDialog->nameEdit()->setText(u"config"_s);
    repoDialog->urlEdit()->setText(u"https://bot:hunter2@git.example/config.git"_s);
    repoDialog->branchEdit()->setText(u"main"_s);
    choose(repoDialog->credentialType(), int(CredentialsRef::Type::Token));
    repoDialog->envEdit()->setText(u"glpat-AbC123secret"_s);
    repoDialog->accept();
    EXPECT_TRUE(repoDialog->isVisible());
    EXPECT_TRUE(repoDialog->messageLabel()->text().contains(u"password"_s));
    repoDialog->urlEdit()->setText(repo.remoteUrl());
    repoDialog->accept();
    EXPECT_TRUE(repoDialog->isVisible());
    EXPECT_TRUE(repoDialog->messageLabel()->text().contains(u"glpat-AbC123secret"_s));
    repoDialog->envEdit()->setText(u"GIT_TOKEN"_s);
    repoDialog->usernameEdit()->setText(u"bot"_s);
    repoDialog->accept();
    ASSERT_EQ(page->repositoryList()->count(), 1);

    // An application with its path picked from the repository's directories.
    ui::ApplicationDialog* web = page->openApplicationDialog();
    QSignalSpy listed(web, &ui::ApplicationDialog::directoriesListed);
    web->nameEdit()->setText(u"-web"_s);
    web->accept();
    EXPECT_TRUE(web->isVisible());
    EXPECT_TRUE(web->messageLabel()->text().contains(u"not a valid application name"_s))
        << web->messageLabel()->text().toStdString();
    web->nameEdit()->setText(u"web"_s);
    web->browse();
    ASSERT_TRUE(test::waitUntil([&] { return !listed.isEmpty(); }, std::chrono::seconds(30)));
    ASSERT_TRUE(listed.first().first().toBool()) << web->browseStatus()->text().toStdString();
    QStringList dirs;
    for (int i = 0; i < web->directoryList()->count(); ++i)
        dirs << web->directoryList()->item(i)->text();
    EXPECT_EQ(dirs, (QStringList{u"."_s, u"apps"_s, u"apps/api"_s, u"apps/api/base"_s, u"apps/web"_s}));
    web->directoryList()->setCurrentRow(int(dirs.indexOf(u"apps/web"_s)));
    EXPECT_EQ(web->pathEdit()->text(), u"apps/web"_s);
    choose(web->clusterBox(), u"staging"_s);
    web->namespaceEdit()->setText(u"web"_s);
    choose(web->rendererBox(), int(RendererSpec::Type::Plain));
    EXPECT_TRUE(web->messageLabel()->text().isEmpty());
    EXPECT_TRUE(
        web->grab().save(QCoreApplication::applicationDirPath() + u"/ui-setuppage-application.png"_s));
    web->accept();

    ui::ApplicationDialog* api = page->openApplicationDialog();
    api->nameEdit()->setText(u"api"_s);
    api->pathEdit()->setText(u"apps/api/base"_s);
    choose(api->clusterBox(), u"prod-eu"_s);
    choose(api->rendererBox(), int(RendererSpec::Type::Kustomize));
    api->accept();
    ASSERT_EQ(page->applicationList()->count(), 2);
    EXPECT_TRUE(page->grab().save(QCoreApplication::applicationDirPath() + u"/ui-setuppage.png"_s));

    ASSERT_TRUE(page->save()) << page->messageLabel()->text().toStdString();
    const auto loaded = workspace::loadWorkspace(workspacePath);
    ASSERT_TRUE(loaded.ok()) << loaded.error().toString().toStdString();

    workspace::Workspace expected;
    expected.clusters = {ClusterSpec{u"prod-eu"_s, u"prod"_s, {u"production"_s, u"eu"_s}},
                         ClusterSpec{u"staging"_s, u"staging"_s, {}}};
    RepoSpec config{u"config"_s, repo.remoteUrl(), u"main"_s, {}};
    config.credentials.type = CredentialsRef::Type::Token;
    config.credentials.env = u"GIT_TOKEN"_s;
    config.credentials.username = u"bot"_s;
    expected.repositories = {config};
    AppSpec webSpec = makeApp(u"web"_s, u"config"_s, u"apps/web"_s, u"staging"_s, u"web"_s);
    webSpec.renderer.type = RendererSpec::Type::Plain;
    AppSpec apiSpec = makeApp(u"api"_s, u"config"_s, u"apps/api/base"_s, u"prod-eu"_s, {});
    apiSpec.renderer.type = RendererSpec::Type::Kustomize;
    expected.applications = {webSpec, apiSpec};
    EXPECT_EQ(loaded->workspace, expected) << workspace::workspaceToYaml(loaded->workspace).toStdString();
    EXPECT_TRUE(loaded->warnings.isEmpty());
    EXPECT_FALSE(QFile::exists(workspacePath + u".tmp"_s));
}

TEST_F(SetupFixture, UnreadableRepositoryShowsAnErrorAndThePathCanBeTyped) {
    auto page = makePage(tmp.filePath(u"cache"_s));
    workspace::Workspace ws;
    ws.repositories = {RepoSpec{u"gone"_s, u"file://"_s + tmp.filePath(u"no-such-repo.git"_s), {}, {}}};
    page->setWorkspace(ws);
    ui::ApplicationDialog* dialog = page->openApplicationDialog();
    QSignalSpy listed(dialog, &ui::ApplicationDialog::directoriesListed);
    dialog->browse();
    ASSERT_TRUE(test::waitUntil([&] { return !listed.isEmpty(); }, std::chrono::seconds(30)));
    EXPECT_FALSE(listed.first().first().toBool());
    EXPECT_TRUE(dialog->browseStatus()->text().contains(u"cannot be read"_s))
        << dialog->browseStatus()->text().toStdString();
    EXPECT_TRUE(dialog->pathEdit()->isEnabled());
    EXPECT_FALSE(dialog->directoryList()->isVisible());
    dialog->pathEdit()->setText(u"typed/path"_s);
    EXPECT_EQ(dialog->application().path, u"typed/path"_s);
}
