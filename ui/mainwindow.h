#pragma once

#include <QMainWindow>

class QTreeView;
class QLabel;

namespace driftdeck::ui {

// The application window: the cluster → application → resource tree on the left, details and the
// side-by-side diff on the right. It only paints and routes commands; work happens in the engine.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void setWorkspaceDescription(const QString& text);

private:
    QTreeView* m_tree = nullptr;
    QLabel* m_details = nullptr;
};

} // namespace driftdeck::ui
