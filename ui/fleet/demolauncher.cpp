#include "demolauncher.h"

#include "mainwindow.h"

#include <QtConcurrent/QtConcurrentRun>

namespace driftdeck::ui {

DemoLauncher::DemoLauncher(QObject* parent)
    : QObject(parent)
    , m_fleet(std::make_shared<demo::DemoFleet>()) {}

DemoLauncher::~DemoLauncher() {
    m_watcher.waitForFinished();
}

void DemoLauncher::start(MainWindow* window, const demo::DemoOptions& options,
                         std::chrono::milliseconds interval) {
    m_window = window;
    window->showEmptyState(tr("Preparing the demo fleet…"),
                           tr("Building the demo repository and starting three simulated clusters "
                              "(dev, staging, prod) in this process. Nothing of yours is read or changed."));
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this, interval] {
        if (!m_window)
            return;
        const Result<demo::DemoLayout> prepared = m_watcher.result();
        if (!prepared.ok()) {
            m_window->showEmptyState(tr("The demo fleet could not start"),
                                     prepared.error().toString().toHtmlEscaped());
            Q_EMIT this->prepared(false);
            return;
        }
        engine::EngineSettings settings;
        settings.kubeconfigPath = prepared->kubeconfigPath;
        settings.gitCacheRoot = prepared->gitCacheRoot;
        settings.discoveryCacheRoot = prepared->discoveryCacheRoot;
        settings.historyPath = prepared->historyPath;
        settings.interval = interval;
        m_window->openWorkspace(prepared->workspacePath, settings);
        m_prepared = true;
        Q_EMIT this->prepared(true);
    });
    // The fleet is shared with the worker so it outlives a launcher destroyed mid-preparation.
    m_watcher.setFuture(QtConcurrent::run([fleet = m_fleet, options]() -> Result<demo::DemoLayout> {
        Result<demo::DemoLayout> layout = fleet->prepare(options);
        if (!layout.ok())
            return layout;
        if (Status started = fleet->startClusters(); !started.ok())
            return started.error();
        return fleet->layout();
    }));
}

} // namespace driftdeck::ui
