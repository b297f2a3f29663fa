#pragma once

#include "engine/engine.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QToolButton;
class QTreeView;
class QTreeWidget;

// The application window: the fleet tree (cluster → application → resource) on the left; Details,
// Diff and History of the selection on the right; operations with their progress in a dock and the
// status bar. It only paints and routes commands: the engine runs on its own thread
// (EngineController), the workspace file is read off the GUI thread, diffs are built on a pool.
//
// Keys: F5 refresh, Shift+F5 hard refresh, Ctrl+F filter, Ctrl+Shift+S sync the selected
// application, Ctrl+D its diff, Ctrl+1/2/3 the Details, Diff and History tabs, Ctrl+Q quit.
// Geometry, dock and toolbar state and the last workspace opened live in QSettings.
namespace driftdeck::ui {

class AppDiffPane;
class DetailsPane;
class EngineController;
class FleetFilterModel;
class FleetModel;
class HistoryPane;
class SetupPage;
class SyncDialog;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Reads the workspace file on a worker thread, then starts the engine on it. A missing or
    // broken file shows the empty-state page: what is wrong and how to make a workspace.
    void openWorkspace(const QString& path, const engine::EngineSettings& settings);
    // Starts the engine on a workspace already in memory (tests, demo mode).
    void startEngine(const workspace::Workspace& workspace, const engine::EngineSettings& settings);
    void showEmptyState(const QString& title, const QString& explanation);
    bool isShowingEmptyState() const;
    // The workspace setup page on the file openWorkspace was given (empty state's "Set up a
    // workspace…", File → Edit Workspace…); Save reopens the workspace, Cancel goes back. Null
    // when no workspace path is known (demo mode).
    SetupPage* openSetupPage();
    SetupPage* setupPage() const;

    // The application of the current tree row (its own, or its resource's); empty for a cluster.
    QString selectedApplication() const;
    bool selectApplication(const QString& application);
    bool selectResource(const QString& application, const ResourceKey& key);
    // Opens the sync dialog for the selected application (window-modal, not blocking); null when
    // no application is selected.
    SyncDialog* openSyncDialog();

    EngineController* engineController() const { return m_engine; }
    FleetModel* fleetModel() const { return m_model; }
    FleetFilterModel* filterModel() const { return m_filter; }
    QTreeView* tree() const { return m_tree; }
    QLineEdit* filterEdit() const { return m_filterEdit; }
    DetailsPane* detailsPane() const { return m_details; }
    AppDiffPane* diffPane() const { return m_diff; }
    HistoryPane* historyPane() const { return m_history; }
    QTabWidget* tabs() const { return m_tabs; }
    QTreeWidget* operationsList() const { return m_operations; }
    QString connectionSummary() const;

    // Window geometry and dock/toolbar state: restored on construction, saved on close.
    void saveWindowSettings() const;
    // The last workspace file that opened (QSettings "workspace/lastPath"); empty when none.
    static QString lastWorkspacePath();
    // Whether openWorkspace remembers a file that opened as the last workspace (the application's
    // own window does; the demo's generated workspace is not one to come back to). Off by default.
    void setRemembersWorkspace(bool remember) { m_remembersWorkspace = remember; }

Q_SIGNALS:
    void snapshotApplied(quint64 generation);
    void operationFinished(const driftdeck::engine::OperationResult& result);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void restoreWindowSettings();
    static void rememberWorkspacePath(const QString& path);
    QWidget* buildFleetPane();
    void applySnapshot(const engine::Snapshot& snapshot);
    void continueSnapshot();
    void finishSnapshot();
    void showSelection();
    void updateActions();
    void updateStatusSummary(const engine::FleetSnapshot& snapshot);
    void startSync(const QString& application, const engine::SyncRequest& request);
    void confirmRollback(const QString& application, const QString& revision);
    void confirmRevert(const QString& application, const QString& commit, const QString& summary,
                       const QStringList& files);
    void confirmResume();
    void compareWithRevision(const QString& application, const QString& commit);
    void trackOperation(quint64 id, const QString& kind, const QString& application);
    void showProgress(const engine::OperationProgress& progress);
    void finishOperation(const engine::OperationResult& result);

    EngineController* m_engine = nullptr;
    FleetModel* m_model = nullptr;
    FleetFilterModel* m_filter = nullptr;
    QStackedWidget* m_pages = nullptr;
    QLabel* m_emptyState = nullptr;
    QTreeView* m_tree = nullptr;
    QLineEdit* m_filterEdit = nullptr;
    QComboBox* m_tagFilter = nullptr;
    QTabWidget* m_tabs = nullptr;
    DetailsPane* m_details = nullptr;
    AppDiffPane* m_diff = nullptr;
    HistoryPane* m_history = nullptr;
    QTreeWidget* m_operations = nullptr;
    QLabel* m_connectionLabel = nullptr;
    QLabel* m_operationLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QAction* m_refresh = nullptr;
    QAction* m_hardRefresh = nullptr;
    QAction* m_syncAction = nullptr;
    QAction* m_resumeAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QHash<quint64, QString> m_running; // operation id -> "kind application"
    quint64 m_loadGeneration = 0;
    bool m_remembersWorkspace = false;
    bool m_mergeScheduled = false; // a slice of the snapshot merge is queued on the event loop
    QPointer<SyncDialog> m_syncDialog;
    QString m_workspacePath;
    engine::EngineSettings m_settings;
    QPushButton* m_setupButton = nullptr;
    QAction* m_editWorkspace = nullptr;
    QPointer<SetupPage> m_setup;
};

} // namespace driftdeck::ui
