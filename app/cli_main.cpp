#include "appinfo.h"

#include <QCommandLineParser>
#include <QCoreApplication>

int main(int argc, char** argv) {
    driftdeck::app::setApplicationInfo("driftdeck-cli");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Driftdeck command line: the same engine as the desktop app, for scripts and CI."));

    int exitCode = 0;
    if (driftdeck::app::handleInfoOptions(parser, driftdeck::app::argumentsFrom(argc, argv), &exitCode))
        return exitCode;

    QCoreApplication app(argc, argv);
    return 0;
}
