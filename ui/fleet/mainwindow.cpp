#include "mainwindow.h"

#include "appdiffpane.h"
#include "detailspane.h"
#include "diffview/diffview.h"
#include "enginecontroller.h"
#include "fleetfiltermodel.h"
#include "fleetmodel.h"
#include "historypane.h"
#include "workspace/workspace.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent) {
    setWindowTitle(tr("Driftdeck"));
    resize(1400, 860);
    m_engine = new EngineController(this);
    m_model = new FleetModel(this);
    m_filter = new FleetFilterModel(this);
    m_filter->setSourceModel(m_model);

    m_pages = new QStackedWidget(this);
    m_emptyState = new QLabel(m_pages);
    m_emptyState->setObjectName(u"emptyState"_s);
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_emptyState->setWordWrap(true);
    m_emptyState->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_emptyState->setMargin(48);
    // The empty state offers the setup page when there is a workspace path to write.
    auto* emptyPage = new QWidget(m_pages);
    auto* emptyLayout = new QVBoxLayout(emptyPage);
    emptyLayout->addWidget(m_emptyState, 1);
    m_setupButton = new QPushButton(tr("&Set up a workspace…"), emptyPage);
    m_setupButton->setObjectName(u"setupButton"_s);
    m_setupButton->setAccessibleName(tr("Set up a workspace"));
    m_setupButton->setVisible(false);
    connect(m_setupButton, &QPushButton::clicked, this, [this] { openSetupPage(); });
    emptyLayout->addWidget(m_setupButton, 0, Qt::AlignHCenter);
    emptyLayout->addStretch();
    m_pages->addWidget(emptyPage);

    auto* splitter = new QSplitter(m_pages);
    splitter->addWidget(buildFleetPane());
    m_tabs = new QTabWidget(splitter);
    m_details = new DetailsPane(m_tabs);
    m_diff = new AppDiffPane(m_tabs);
    m_history = new HistoryPane(m_engine, m_tabs);
    m_tabs->addTab(m_details, tr("&Details"));
    m_tabs->addTab(m_diff, tr("Di&ff"));
    m_tabs->addTab(m_history, tr("&History"));
    splitter->addWidget(m_tabs);
    // The diff needs the width of two YAML columns; the tree's last column stretches.
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 5);
    splitter->setSizes({620, 780});
    m_pages->addWidget(splitter);
    m_pages->setCurrentIndex(1);
    setCentralWidget(m_pages);

    // Operations with their progress: a dock, so long work stays visible while the operator reads.
    auto* dock = new QDockWidget(tr("Operations"), this);
    dock->setObjectName(u"operations"_s);
    m_operations = new QTreeWidget(dock);
    m_operations->setRootIsDecorated(false);
    m_operations->setHeaderLabels({tr("#"), tr("Operation"), tr("Application"), tr("State"), tr("Message")});
    m_operations->header()->setStretchLastSection(true);
    m_operations->setAccessibleName(tr("Operations"));
    dock->setWidget(m_operations);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    resizeDocks({dock}, {110}, Qt::Vertical);

    m_connectionLabel = new QLabel(tr("No workspace"), this);
    m_operationLabel = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(220);
    m_progress->setVisible(false);
    statusBar()->addWidget(m_operationLabel, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_connectionLabel);

    buildActions();
    dock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_4));
    menuBar()->actions().value(1)->menu()->addAction(dock->toggleViewAction());

    connect(m_engine, &EngineController::snapshotChanged, this, &MainWindow::applySnapshot);
    connect(m_engine, &EngineController::operationStarted, this, &MainWindow::trackOperation);
    connect(m_engine, &EngineController::operationProgress, this, &MainWindow::showProgress);
    connect(m_engine, &EngineController::operationFinished, this, &MainWindow::finishOperation);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        showSelection();
        updateActions();
    });
    connect(m_history, &HistoryPane::rollbackRequested, this, &MainWindow::confirmRollback);
    connect(m_history, &HistoryPane::revertRequested, this, &MainWindow::confirmRevert);
    connect(m_history, &HistoryPane::compareRequested, this, &MainWindow::compareWithRevision);
    // The provenance gutter: blame per shown resource from the engine; a click opens that commit.
    m_diff->setProvenanceSource(
        [engine = QPointer<EngineController>(m_engine)](const QString& app, const ResourceKey& key) {
            return engine ? engine->desiredLineProvenance(app, key)
                          : QtFuture::makeReadyFuture(Result<QList<provenance::LineProvenance>>(
                                Error::make(Error::Code::Unavailable, tr("the engine has stopped"))));
        });
    connect(m_diff->view(), &DiffView::commitActivated, this, [this](const QString& commitId) {
        m_tabs->setCurrentWidget(m_history);
        m_history->selectCommit(commitId);
    });
    updateActions();
    restoreWindowSettings();
}

