#pragma once

#include "model/appspec.h"

#include <QDialog>
#include <QStringList>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace driftdeck::git {
class GitWorker;
}

// Adds or edits one application: name, repository, path (typed, or picked from the repository's
// directories read from Git off the GUI thread), cluster, namespace and renderer. Fields the dialog
// does not show (sync policy, ignore rules, renderer options) are kept as they were.
namespace driftdeck::ui {

class ApplicationDialog : public QDialog {
    Q_OBJECT
public:
    ApplicationDialog(const AppSpec& application, const QList<RepoSpec>& repositories,
                      const QList<ClusterSpec>& clusters, const QStringList& takenNames, git::GitWorker* git,
                      QWidget* parent = nullptr);

    AppSpec application() const;
    // Empty when the fields make a valid application, else what to fix.
    QString problem() const;
    void accept() override;
    // Starts reading the selected repository's directories (the "Browse…" button).
    void browse();

    QLineEdit* nameEdit() const { return m_name; }
    QComboBox* repositoryBox() const { return m_repository; }
    QLineEdit* pathEdit() const { return m_path; }
    QPushButton* browseButton() const { return m_browse; }
    QListWidget* directoryList() const { return m_directories; }
    QLabel* browseStatus() const { return m_browseStatus; }
    QComboBox* clusterBox() const { return m_cluster; }
    QLineEdit* namespaceEdit() const { return m_namespace; }
    QComboBox* rendererBox() const { return m_renderer; }
    QLabel* messageLabel() const { return m_message; }

Q_SIGNALS:
    // The directory list was filled (ok) or the repository could not be read.
    void directoriesListed(bool ok);

private:
    AppSpec m_original;
    QList<RepoSpec> m_repositories;
    QStringList m_taken;
    git::GitWorker* m_git = nullptr;
    quint64 m_browseGeneration = 0;
    QLineEdit* m_name = nullptr;
    QComboBox* m_repository = nullptr;
    QLineEdit* m_path = nullptr;
    QPushButton* m_browse = nullptr;
    QListWidget* m_directories = nullptr;
    QLabel* m_browseStatus = nullptr;
    QComboBox* m_cluster = nullptr;
    QLineEdit* m_namespace = nullptr;
    QComboBox* m_renderer = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace driftdeck::ui
