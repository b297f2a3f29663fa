#include "appinfo.h"
#include "healthcommand.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

int main(int argc, char** argv) {
    driftdeck::app::setApplicationInfo("driftdeck-cli");
    const QStringList arguments = driftdeck::app::argumentsFrom(argc, argv);

    // Verbs first: each parses its own options.
    if (arguments.size() > 1 && arguments.at(1) == QLatin1String("health")) {
        QCoreApplication app(argc, argv);
        QTextStream out(stdout);
        QTextStream err(stderr);
        return driftdeck::cli::runHealthCommand(arguments.mid(2), out, err);
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Driftdeck command line: the same engine as the desktop app, for scripts and CI.\n\n"
                       "Commands:\n"
                       "  health FILE...   health of the Kubernetes objects in FILE (see health --help)"));
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("health"),
                                 QStringLiteral("<command> [options]"));

    int exitCode = 0;
    if (driftdeck::app::handleInfoOptions(parser, arguments, &exitCode))
        return exitCode;

    QCoreApplication app(argc, argv);
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "driftdeck-cli: unknown command '%s'; try --help\n",
                     qPrintable(parser.positionalArguments().constFirst()));
        return 2;
    }
    return 0;
}