MainWindow::~MainWindow() {
    m_engine->stop();
}

QWidget* MainWindow::buildFleetPane() {
    auto* pane = new QWidget(this);
    auto* layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* filters = new QHBoxLayout;
    m_filterEdit = new QLineEdit(pane);
    m_filterEdit->setPlaceholderText(tr("Filter by name, kind or namespace (Ctrl+F)"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setAccessibleName(tr("Filter"));
    connect(m_filterEdit, &QLineEdit::textChanged, m_filter, &FleetFilterModel::setFilterText);
    connect(m_filterEdit, &QLineEdit::returnPressed, m_filter, &FleetFilterModel::applyPendingFilterText);
    filters->addWidget(m_filterEdit, 1);
    const struct {
        QString text;
        FleetFilterModel::QuickFilter filter;
        QString name;
    } quick[] = {{tr("Out of sync"), FleetFilterModel::OutOfSyncOnly, u"quickOutOfSync"_s},
                 {tr("Degraded"), FleetFilterModel::DegradedOnly, u"quickDegraded"_s},
                 {tr("Missing"), FleetFilterModel::MissingOnly, u"quickMissing"_s}};
    for (const auto& entry : quick) {
        auto* button = new QToolButton(pane);
        button->setText(entry.text);
        button->setObjectName(entry.name);
        button->setCheckable(true);
        button->setToolTip(tr("Show only what is %1").arg(entry.text.toLower()));
        const FleetFilterModel::QuickFilter filter = entry.filter;
        connect(button, &QToolButton::toggled, m_filter,
                [this, filter](bool on) { m_filter->setQuickFilter(filter, on); });
        filters->addWidget(button);
    }
    m_tagFilter = new QComboBox(pane);
    m_tagFilter->setAccessibleName(tr("Cluster tag"));
    m_tagFilter->addItem(tr("All clusters"), QString());
    connect(m_tagFilter, &QComboBox::currentIndexChanged, m_filter,
            [this] { m_filter->setClusterTag(m_tagFilter->currentData().toString()); });
    filters->addWidget(m_tagFilter);
    layout->addLayout(filters);

    m_tree = new QTreeView(pane);
    m_tree->setModel(m_filter);
    m_tree->setAccessibleName(tr("Clusters, applications and resources"));
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setAllColumnsShowFocus(true);
    QHeaderView* header = m_tree->header();
    header->setStretchLastSection(true);
    header->resizeSection(FleetModel::NameColumn, 250);
    header->resizeSection(FleetModel::SyncColumn, 100);
    header->resizeSection(FleetModel::HealthColumn, 105);
    header->resizeSection(FleetModel::RevisionColumn, 85);
    header->resizeSection(FleetModel::LastSyncColumn, 100);
    layout->addWidget(m_tree, 1);
    // Return or a double click on an application or resource opens its diff.
    connect(m_tree, &QTreeView::activated, this, [this] {
        if (!selectedApplication().isEmpty()) {
            m_tabs->setCurrentWidget(m_diff);
            m_diff->view()->setFocus(Qt::OtherFocusReason);
        }
    });
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    return pane;
}

void MainWindow::openWorkspace(const QString& path, const engine::EngineSettings& settings) {
    const quint64 generation = ++m_loadGeneration;
    m_workspacePath = path;
    m_settings = settings;
    m_editWorkspace->setEnabled(true);
    m_connectionLabel->setText(tr("Reading %1…").arg(path));
    auto* watcher = new QFutureWatcher<Result<workspace::LoadedWorkspace>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, path, settings] {
        watcher->deleteLater();
        if (generation != m_loadGeneration || watcher->future().resultCount() == 0)
            return;
        const Result<workspace::LoadedWorkspace> loaded = watcher->result();
        if (!loaded.ok()) {
            const Error& error = loaded.error();
            const bool missing = error.code == Error::Code::NotFound;
            showEmptyState(missing ? tr("No workspace yet") : tr("The workspace cannot be opened"),
                           error.toString().toHtmlEscaped());
            return;
        }
        for (const QString& warning : loaded->warnings)
            m_operationLabel->setText(tr("Workspace warning: %1").arg(warning));
        setWindowTitle(tr("%1 — Driftdeck").arg(path));
        if (m_remembersWorkspace)
            rememberWorkspacePath(path);
        startEngine(loaded->workspace, settings);
    });
    watcher->setFuture(QtConcurrent::run([path] { return workspace::loadWorkspace(path); }));
}

