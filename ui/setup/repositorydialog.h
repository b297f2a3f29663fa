#pragma once

#include "model/appspec.h"

#include <QDialog>
#include <QStringList>

class QComboBox;
class QLabel;
class QLineEdit;

// Adds or edits one workspace repository: name, URL, branch and where its credential comes from.
// There is deliberately no field for a token or password: only references (an environment
// variable, a file, the ssh-agent, git's credential helper) are written to the workspace.
namespace driftdeck::ui {

class RepositoryDialog : public QDialog {
    Q_OBJECT
public:
    // `takenNames`: names of the other repositories (a duplicate is refused).
    RepositoryDialog(const RepoSpec& repository, const QStringList& takenNames, QWidget* parent = nullptr);

    // The dialog's fields over the repository it was opened with.
    RepoSpec repository() const;
    // Empty when the fields make a valid repository, else what to fix.
    QString problem() const;
    void accept() override;

    QLineEdit* nameEdit() const { return m_name; }
    QLineEdit* urlEdit() const { return m_url; }
    QLineEdit* branchEdit() const { return m_branch; }
    QComboBox* credentialType() const { return m_type; }
    QLineEdit* envEdit() const { return m_env; }
    QLineEdit* fileEdit() const { return m_file; }
    QLineEdit* usernameEdit() const { return m_username; }
    QLineEdit* passphraseEnvEdit() const { return m_passphraseEnv; }
    QLabel* messageLabel() const { return m_message; }

private:
    void updateFields();

    RepoSpec m_original;
    QStringList m_taken;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_url = nullptr;
    QLineEdit* m_branch = nullptr;
    QComboBox* m_type = nullptr;
    QLineEdit* m_env = nullptr;
    QLineEdit* m_file = nullptr;
    QLineEdit* m_username = nullptr;
    QLineEdit* m_passphraseEnv = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace driftdeck::ui
