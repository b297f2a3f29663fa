#pragma once

#include "engine/engine.h"
#include "model/error.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QFuture>
#include <QFutureWatcher>
#include <QHash>
#include <QStringList>
#include <QTextStream>

#include <memory>

namespace driftdeck::demo {
class DemoFleet;
}

// What every workspace verb of the CLI shares: the options that choose the workspace, the
// applications and clusters, and an engine run until it has a status for each of them.
namespace driftdeck::cli {

using engine::Snapshot;

struct FleetOptions {
    QCommandLineOption workspace{
        QStringLiteral("workspace"),
        QStringLiteral("Workspace file (default: $XDG_CONFIG_HOME/driftdeck/workspace.yaml)."),
        QStringLiteral("file")};
    QCommandLineOption app{QStringLiteral("app"), QStringLiteral("Only this application (repeatable)."),
                           QStringLiteral("name")};
    QCommandLineOption cluster{QStringLiteral("cluster"),
                               QStringLiteral("Only applications on this cluster (repeatable)."),
                               QStringLiteral("name")};
    QCommandLineOption kubeconfig{
        QStringLiteral("kubeconfig"),
        QStringLiteral("Kubeconfig file(s), ':'-separated (default: $KUBECONFIG, ~/.kube/config)."),
        QStringLiteral("files")};
    QCommandLineOption output{{QStringLiteral("o"), QStringLiteral("output")},
                              QStringLiteral("Output format: text (default), json or yaml."),
                              QStringLiteral("format"),
                              QStringLiteral("text")};
    QCommandLineOption timeout{QStringLiteral("timeout"),
                               QStringLiteral("Seconds to wait for every application's status (default 60)."),
                               QStringLiteral("seconds"), QStringLiteral("60")};
    QCommandLineOption help{{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help.")};
    QCommandLineOption demo{
        QStringLiteral("demo"),
        QStringLiteral("Run on the built-in demo fleet (three simulated clusters, in this process; "
                       "nothing of yours is read or touched).")};
    QCommandLineOption demoReset{QStringLiteral("demo-reset"),
                                 QStringLiteral("Rebuild the demo fleet from scratch, then as --demo.")};

    void addTo(QCommandLineParser& parser) const;
};

// One CLI run over a workspace.
class FleetSession {
public:
    FleetSession(QString verb, QTextStream& err);
    ~FleetSession();

    // Loads the workspace (filtered by --app / --cluster) and starts the engine. An error names the
    // file, application or cluster and has been printed.
    Status open(const QCommandLineParser& parser, const FleetOptions& options);
    // Runs until every selected application has a status or the timeout passes; the applications
    // still Unknown then are reported on stderr. Progress goes to stderr on a terminal only.
    Snapshot waitForStatus();
    // Runs until the operation ends (no timeout: a sync ends by itself, through its health timeout
    // or the cluster's request timeouts); progress goes to stderr on a terminal. Operations that
    // ended earlier (while another was waited for) are answered from what the session kept.
    engine::OperationResult waitForOperation(quint64 id);
    engine::Engine& engine() { return *m_engine; }
    const QString& format() const { return m_format; }
    QString workspacePath() const { return m_workspacePath; }
    // Prints "driftdeck-cli <verb>: <message>" and the detail's first line for an Error.
    void fail(const Error& error) const;

    // Runs the event loop until `future` has its result.
    template <typename T>
    static T wait(QFuture<T> future) {
        if (!future.isFinished()) {
            QEventLoop loop;
            QFutureWatcher<T> watcher;
            QObject::connect(&watcher, &QFutureWatcher<T>::finished, &loop, &QEventLoop::quit);
            watcher.setFuture(future);
            if (!future.isFinished())
                loop.exec();
        }
        return future.result();
    }

private:
    QString m_verb;
    QTextStream& m_err;
    QString m_format;
    QString m_workspacePath;
    int m_timeoutSeconds = 60;
    std::unique_ptr<demo::DemoFleet> m_demo; // before the engine: destroyed after it
    std::unique_ptr<engine::Engine> m_engine;
    // Every operation that ended since open(), by id: `sync` starts one per application and waits
    // for them one after the other, so most end while an earlier one is waited for.
    QHash<quint64, engine::OperationResult> m_finished;
};

} // namespace driftdeck::cli