void MainWindow::startEngine(const workspace::Workspace& workspace, const engine::EngineSettings& settings) {
    m_pages->setCurrentIndex(1);
    m_tagFilter->blockSignals(true);
    while (m_tagFilter->count() > 1)
        m_tagFilter->removeItem(1);
    QStringList tags;
    for (const ClusterSpec& cluster : workspace.clusters)
        for (const QString& tag : cluster.tags)
            if (!tags.contains(tag))
                tags.append(tag);
    for (const QString& tag : std::as_const(tags))
        m_tagFilter->addItem(tr("Tag: %1").arg(tag), tag);
    m_tagFilter->setCurrentIndex(0);
    m_tagFilter->blockSignals(false);
    m_filter->setClusterTag({});
    m_model->cancelMerge(); // the rest of the previous workspace's snapshot is not wanted
    m_connectionLabel->setText(tr("Connecting to %n cluster(s)…", nullptr, int(workspace.clusters.size())));
    m_history->setWorkspace(workspace, settings.gitCacheRoot);
    m_engine->start(workspace, settings);
}

void MainWindow::showEmptyState(const QString& title, const QString& explanation) {
    m_emptyState->setText(
        tr("<h2>%1</h2><p>%2</p><p>A workspace names your clusters (kubeconfig contexts), the Git "
           "repositories "
           "and the applications to compare. To get one:</p>"
           "<ul><li>write <code>~/.config/driftdeck/workspace.yaml</code> as docs/workspace.md describes, "
           "then "
           "start <code>driftdeck --workspace FILE</code>;</li>"
           "<li>import Argo CD <code>Application</code> manifests into a workspace (docs/workspace.md, "
           "“Importing Argo CD applications”);</li>"
           "<li>or try <code>driftdeck --demo</code>: three simulated clusters and a demo "
           "repository.</li></ul>")
            .arg(title.toHtmlEscaped(), explanation));
    m_setupButton->setVisible(!m_workspacePath.isEmpty());
    m_pages->setCurrentIndex(0);
    m_connectionLabel->setText(tr("No workspace"));
    updateActions();
}

bool MainWindow::isShowingEmptyState() const {
    return m_pages->currentIndex() == 0;
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveWindowSettings();
    m_engine->stop();
    event->accept();
}

QString MainWindow::selectedApplication() const {
    return m_tree->currentIndex().data(FleetModel::ApplicationNameRole).toString();
}

