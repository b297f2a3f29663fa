#include "repositorydialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {

namespace {

using Type = CredentialsRef::Type;

QLineEdit* addLine(QFormLayout* form, const QString& label, const QString& accessibleName,
                   const QString& tip) {
    auto* edit = new QLineEdit;
    edit->setAccessibleName(accessibleName);
    edit->setToolTip(tip);
    form->addRow(label, edit);
    return edit;
}

bool isEnvName(const QString& name) {
    static const QRegularExpression pattern(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    return pattern.match(name).hasMatch();
}

} // namespace

RepositoryDialog::RepositoryDialog(const RepoSpec& repository, const QStringList& takenNames, QWidget* parent)
    : QDialog(parent)
    , m_original(repository)
    , m_taken(takenNames) {
    setWindowTitle(repository.name.isEmpty() ? tr("Add Repository") : tr("Edit Repository"));
    auto* form = new QFormLayout(this);
    m_name =
        addLine(form, tr("&Name:"), tr("Repository name"), tr("How applications refer to this repository"));
    m_url = addLine(form, tr("&URL:"), tr("Repository URL"),
                    tr("https://, ssh://, git@host:path, file:// or a local path"));
    m_branch = addLine(form, tr("&Branch:"), tr("Branch"), tr("Empty: the remote's default branch"));
    m_type = new QComboBox;
    m_type->setAccessibleName(tr("Credential type"));
    m_type->addItem(tr("None (public repository)"), int(Type::None));
    m_type->addItem(tr("Token (from an environment variable or a file)"), int(Type::Token));
    m_type->addItem(tr("SSH agent"), int(Type::SshAgent));
    m_type->addItem(tr("SSH key file"), int(Type::SshKey));
    m_type->addItem(tr("Git credential helper"), int(Type::Helper));
    form->addRow(tr("&Credential:"), m_type);
    m_env = addLine(form, tr("Token &variable:"), tr("Token environment variable"),
                    tr("Name of the environment variable holding the token (not the token itself)"));
    m_file = addLine(form, tr("&File:"), tr("Credential file"),
                     tr("Token: a file holding the token; SSH key: the private key file. ~/ is your home"));
    m_username = addLine(form, tr("U&ser name:"), tr("User name"), tr("Empty: the default for the URL"));
    m_passphraseEnv = addLine(form, tr("&Passphrase variable:"), tr("Passphrase environment variable"),
                              tr("Environment variable holding the key's passphrase (optional)"));
    m_message = new QLabel;
    m_message->setObjectName(u"repositoryMessage"_s);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(u"color: palette(highlight)"_s);
    form->addRow(m_message);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);

    const CredentialsRef& c = repository.credentials;
    m_name->setText(repository.name);
    m_url->setText(repository.url);
    m_branch->setText(repository.branch);
    m_type->setCurrentIndex(m_type->findData(int(c.type)));
    m_env->setText(c.env);
    m_file->setText(c.file);
    m_username->setText(c.username);
    m_passphraseEnv->setText(c.passphraseEnv);
    connect(m_type, &QComboBox::currentIndexChanged, this, &RepositoryDialog::updateFields);
    updateFields();
}

void RepositoryDialog::updateFields() {
    const auto type = Type(m_type->currentData().toInt());
    m_env->setEnabled(type == Type::Token);
    m_file->setEnabled(type == Type::Token || type == Type::SshKey);
    m_username->setEnabled(type != Type::None);
    m_passphraseEnv->setEnabled(type == Type::SshKey);
}

RepoSpec RepositoryDialog::repository() const {
    RepoSpec out = m_original;
    out.name = m_name->text().trimmed();
    out.url = m_url->text().trimmed();
    out.branch = m_branch->text().trimmed();
    CredentialsRef& c = out.credentials;
    c = {};
    c.type = Type(m_type->currentData().toInt());
    // Fields a type does not use are not written, so a type change leaves no stale reference.
    if (c.type == Type::Token)
        c.env = m_env->text().trimmed();
    if (c.type == Type::Token || c.type == Type::SshKey)
        c.file = m_file->text().trimmed();
    if (c.type != Type::None)
        c.username = m_username->text().trimmed();
    if (c.type == Type::SshKey)
        c.passphraseEnv = m_passphraseEnv->text().trimmed();
    return out;
}

QString RepositoryDialog::problem() const {
    const RepoSpec r = repository();
    const CredentialsRef& c = r.credentials;
    if (r.name.isEmpty())
        return tr("Give the repository a name.");
    if (m_taken.contains(r.name))
        return tr("Another repository is already called “%1”; choose another name.").arg(r.name);
    if (r.url.isEmpty())
        return tr("Enter the repository's URL.");
    if (r.url.contains(u'@') && r.url.contains(u"://"_s) &&
        r.url.section(u"://"_s, 1).section(u'@', 0, 0).contains(u':'))
        return tr("The URL holds a password; remove it and choose a credential type instead.");
    if (c.type == Type::Token && c.env.isEmpty() == c.file.isEmpty())
        return tr("A token credential needs either an environment variable or a file, not both.");
    if (!c.env.isEmpty() && !isEnvName(c.env))
        return tr("“%1” is not an environment variable name (letters, digits and '_').").arg(c.env);
    if (!c.passphraseEnv.isEmpty() && !isEnvName(c.passphraseEnv))
        return tr("“%1” is not an environment variable name (letters, digits and '_').").arg(c.passphraseEnv);
    if (c.type == Type::SshKey && c.file.isEmpty())
        return tr("An SSH key credential needs the private key file.");
    return {};
}

void RepositoryDialog::accept() {
    const QString why = problem();
    m_message->setText(why);
    if (why.isEmpty())
        QDialog::accept();
}

} // namespace driftdeck::ui
