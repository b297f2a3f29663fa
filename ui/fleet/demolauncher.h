#pragma once

#include "demo/demofleet.h"

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <memory>

// Demo mode (`driftdeck --demo`) for the window: the window opens at once and says what it is
// doing; the demo's repository is built and its three clusters started on a worker thread (never
// the GUI thread), then the window opens the demo's workspace. The demo acceptance test runs this
// same code. Keep the launcher alive longer than the window: it owns the simulated clusters.
namespace driftdeck::ui {

class MainWindow;

class DemoLauncher : public QObject {
    Q_OBJECT
public:
    explicit DemoLauncher(QObject* parent = nullptr);
    ~DemoLauncher() override; // waits for a preparation still running, then stops the clusters

    // Reconciles every `interval`: a demo should move.
    void start(MainWindow* window, const demo::DemoOptions& options,
               std::chrono::milliseconds interval = std::chrono::seconds(30));
    bool isPrepared() const { return m_prepared; }
    demo::DemoFleet* fleet() const { return m_fleet.get(); }

Q_SIGNALS:
    // The fleet is ready and the window opens its workspace (ok), or the window shows why not.
    void prepared(bool ok);

private:
    std::shared_ptr<demo::DemoFleet> m_fleet;
    QFutureWatcher<Result<demo::DemoLayout>> m_watcher;
    QPointer<MainWindow> m_window;
    bool m_prepared = false;
};

} // namespace driftdeck::ui
