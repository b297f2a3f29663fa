#include "appinfo.h"
#include "demo/demofleet.h"
#include "fleet/mainwindow.h"
#include "workspace/workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

// Opens the main window on `workspacePath` with the clusters of `kubeconfig` (a KUBECONFIG-style
// list; empty: $KUBECONFIG, else ~/.kube/config) and runs the event loop until it closes. A
// QApplication must exist. Demo mode prepares its repository, workspace and kubeconfig, then
// calls this.
int runMainWindow(const QString& workspacePath, const QString& kubeconfig) {
    driftdeck::ui::MainWindow window;
    driftdeck::engine::EngineSettings settings;
    settings.kubeconfigPath = kubeconfig;
    window.openWorkspace(workspacePath, settings);
    window.show();
    return QApplication::exec();
}

// Demo mode: the window opens at once and says what it is doing; the demo's repository is built
// and its three clusters started on a worker thread, then the engine starts on its workspace.
int runDemo(bool reset) {
    auto fleet = std::make_shared<driftdeck::demo::DemoFleet>();
    driftdeck::ui::MainWindow window;
    window.showEmptyState(
        QObject::tr("Preparing the demo fleet…"),
        QObject::tr("Building the demo repository and starting three simulated clusters "
                    "(dev, staging, prod) in this process. Nothing of yours is read or changed."));
    window.show();
    using Prepared = driftdeck::Result<driftdeck::demo::DemoLayout>;
    QFutureWatcher<Prepared> watcher;
    QObject::connect(&watcher, &QFutureWatcherBase::finished, &window, [&window, &watcher] {
        const Prepared prepared = watcher.result();
        if (!prepared.ok()) {
            window.showEmptyState(QObject::tr("The demo fleet could not start"),
                                  prepared.error().toString().toHtmlEscaped());
            return;
        }
        driftdeck::engine::EngineSettings settings;
        settings.kubeconfigPath = prepared->kubeconfigPath;
        settings.gitCacheRoot = prepared->gitCacheRoot;
        settings.discoveryCacheRoot = prepared->discoveryCacheRoot;
        settings.historyPath = prepared->historyPath;
        settings.interval = std::chrono::seconds(30); // a demo should move
        window.openWorkspace(prepared->workspacePath, settings);
    });
    watcher.setFuture(QtConcurrent::run([fleet, reset]() -> Prepared {
        driftdeck::demo::DemoOptions options;
        options.reset = reset;
        Prepared layout = fleet->prepare(options);
        if (!layout.ok())
            return layout;
        if (driftdeck::Status started = fleet->startClusters(); !started.ok())
            return started.error();
        return fleet->layout();
    }));
    const int code = QApplication::exec();
    watcher.waitForFinished();
    return code;
}

} // namespace

int main(int argc, char** argv) {
    driftdeck::app::setApplicationInfo("driftdeck");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Driftdeck: GitOps drift across many Kubernetes clusters.\n"
                       "Shows every cluster of your kubeconfig, the applications Git says should run there,\n"
                       "and a side-by-side diff of desired (Git) against live (cluster) state."));
    const QCommandLineOption workspace(
        QStringList{QStringLiteral("w"), QStringLiteral("workspace")},
        QStringLiteral(
            "Open the workspace file <file> (default: $XDG_CONFIG_HOME/driftdeck/workspace.yaml)."),
        QStringLiteral("file"));
    const QCommandLineOption kubeconfig(
        QStringLiteral("kubeconfig"),
        QStringLiteral("Kubeconfig file(s), ':'-separated (default: $KUBECONFIG, ~/.kube/config)."),
        QStringLiteral("files"));
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QStringLiteral("Open the built-in demo workspace (local simulated clusters)."));
    const QCommandLineOption demoReset(QStringLiteral("demo-reset"),
                                       QStringLiteral("Rebuild the demo fleet from scratch, then open it."));
    parser.addOption(workspace);
    parser.addOption(kubeconfig);
    parser.addOption(demo);
    parser.addOption(demoReset);

    int exitCode = 0;
    if (driftdeck::app::handleInfoOptions(parser, driftdeck::app::argumentsFrom(argc, argv), &exitCode))
        return exitCode;

    QApplication app(argc, argv);
    if (parser.isSet(demo) || parser.isSet(demoReset))
        return runDemo(parser.isSet(demoReset));
    return runMainWindow(driftdeck::workspace::resolveWorkspacePath(parser.value(workspace)),
                         parser.value(kubeconfig));
}
