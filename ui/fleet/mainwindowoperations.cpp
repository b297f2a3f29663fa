// The window's commands: the sync dialog, rollback and revert confirmations, the comparison with a
// revision, and the operations' progress in the dock and the status bar.
#include "appdiffpane.h"
#include "enginecontroller.h"
#include "fleetmodel.h"
#include "historypane.h"
#include "mainwindow.h"
#include "revisionreads.h"
#include "syncdialog.h"

#include <QFutureWatcher>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeWidget>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {
namespace {

enum OperationColumn { IdColumn, KindColumn, AppColumn, StateColumn, MessageColumn };

QTreeWidgetItem* operationRow(QTreeWidget* list, quint64 id) {
    for (int i = 0; i < list->topLevelItemCount(); ++i)
        if (list->topLevelItem(i)->data(IdColumn, Qt::UserRole).toULongLong() == id)
            return list->topLevelItem(i);
    return nullptr;
}

} // namespace

SyncDialog* MainWindow::openSyncDialog() {
    const QString application = selectedApplication();
    const engine::AppStatus* app = m_model->applicationAt(m_model->applicationIndex(application));
    if (!app || !m_engine->isRunning())
        return nullptr;
    if (m_syncDialog)
        m_syncDialog->close();
    const engine::ClusterStatus* cluster = m_model->clusterAt(m_model->clusterIndex(app->cluster));
    SyncDialog::Target target;
    target.application = app->name;
    target.cluster = app->cluster;
    target.clusterTags = cluster ? cluster->tags : QStringList();
    target.revision = app->commitId.isEmpty() ? app->targetRevision : app->commitId;
    auto* dialog = new SyncDialog(
        target,
        [engine = QPointer(m_engine), application](const engine::SyncRequest& request) {
            return engine ? engine->planSync(application, request)
                          : QtFuture::makeReadyFuture(Result<sync::SyncPlan>(
                                Error::make(Error::Code::Unavailable, u"the window closed"_s)));
        },
        this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, application] { startSync(application, dialog->request()); });
    m_syncDialog = dialog;
    dialog->open();
    return dialog;
}

void MainWindow::startSync(const QString& application, const engine::SyncRequest& request) {
    m_engine->sync(application, request);
}

void MainWindow::confirmRollback(const QString& application, const QString& revision) {
    const engine::AppStatus* app = m_model->applicationAt(m_model->applicationIndex(application));
    if (!app)
        return;
    const engine::ClusterStatus* cluster = m_model->clusterAt(m_model->clusterIndex(app->cluster));
    SyncDialog::Target target;
    target.application = application;
    target.cluster = app->cluster;
    target.clusterTags = cluster ? cluster->tags : QStringList();
    target.revision = revision;
    target.rollback = true;
    // The plan at that revision: what the rollback would apply to live state now.
    QPointer<EngineController> engine = m_engine;
    auto planner = [engine, application, revision](const engine::SyncRequest& request) {
        return engine ? engine->planSyncAtRevision(application, revision, request)
                      : QtFuture::makeReadyFuture(Result<sync::SyncPlan>(
                            Error::make(Error::Code::Unavailable, tr("the engine has stopped"))));
    };
    auto* dialog = new SyncDialog(target, planner, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, application, revision] {
        m_engine->rollback(application, revision, dialog->request());
    });
    m_syncDialog = dialog;
    dialog->open();
}

void MainWindow::confirmRevert(const QString& application, const QString& commit, const QString& summary,
                               const QStringList& files) {
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Revert commit %1").arg(commit.left(7)),
        tr("Write a commit that reverts <b>%1</b> (“%2”) on the branch of %3, then push it "
           "(a local repository receives it directly). Auto-sync, where on, then applies it."
           "<p>Files it will change:</p><ul>%4</ul>")
            .arg(commit.left(12).toHtmlEscaped(), summary.toHtmlEscaped(), application.toHtmlEscaped(),
                 u"<li>"_s +
                     QStringList(files)
                         .replaceInStrings(u"&"_s, u"&amp;"_s)
                         .replaceInStrings(u"<"_s, u"&lt;"_s)
                         .join(u"</li><li>"_s) +
                     u"</li>"_s),
        QMessageBox::Cancel, this);
    QPushButton* revert = box->addButton(tr("&Revert"), QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this,
            [this, revert, application, commit](QAbstractButton* button) {
                if (button == revert)
                    m_engine->revert(application, commit);
            });
    box->open();
}

// Resuming changes what the next comparison is against, and with automated sync the cluster itself.
void MainWindow::confirmResume() {
    const QString application = selectedApplication();
    const engine::AppStatus* app = m_model->applicationAt(m_model->applicationIndex(application));
    if (!app)
        return;
    const QString then = app->autoSync ? tr("Its automated sync policy then syncs the cluster to %1.")
                                       : tr("Nothing is applied until you sync.");
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Resume %1").arg(application),
        tr("Unpin <b>%1</b> from %2 and compare it against its target revision <b>%3</b> again. %4")
            .arg(application.toHtmlEscaped(), app->pinnedRevision.left(12).toHtmlEscaped(),
                 app->targetRevision.toHtmlEscaped(), then.toHtmlEscaped()),
        QMessageBox::Cancel, this);
    QPushButton* resume = box->addButton(tr("&Resume"), QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, resume, application](QAbstractButton* button) {
        if (button == resume)
            m_engine->resume(application);
    });
    box->open();
}

