// The setup page's repository and application entries and the Argo CD import.
#include "applicationdialog.h"
#include "repositorydialog.h"
#include "setuppage.h"
#include "workspace/argocdimport.h"

#include <QFutureWatcher>
#include <QLabel>
#include <QListWidget>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {

namespace {
template <typename T>
QStringList namesExcept(const QList<T>& list, int row) {
    QStringList names;
    for (int i = 0; i < list.size(); ++i)
        if (i != row)
            names.append(list[i].name);
    return names;
}
} // namespace

RepositoryDialog* SetupPage::openRepositoryDialog(int row) {
    const bool editing = row >= 0 && row < m_workspace.repositories.size();
    const RepoSpec original = editing ? m_workspace.repositories[row] : RepoSpec{};
    auto* dialog =
        new RepositoryDialog(original, namesExcept(m_workspace.repositories, editing ? row : -1), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, editing, row, original] {
        const RepoSpec repo = dialog->repository();
        if (editing && row < m_workspace.repositories.size()) {
            m_workspace.repositories[row] = repo;
            // A renamed repository keeps its applications.
            for (AppSpec& app : m_workspace.applications)
                if (app.repo == original.name)
                    app.repo = repo.name;
        } else {
            m_workspace.repositories.append(repo);
        }
        fillLists();
        m_repositories->setCurrentRow(editing ? row : int(m_workspace.repositories.size()) - 1);
    });
    dialog->open();
    return dialog;
}

ApplicationDialog* SetupPage::openApplicationDialog(int row) {
    const bool editing = row >= 0 && row < m_workspace.applications.size();
    AppSpec original;
    if (editing)
        original = m_workspace.applications[row];
    else
        original.path = u"."_s;
    // The clusters as ticked now, so a context ticked a moment ago can be chosen.
    auto* dialog =
        new ApplicationDialog(original, m_workspace.repositories, workspace().clusters,
                              namesExcept(m_workspace.applications, editing ? row : -1), m_git, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, editing, row] {
        const AppSpec app = dialog->application();
        if (editing && row < m_workspace.applications.size())
            m_workspace.applications[row] = app;
        else
            m_workspace.applications.append(app);
        fillLists();
        m_applications->setCurrentRow(editing ? row : int(m_workspace.applications.size()) - 1);
    });
    dialog->open();
    return dialog;
}

void SetupPage::removeRepository(int row) {
    if (row < 0 || row >= m_workspace.repositories.size())
        return;
    const QString name = m_workspace.repositories[row].name;
    QStringList users;
    for (const AppSpec& app : std::as_const(m_workspace.applications))
        if (app.repo == name)
            users.append(app.name);
    if (!users.isEmpty()) {
        showMessage(tr("Repository “%1” is used by %2; remove or change those applications first.")
                        .arg(name, users.join(u", "_s)),
                    true);
        return;
    }
    m_workspace.repositories.removeAt(row);
    fillLists();
}

void SetupPage::removeApplication(int row) {
    if (row < 0 || row >= m_workspace.applications.size())
        return;
    m_workspace.applications.removeAt(row);
    fillLists();
}

void SetupPage::importArgoDirectory(const QString& directory) {
    workspace::ArgoImportContext context;
    context.clusters = workspace().clusters;
    context.repositories = m_workspace.repositories;
    for (auto it = m_kubeconfig.contexts.cbegin(); it != m_kubeconfig.contexts.cend(); ++it)
        if (const auto cluster = m_kubeconfig.clusters.constFind(it->cluster);
            cluster != m_kubeconfig.clusters.cend())
            if (!context.serverToContext.contains(cluster->server))
                context.serverToContext.insert(cluster->server, it.key());
    showMessage(tr("Importing %1…").arg(directory), false);
    auto* watcher = new QFutureWatcher<Result<workspace::ArgoImportResult>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, directory] {
        watcher->deleteLater();
        const Result<workspace::ArgoImportResult> imported = watcher->result();
        if (!imported.ok()) {
            showMessage(tr("Nothing imported: %1").arg(imported.error().toString()), true);
            Q_EMIT importFinished();
            return;
        }
        m_workspace = workspace(); // keeps the ticks, names and tags (and renames) made so far
        QStringList warnings = imported->warnings;
        warnings += workspace::mergeImport(m_workspace, *imported);
        fillClusters();
        fillLists();
        QString text = tr("Imported %n application(s) from %1.", nullptr, int(imported->applications.size()))
                           .arg(directory);
        if (!warnings.isEmpty())
            text += u'\n' + tr("Warnings:") + u"\n• "_s + warnings.join(u"\n• "_s);
        showMessage(text, !warnings.isEmpty());
        Q_EMIT importFinished();
    });
    watcher->setFuture(QtConcurrent::run(
        [directory, context] { return workspace::importArgoApplications(directory, context); }));
}

} // namespace driftdeck::ui
