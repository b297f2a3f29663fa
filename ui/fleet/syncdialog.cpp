#include "syncdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {
namespace {

enum PlanColumn { ActionColumn, KindColumn, NameColumn, NamespaceColumn, WaveColumn, ReasonColumn };
constexpr int kKeyRole = Qt::UserRole + 1;

bool isChange(sync::PlanItem::Action action) {
    return action == sync::PlanItem::Action::Create || action == sync::PlanItem::Action::Update ||
           action == sync::PlanItem::Action::Prune;
}

} // namespace

bool isProductionCluster(const QStringList& tags) {
    return tags.contains(u"production"_s, Qt::CaseInsensitive) ||
           tags.contains(u"prod"_s, Qt::CaseInsensitive);
}

SyncDialog::SyncDialog(const Target& target, Planner planner, QWidget* parent)
    : QDialog(parent)
    , m_target(target)
    , m_planner(std::move(planner))
    , m_needsConfirmation(isProductionCluster(target.clusterTags)) {
    setWindowTitle(target.rollback ? tr("Roll back %1").arg(target.application)
                                   : tr("Sync %1").arg(target.application));
    resize(900, 560);
    auto* layout = new QVBoxLayout(this);

    QString intro =
        target.rollback
            ? tr("Roll back <b>%1</b> on cluster <b>%2</b> to revision <b>%3</b>. The application "
                 "is pinned to that revision and <b>its auto-sync is paused</b> until you resume it.")
                  .arg(target.application.toHtmlEscaped(), target.cluster.toHtmlEscaped(),
                       target.revision.left(12).toHtmlEscaped())
            : tr("Sync <b>%1</b> to cluster <b>%2</b> at revision <b>%3</b>. Untick a row to leave it "
                 "out (a selective sync).")
                  .arg(target.application.toHtmlEscaped(), target.cluster.toHtmlEscaped(),
                       target.revision.left(12).toHtmlEscaped());
    auto* introLabel = new QLabel(intro, this);
    introLabel->setWordWrap(true);
    layout->addWidget(introLabel);

    m_table = new QTreeWidget(this);
    m_table->setRootIsDecorated(false);
    m_table->setUniformRowHeights(true);
    m_table->setHeaderLabels(
        {tr("Action"), tr("Kind"), tr("Name"), tr("Namespace"), tr("Wave"), tr("Reason")});
    m_table->setAccessibleName(tr("Sync plan"));
    m_table->header()->setSectionResizeMode(ReasonColumn, QHeaderView::Stretch);
    layout->addWidget(m_table, 1);

    m_status = new QLabel(tr("Computing the plan…"), this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    auto* options = new QHBoxLayout;
    m_prune = new QCheckBox(tr("&Prune objects no longer in Git"), this);
    m_dryRun = new QCheckBox(tr("&Dry run (the server validates, nothing is changed)"), this);
    m_force = new QCheckBox(tr("&Force conflicts (take fields other managers own)"), this);
    options->addWidget(m_prune);
    options->addWidget(m_dryRun);
    options->addWidget(m_force);
    options->addStretch();
    layout->addLayout(options);
    connect(m_prune, &QCheckBox::toggled, this, &SyncDialog::requestPlan);

    if (m_needsConfirmation) {
        auto* warning = new QLabel(tr("<b>%1 is a production cluster.</b> Type its name to confirm:")
                                       .arg(target.cluster.toHtmlEscaped()),
                                   this);
        layout->addWidget(warning);
        m_confirm = new QLineEdit(this);
        m_confirm->setPlaceholderText(target.cluster);
        m_confirm->setAccessibleName(tr("Cluster name confirmation"));
        warning->setBuddy(m_confirm);
        layout->addWidget(m_confirm);
        connect(m_confirm, &QLineEdit::textChanged, this, &SyncDialog::updateAcceptButton);
    }

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(target.rollback ? tr("&Roll back") : tr("&Sync"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);
    connect(m_table, &QTreeWidget::itemChanged, this, &SyncDialog::updateAcceptButton);

    requestPlan();
}

SyncDialog::~SyncDialog() = default;

QPushButton* SyncDialog::acceptButton() const {
    return m_buttons->button(QDialogButtonBox::Ok);
}

void SyncDialog::requestPlan() {
    m_planReady = false;
    if (!m_planner) {
        // No preview for this operation (the engine plans a rollback when it has rendered the
        // revision): say so rather than show the plan of another revision.
        m_table->hide();
        m_status->setText(tr("The objects to apply are computed when the rollback has rendered revision %1; "
                             "every change is recorded in the history.")
                              .arg(m_target.revision.left(12)));
        m_planReady = true;
        updateAcceptButton();
        return;
    }
    updateAcceptButton();
    m_status->setText(tr("Computing the plan…"));
    const quint64 generation = ++m_planGeneration;
    engine::SyncRequest request;
    request.prune = m_prune->isChecked();
    auto* watcher = new QFutureWatcher<Result<sync::SyncPlan>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_planGeneration)
            return; // an option changed meanwhile: a newer plan is on its way
        if (watcher->future().resultCount() == 0)
            showPlan(Error::make(Error::Code::Cancelled,
                                 tr("the plan could not be computed (the engine stopped)")));
        else
            showPlan(watcher->result());
    });
    watcher->setFuture(m_planner(request));
}

