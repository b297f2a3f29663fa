#include "appinfo.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char** argv) {
    driftdeck::app::setApplicationInfo("driftdeck");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Driftdeck: GitOps drift across many Kubernetes clusters.\n"
                       "Shows every cluster of your kubeconfig, the applications Git says should run there,\n"
                       "and a side-by-side diff of desired (Git) against live (cluster) state."));
    const QCommandLineOption workspace(QStringList{QStringLiteral("w"), QStringLiteral("workspace")},
                                       QStringLiteral("Open the workspace file <path>."),
                                       QStringLiteral("path"));
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QStringLiteral("Open the built-in demo workspace (local simulated clusters)."));
    parser.addOption(workspace);
    parser.addOption(demo);

    int exitCode = 0;
    if (driftdeck::app::handleInfoOptions(parser, driftdeck::app::argumentsFrom(argc, argv), &exitCode))
        return exitCode;

    QApplication app(argc, argv);
    driftdeck::ui::MainWindow window;
    if (parser.isSet(demo))
        window.setWorkspaceDescription(QStringLiteral("Demo workspace"));
    else if (parser.isSet(workspace))
        window.setWorkspaceDescription(parser.value(workspace));
    window.show();
    return app.exec();
}
