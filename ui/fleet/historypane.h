#pragma once

#include "engine/enginetypes.h"
#include "git/gittypes.h"
#include "workspace/workspace.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

// The History tab of an application: the commits that touched its path (each with its diff) beside
// the operations the history database recorded for it (paged). From a commit the operator can
// revert it, roll back to it or compare live with it; the window confirms each before it runs.
namespace driftdeck::ui {

class DiffView;
class EngineController;

class HistoryPane : public QWidget {
    Q_OBJECT
public:
    static constexpr int kPageSize = 50;

    HistoryPane(EngineController* engine, QWidget* parent = nullptr);
    ~HistoryPane() override;

    void setWorkspace(const workspace::Workspace& workspace, const QString& gitCacheRoot);
    QString gitCacheRoot() const { return m_cacheRoot; }
    // Shows `app` (null: nothing); reloads only when the application or its revision changed.
    void showApplication(const engine::AppStatus* app);
    void reload();

    QTreeWidget* commitsTable() const { return m_commits; }
    QTreeWidget* operationsTable() const { return m_operations; }
    DiffView* commitDiffView() const { return m_commitDiff; }
    QString selectedCommit() const;
    // Selects `commitId` in the commits table, now or when the commits have loaded (a click on
    // the diff's provenance gutter); false when the loaded commits do not hold it.
    bool selectCommit(const QString& commitId);

Q_SIGNALS:
    void rollbackRequested(const QString& application, const QString& revision);
    void revertRequested(const QString& application, const QString& commit, const QString& summary,
                         const QStringList& files);
    void compareRequested(const QString& application, const QString& commit);
    void commitsLoaded();
    void operationsLoaded();

private:
    void loadCommits();
    void loadOperations();
    void showCommitDiff();
    void updateButtons();

    EngineController* m_engine = nullptr;
    workspace::Workspace m_workspace;
    QString m_cacheRoot;
    QString m_application;
    QString m_fromCommit;
    QString m_shownKey;
    QString m_pendingCommit; // to select once the commits have loaded
    int m_offset = 0;
    qint64 m_total = 0;
    quint64 m_generation = 0;
    QLabel* m_title = nullptr;
    QTreeWidget* m_commits = nullptr;
    DiffView* m_commitDiff = nullptr;
    QLabel* m_commitStatus = nullptr;
    QTreeWidget* m_operations = nullptr;
    QLabel* m_pageLabel = nullptr;
    QPushButton* m_revert = nullptr;
    QPushButton* m_rollback = nullptr;
    QPushButton* m_compare = nullptr;
    QPushButton* m_newer = nullptr;
    QPushButton* m_older = nullptr;
};

} // namespace driftdeck::ui
