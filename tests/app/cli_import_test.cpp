#include "importcommand.h"
#include "testsupport.h"
#include "workspace/workspace.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

// `driftdeck-cli import-argocd`: Argo CD Applications become workspace applications, the workspace
// is written only when the import worked, and what is not imported is said.
namespace driftdeck::cli {
namespace {

using namespace Qt::StringLiterals;

struct ImportRun {
    int exitCode = -1;
    QString out;
    QString err;
};

ImportRun importArgo(const QStringList& arguments) {
    ImportRun run;
    QTextStream out(&run.out);
    QTextStream err(&run.err);
    run.exitCode = runImportArgoCommand(arguments, out, err);
    out.flush();
    err.flush();
    return run;
}

void write(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(text);
}

const QByteArray kKubeconfig =
    "apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster:\n"
    "    server: https://prod.example:6443\ncontexts:\n- name: prod-admin\n  context:\n"
    "    cluster: prod\n    user: admin\nusers:\n- name: admin\n  user: {}\n";

const QByteArray kApplication =
    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop\n"
    "spec:\n  project: default\n  source:\n    repoURL: https://git.example/fleet.git\n"
    "    targetRevision: main\n    path: apps/shop\n  destination:\n"
    "    server: https://prod.example:6443\n    namespace: shop\n"
    "  syncPolicy:\n    automated: {prune: true, selfHeal: true}\n";

TEST(CliImportArgo, ApplicationsRepositoriesAndClustersAreAddedToTheWorkspace) {
    QTemporaryDir dir;
    write(dir.filePath(u"argo/shop.yaml"_s), kApplication);
    write(dir.filePath(u"kubeconfig"_s), kKubeconfig);
    const QString workspacePath = dir.filePath(u"workspace.yaml"_s);
    const ImportRun run = importArgo({dir.filePath(u"argo"_s), u"--workspace"_s, workspacePath,
                                      u"--kubeconfig"_s, dir.filePath(u"kubeconfig"_s)});
    ASSERT_EQ(run.exitCode, 0) << run.err.toStdString();
    EXPECT_TRUE(run.out.contains(u"imported 1 application"_s)) << run.out.toStdString();
    Result<workspace::LoadedWorkspace> loaded = workspace::loadWorkspace(workspacePath);
    ASSERT_TRUE(loaded.ok()) << loaded.error().toString().toStdString();
    const AppSpec* shop = loaded->workspace.application(u"shop"_s);
    ASSERT_NE(shop, nullptr);
    EXPECT_EQ(shop->path, u"apps/shop"_s);
    EXPECT_EQ(shop->ns, u"shop"_s);
    EXPECT_TRUE(shop->syncPolicy.automated);
    EXPECT_TRUE(shop->syncPolicy.selfHeal);
    ASSERT_NE(loaded->workspace.cluster(shop->cluster), nullptr);
    EXPECT_EQ(loaded->workspace.cluster(shop->cluster)->context, u"prod-admin"_s);
}

TEST(CliImportArgo, AnUnmatchedDestinationIsSaidAndAMissingFolderWritesNothing) {
    QTemporaryDir dir;
    write(dir.filePath(u"argo/shop.yaml"_s), kApplication);
    write(dir.filePath(u"kubeconfig"_s), "apiVersion: v1\nkind: Config\n");
    const QString workspacePath = dir.filePath(u"workspace.yaml"_s);
    const ImportRun unmatched =
        importArgo({dir.filePath(u"argo"_s), u"--workspace"_s, workspacePath, u"--kubeconfig"_s,
                    dir.filePath(u"kubeconfig"_s), u"--dry-run"_s});
    EXPECT_EQ(unmatched.exitCode, 0);
    EXPECT_TRUE(unmatched.err.contains(u"matches no kubeconfig cluster"_s)) << unmatched.err.toStdString();
    EXPECT_FALSE(QFile::exists(workspacePath)); // --dry-run prints, never writes

    const ImportRun missing = importArgo({dir.filePath(u"nowhere"_s), u"--workspace"_s, workspacePath});
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_FALSE(QFile::exists(workspacePath));
}

} // namespace
} // namespace driftdeck::cli