void MainWindow::compareWithRevision(const QString& application, const QString& commit) {
    const engine::AppStatus* app = m_model->applicationAt(m_model->applicationIndex(application));
    const RepoSpec* repo = app ? m_engine->workspace().repository(app->repo) : nullptr;
    const AppSpec* spec = m_engine->workspace().application(application);
    if (!app || !repo || !spec)
        return;
    m_tabs->setCurrentWidget(m_diff);
    // Held: snapshots arriving meanwhile (a live event, the interval) do not put the live diff back;
    // selecting another row does, and then the late result is dropped.
    m_diff->showDocument(tr("Rendering %1 at %2…").arg(application, commit.left(7)), {}, true);
    const quint64 shown = m_diff->generation();
    auto* watcher = new QFutureWatcher<Result<DiffDocument>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, application, commit, shown] {
        watcher->deleteLater();
        if (watcher->future().resultCount() == 0 || m_diff->generation() != shown)
            return;
        const Result<DiffDocument> document = watcher->result();
        if (!document.ok())
            m_diff->showDocument(
                tr("Cannot compare with %1: %2").arg(commit.left(7), document.error().toString()), {}, true);
        else
            m_diff->showDocument(tr("%1: revision %2 (left) against live now (right); select another row "
                                    "to return to the live diff")
                                     .arg(application, commit.left(7)),
                                 *document, true);
    });
    watcher->setFuture(
        compareLiveWithRevision(GitSource{m_history->gitCacheRoot(), *repo}, *spec, *app, commit));
}

void MainWindow::trackOperation(quint64 id, const QString& kind, const QString& application) {
    m_running.insert(id, kind + u' ' + application);
    auto* row = new QTreeWidgetItem;
    row->setData(IdColumn, Qt::UserRole, id);
    row->setText(IdColumn, QString::number(id));
    row->setText(KindColumn, kind);
    row->setText(AppColumn, application);
    row->setText(StateColumn, tr("Starting"));
    m_operations->insertTopLevelItem(0, row);
    m_operationLabel->setText(tr("%1 %2: starting…").arg(kind, application));
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    updateActions();
}

void MainWindow::showProgress(const engine::OperationProgress& progress) {
    if (QTreeWidgetItem* row = operationRow(m_operations, progress.id)) {
        row->setText(StateColumn,
                     progress.total > 0 ? u"%1/%2"_s.arg(progress.done).arg(progress.total) : tr("Running"));
        row->setText(MessageColumn, progress.phase);
    }
    m_operationLabel->setText(u"%1 %2: %3"_s.arg(progress.kind, progress.application, progress.phase));
    m_progress->setVisible(true);
    if (progress.total > 0) {
        m_progress->setRange(0, progress.total);
        m_progress->setValue(progress.done);
    } else {
        m_progress->setRange(0, 0);
    }
}

void MainWindow::finishOperation(const engine::OperationResult& result) {
    m_running.remove(result.id);
    QTreeWidgetItem* row = operationRow(m_operations, result.id);
    if (!row) { // an automated sync the engine started by itself
        row = new QTreeWidgetItem;
        row->setData(IdColumn, Qt::UserRole, result.id);
        row->setText(IdColumn, QString::number(result.id));
        row->setText(KindColumn, result.kind);
        row->setText(AppColumn, result.application);
        m_operations->insertTopLevelItem(0, row);
    }
    QString message = result.message;
    if (result.error)
        message = result.error->toString();
    if (!result.revertNote.isEmpty())
        message += u" ("_s + result.revertNote + u')';
    row->setText(StateColumn, result.ok ? tr("Succeeded") : tr("Failed"));
    row->setForeground(StateColumn, result.ok ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
    row->setText(MessageColumn, message);
    row->setToolTip(MessageColumn, message);
    m_operationLabel->setText(u"%1 %2: %3"_s.arg(result.kind, result.application, message));
    if (m_running.isEmpty())
        m_progress->setVisible(false);
    updateActions();
    Q_EMIT operationFinished(result);
}

void MainWindow::updateStatusSummary(const engine::FleetSnapshot& snapshot) {
    int connected = 0;
    QStringList problems;
    for (const engine::ClusterStatus& cluster : snapshot.clusters) {
        if (cluster.connection == engine::ConnectionState::Connected)
            ++connected;
        else if (cluster.connection != engine::ConnectionState::Connecting)
            problems << u"%1 %2"_s.arg(cluster.name,
                                       engine::connectionStateName(cluster.connection).toLower());
    }
    int synced = 0;
    int outOfSync = 0;
    for (const engine::AppStatus& app : snapshot.applications) {
        synced += app.sync == engine::SyncStatus::Synced ? 1 : 0;
        outOfSync += app.sync == engine::SyncStatus::OutOfSync ? 1 : 0;
    }
    QString text = tr("Clusters: %1 of %2 connected").arg(connected).arg(snapshot.clusters.size());
    if (!problems.isEmpty())
        text += u" ("_s + problems.join(u", "_s) + u')';
    text += tr(" · Applications: %1 synced, %2 out of sync, %3 total")
                .arg(synced)
                .arg(outOfSync)
                .arg(snapshot.applications.size());
    if (!snapshot.repositoryErrors.isEmpty())
        text += tr(" · %n repository error(s)", nullptr, int(snapshot.repositoryErrors.size()));
    m_connectionLabel->setText(text);
    QStringList tips;
    for (const Error& error : snapshot.repositoryErrors)
        tips << error.toString();
    if (snapshot.historyError)
        tips << tr("History: %1").arg(snapshot.historyError->toString());
    m_connectionLabel->setToolTip(tips.join(u'\n'));
}

QString MainWindow::connectionSummary() const {
    return m_connectionLabel->text();
}

} // namespace driftdeck::ui
