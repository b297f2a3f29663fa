#pragma once

#include "kube/kubeconfig.h"
#include "workspace/workspace.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;
class QTreeWidget;

namespace driftdeck::git {
class GitWorker;
}

// The workspace setup page: which kubeconfig contexts are clusters (with a name and tags), the
// repositories and applications (through RepositoryDialog and ApplicationDialog), an import of
// Argo CD Application manifests, and Save through core/workspace. The same page edits an existing
// workspace: what it does not show (sync policies, ignore rules, renderer options) is kept.
namespace driftdeck::ui {

class ApplicationDialog;
class RepositoryDialog;

class SetupPage : public QWidget {
    Q_OBJECT
public:
    // `kubeconfigPaths` empty: $KUBECONFIG, else ~/.kube/config. `gitCacheRoot` empty: the default
    // cache (the directory picker clones remote repositories there).
    SetupPage(const QStringList& kubeconfigPaths, const QString& gitCacheRoot, QWidget* parent = nullptr);
    ~SetupPage() override;

    // Where Save writes.
    void setWorkspacePath(const QString& path) { m_path = path; }
    QString workspacePath() const { return m_path; }
    // Shows `workspace` for editing (its clusters ticked, next to the kubeconfig's other contexts).
    void setWorkspace(const workspace::Workspace& workspace);
    // Reads `path` off the GUI thread, then shows it (workspaceLoaded) or the error.
    void editFile(const QString& path);
    // What the page holds: the ticked clusters, the repositories and the applications.
    workspace::Workspace workspace() const;

    // The dialogs open window-modal without blocking; their result lands in the page on accept.
    // `row` -1 adds, else edits that row.
    RepositoryDialog* openRepositoryDialog(int row = -1);
    ApplicationDialog* openApplicationDialog(int row = -1);
    void removeRepository(int row);
    void removeApplication(int row);
    // Imports the Argo CD Applications under `directory` (read off the GUI thread; importFinished).
    void importArgoDirectory(const QString& directory);
    // Validates and writes the workspace; on success emits saved(path), else shows why.
    bool save();

    QTreeWidget* clusterTree() const { return m_clusters; }
    QListWidget* repositoryList() const { return m_repositories; }
    QListWidget* applicationList() const { return m_applications; }
    QLabel* messageLabel() const { return m_message; }
    bool contextsRead() const { return m_contextsRead; }

Q_SIGNALS:
    void contextsLoaded();
    void workspaceLoaded();
    void importFinished();
    void saved(const QString& path);
    void cancelled();

private:
    QWidget* buildClusters();
    QWidget* buildList(const QString& title, QListWidget*& list, const std::function<void(int)>& open,
                       const std::function<void(int)>& remove);
    void readContexts();
    void fillClusters();
    void fillLists();
    void showMessage(const QString& text, bool error);

    QString m_path;
    QStringList m_kubeconfigPaths;
    workspace::Workspace m_workspace;
    kube::Kubeconfig m_kubeconfig;
    bool m_contextsRead = false;
    git::GitWorker* m_git = nullptr;
    QTreeWidget* m_clusters = nullptr;
    QListWidget* m_repositories = nullptr;
    QListWidget* m_applications = nullptr;
    QLabel* m_contextStatus = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace driftdeck::ui
