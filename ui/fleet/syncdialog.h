#pragma once

#include "engine/engine.h"

#include <QDialog>
#include <QFuture>

#include <functional>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QTreeWidget;

// Shows what a sync will do before it does it: the plan as a table (create / update / prune with
// kind, name, namespace, wave and reason), checkboxes for a selective sync, and the options. On a
// cluster tagged "production" the operator types the cluster's name before the button enables.
// The plan is computed on the engine's thread; the dialog only waits for its future.
namespace driftdeck::ui {

class SyncDialog : public QDialog {
    Q_OBJECT
public:
    using Planner = std::function<QFuture<Result<sync::SyncPlan>>(const engine::SyncRequest&)>;

    struct Target {
        QString application;
        QString cluster;
        QStringList clusterTags;
        QString revision;      // what will be applied (a commit or the target revision)
        bool rollback = false; // a rollback pins the application and pauses its auto-sync
    };

    SyncDialog(const Target& target, Planner planner, QWidget* parent = nullptr);
    ~SyncDialog() override;

    // What the operator chose: options and, when not every change is ticked, the ticked ones.
    engine::SyncRequest request() const;
    bool needsTypedConfirmation() const { return m_needsConfirmation; }

    // For tests and keyboard users: the plan's rows and their check state.
    QTreeWidget* planTable() const { return m_table; }
    QLineEdit* confirmationEdit() const { return m_confirm; }
    QCheckBox* pruneOption() const { return m_prune; }
    QCheckBox* dryRunOption() const { return m_dryRun; }
    QPushButton* acceptButton() const;
    bool isPlanReady() const { return m_planReady; }

Q_SIGNALS:
    void planShown();

private:
    void requestPlan();
    void showPlan(const Result<sync::SyncPlan>& plan);
    void updateAcceptButton();

    Target m_target;
    Planner m_planner;
    quint64 m_planGeneration = 0;
    bool m_planReady = false;
    bool m_needsConfirmation = false;
    QLabel* m_status = nullptr;
    QTreeWidget* m_table = nullptr;
    QCheckBox* m_prune = nullptr;
    QCheckBox* m_dryRun = nullptr;
    QCheckBox* m_force = nullptr;
    QLineEdit* m_confirm = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

bool isProductionCluster(const QStringList& tags);

} // namespace driftdeck::ui