void SyncDialog::showPlan(const Result<sync::SyncPlan>& plan) {
    const QSignalBlocker blocker(m_table);
    m_table->clear();
    if (!plan.ok()) {
        m_status->setText((m_target.rollback ? tr("Cannot roll back: %1") : tr("Cannot sync: %1"))
                              .arg(plan.error().toString()));
        m_planReady = false;
        updateAcceptButton();
        Q_EMIT planShown();
        return;
    }
    int changes = 0;
    for (const sync::PlanItem& item : plan->items) {
        auto* row = new QTreeWidgetItem(m_table);
        const QString action = sync::actionName(item.action);
        row->setText(ActionColumn, action.left(1).toUpper() + action.mid(1));
        row->setText(KindColumn, item.key.kind);
        row->setText(NameColumn, item.key.name);
        row->setText(NamespaceColumn, item.key.ns);
        row->setText(WaveColumn, QString::number(item.wave));
        row->setText(ReasonColumn, item.reason);
        row->setToolTip(ReasonColumn, item.reason);
        row->setData(ActionColumn, kKeyRole, QVariant::fromValue(item.key));
        if (isChange(item.action)) {
            ++changes;
            row->setCheckState(ActionColumn, Qt::Checked);
        } else {
            row->setFlags(row->flags() & ~Qt::ItemIsEnabled);
        }
    }
    for (int column = 0; column < ReasonColumn; ++column)
        m_table->resizeColumnToContents(column);
    QString text = changes == 0 ? tr("Nothing to change: the cluster already matches Git.")
                                : tr("%1 to create, %2 to update, %3 to prune.")
                                      .arg(plan->count(sync::PlanItem::Action::Create))
                                      .arg(plan->count(sync::PlanItem::Action::Update))
                                      .arg(plan->count(sync::PlanItem::Action::Prune));
    if (!plan->warnings.isEmpty())
        text += u' ' + tr("Warnings: %1").arg(plan->warnings.join(u"; "_s));
    m_status->setText(text);
    m_planReady = true;
    updateAcceptButton();
    Q_EMIT planShown();
}

engine::SyncRequest SyncDialog::request() const {
    engine::SyncRequest request;
    request.prune = m_prune->isChecked();
    request.dryRun = m_dryRun->isChecked();
    request.forceConflicts = m_force->isChecked();
    QSet<ResourceKey> checked;
    int checkable = 0;
    for (int i = 0; i < m_table->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* row = m_table->topLevelItem(i);
        if (!(row->flags() & Qt::ItemIsEnabled))
            continue;
        ++checkable;
        if (row->checkState(ActionColumn) == Qt::Checked)
            checked.insert(row->data(ActionColumn, kKeyRole).value<ResourceKey>());
    }
    if (checked.size() != checkable)
        request.only = checked;
    return request;
}

void SyncDialog::updateAcceptButton() {
    bool anyChecked = false;
    for (int i = 0; i < m_table->topLevelItemCount() && !anyChecked; ++i) {
        const QTreeWidgetItem* row = m_table->topLevelItem(i);
        anyChecked = (row->flags() & Qt::ItemIsEnabled) && row->checkState(ActionColumn) == Qt::Checked;
    }
    // A rollback with nothing to apply still pins the revision and pauses auto-sync.
    bool enabled = m_planReady && (anyChecked || m_target.rollback);
    if (m_needsConfirmation)
        enabled = enabled && m_confirm->text() == m_target.cluster;
    acceptButton()->setEnabled(enabled);
}

} // namespace driftdeck::ui
