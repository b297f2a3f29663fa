#include "appinfo.h"
#include "fleet/demolauncher.h"
#include "fleet/mainwindow.h"
#include "workspace/workspace.h"

#include <QApplication>
#include <QCommandLineParser>

using namespace Qt::StringLiterals;

namespace {

// Opens the main window on `workspacePath` with the clusters of `kubeconfig` (a KUBECONFIG-style
// list; empty: $KUBECONFIG, else ~/.kube/config) and runs the event loop until it closes. A
// QApplication must exist.
int runMainWindow(const QString& workspacePath, const QString& kubeconfig) {
    driftdeck::ui::MainWindow window;
    driftdeck::engine::EngineSettings settings;
    settings.kubeconfigPath = kubeconfig;
    window.setRemembersWorkspace(true);
    window.openWorkspace(workspacePath, settings);
    window.show();
    return QApplication::exec();
}

// Demo mode: the same launcher the demo acceptance test runs (ui/fleet/demolauncher.h). It is
// declared before the window so it outlives it: it owns the simulated clusters.
int runDemo(bool reset) {
    driftdeck::ui::DemoLauncher demo;
    driftdeck::ui::MainWindow window;
    driftdeck::demo::DemoOptions options;
    options.reset = reset;
    demo.start(&window, options);
    window.show();
    return QApplication::exec();
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
    // Without --workspace the last workspace that opened, else the default path.
    const QString last = driftdeck::ui::MainWindow::lastWorkspacePath();
    const QString workspacePath = parser.isSet(workspace) || last.isEmpty()
                                      ? driftdeck::workspace::resolveWorkspacePath(parser.value(workspace))
                                      : last;
    return runMainWindow(workspacePath, parser.value(kubeconfig));
}
