#include "appinfo.h"
#include "blamecommand.h"
#include "diffcommand.h"
#include "healthcommand.h"
#include "historycommand.h"
#include "importcommand.h"
#include "statuscommand.h"
#include "synccommand.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

#include <cstdio>

int main(int argc, char** argv) {
    driftdeck::app::setApplicationInfo("driftdeck-cli");
    QStringList arguments = driftdeck::app::argumentsFrom(argc, argv);
    // `driftdeck-cli --demo status`: the demo options may come before the verb; they are the verb's.
    // Only the leading run of them moves, once: `--demo --demo` (nothing else) must not rotate forever.
    qsizetype leading = 0;
    while (1 + leading < arguments.size() && (arguments.at(1 + leading) == QLatin1String("--demo") ||
                                              arguments.at(1 + leading) == QLatin1String("--demo-reset")))
        ++leading;
    if (leading > 0 && 1 + leading < arguments.size()) {
        const QStringList options = arguments.mid(1, leading);
        arguments.remove(1, leading);
        arguments.append(options);
    }

    // Verbs first: each parses its own options.
    using Verb = int (*)(const QStringList&, QTextStream&, QTextStream&);
    static const std::pair<const char*, Verb> verbs[] = {
        {"diff", driftdeck::cli::runDiffCommand},
        {"health", driftdeck::cli::runHealthCommand},
        {"status", driftdeck::cli::runStatusCommand},
        {"sync", driftdeck::cli::runSyncCommand},
        {"history", driftdeck::cli::runHistoryCommand},
        {"rollback", driftdeck::cli::runRollbackCommand},
        {"resume", driftdeck::cli::runResumeCommand},
        {"revert", driftdeck::cli::runRevertCommand},
        {"blame", driftdeck::cli::runBlameCommand},
        {"import-argocd", driftdeck::cli::runImportArgoCommand},
    };
    for (const auto& [name, run] : verbs) {
        if (arguments.size() > 1 && arguments.at(1) == QLatin1String(name)) {
            QCoreApplication app(argc, argv);
            // Output is for scripts: the libraries' progress notes stay out of it unless asked for
            // (QT_LOGGING_RULES="driftdeck.*.info=true"); warnings still reach stderr.
            if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
                QLoggingCategory::setFilterRules(
                    QStringLiteral("driftdeck.*.info=false\ndriftdeck.*.debug=false"));
            QTextStream out(stdout);
            QTextStream err(stderr);
            return run(arguments.mid(2), out, err);
        }
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Driftdeck command line: the same engine as the desktop app, for scripts and CI.\n\n"
        "Commands:\n"
        "  status                            clusters' connections, applications' sync and health\n"
        "  diff                              what a sync would change, per application (exit 0/1/2)\n"
        "  diff --desired FILE --live FILE   the same for two files of objects\n"
        "  sync                              apply desired state (plan first; --dry-run, --prune, "
        "--resource)\n"
        "  history                           recorded syncs, rollbacks and reverts\n"
        "  rollback REVISION --app NAME      sync to an earlier revision; pins it, pauses auto-sync\n"
        "  resume --app NAME                 unpin after a rollback, resume auto-sync\n"
        "  revert COMMIT --app NAME          git revert of a commit on the application's branch\n"
        "  blame --app NAME                  the commit that introduced each drifted field\n"
        "  import-argocd DIR                 add Argo CD Applications to the workspace\n"
        "  health FILE...                    health of the Kubernetes objects in FILE (see health --help)"));
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("diff or health"),
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