bool MainWindow::selectApplication(const QString& application) {
    const QModelIndex index = m_filter->mapFromSource(m_model->applicationIndex(application));
    if (!index.isValid())
        return false;
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
    return true;
}

bool MainWindow::selectResource(const QString& application, const ResourceKey& key) {
    const QModelIndex index = m_filter->mapFromSource(m_model->resourceIndex(application, key));
    if (!index.isValid())
        return false;
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
    return true;
}

namespace {
// How long one slice of a snapshot merge may hold the UI thread; the rest follows after the events
// that queued up meanwhile (input, painting).
constexpr std::chrono::milliseconds kMergeSlice{12};
} // namespace

void MainWindow::applySnapshot(const engine::Snapshot& snapshot) {
    const bool first = m_model->rowCount() == 0;
    const bool done = m_model->beginSnapshot(snapshot, kMergeSlice);
    if (first && m_model->rowCount() > 0) {
        for (int row = 0; row < m_filter->rowCount(); ++row)
            m_tree->expand(m_filter->index(row, 0));
        if (!m_tree->currentIndex().isValid())
            m_tree->setCurrentIndex(m_filter->index(0, 0));
    }
    if (done) {
        finishSnapshot();
        return;
    }
    updateStatusSummary(*snapshot); // the counts follow every snapshot, the panes the finished merge
    if (!m_mergeScheduled) {
        m_mergeScheduled = true;
        QTimer::singleShot(0, this, &MainWindow::continueSnapshot);
    }
}

void MainWindow::continueSnapshot() {
    m_mergeScheduled = false;
    if (!m_model->merging())
        return; // finished by a snapshot that came meanwhile
    if (m_model->continueSnapshot(kMergeSlice)) {
        finishSnapshot();
        return;
    }
    m_mergeScheduled = true;
    QTimer::singleShot(0, this, &MainWindow::continueSnapshot);
}

// The whole snapshot is in the model: the panes and the summary follow it.
void MainWindow::finishSnapshot() {
    const engine::Snapshot snapshot = m_model->snapshot();
    updateStatusSummary(*snapshot);
    showSelection();
    updateActions();
    Q_EMIT snapshotApplied(snapshot->generation);
}

void MainWindow::showSelection() {
    const QModelIndex source = m_filter->mapToSource(m_tree->currentIndex());
    if (const engine::ClusterStatus* cluster = m_model->clusterAt(source)) {
        m_details->showCluster(*cluster, m_model->rowCount(source));
        m_diff->clear();
        m_history->showApplication(nullptr);
        return;
    }
    const engine::AppStatus* app = m_model->applicationOf(source);
    const engine::ChildStatus* child = m_model->childAt(source);
    // An owned object (ReplicaSet, Pod) shows the diff of the resource that owns it.
    QModelIndex owner = source;
    while (owner.isValid() && m_model->childAt(owner))
        owner = owner.parent();
    const engine::ResourceStatus* resource = m_model->resourceAt(owner);
    if (!app) {
        m_details->showNothing();
        m_diff->clear();
        m_history->showApplication(nullptr);
        return;
    }
    if (child)
        m_details->showChild(*app, *child);
    else if (resource)
        m_details->showResource(*app, *resource);
    else
        m_details->showApplication(*app);
    m_diff->showApplication(*app, resource ? resource->key : ResourceKey());
    m_history->showApplication(app);
}

void MainWindow::updateActions() {
    const bool running = m_engine->isRunning();
    const QString app = selectedApplication();
    m_refresh->setEnabled(running);
    m_hardRefresh->setEnabled(running);
    m_syncAction->setEnabled(running && !app.isEmpty());
    const engine::AppStatus* status = m_model->applicationAt(m_model->applicationIndex(app));
    m_resumeAction->setEnabled(running && status &&
                               (status->autoSyncPaused || !status->pinnedRevision.isEmpty()));
    m_cancelAction->setEnabled(!m_running.isEmpty());
}

} // namespace driftdeck::ui
