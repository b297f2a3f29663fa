#include "appinfo.h"

#include <QCommandLineParser>
#include <QCoreApplication>

int main(int argc, char** argv) {
    driftdeck::app::setApplicationInfo("kubesim");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "kubesim: a Kubernetes API server in miniature, for Driftdeck's demo mode and tests."));

    int exitCode = 0;
    if (driftdeck::app::handleInfoOptions(parser, driftdeck::app::argumentsFrom(argc, argv), &exitCode))
        return exitCode;

    QCoreApplication app(argc, argv);
    return app.exec();
}
