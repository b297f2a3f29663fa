#include "fleetsession.h"

#include "demo/demofleet.h"
#include "workspace/workspace.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace driftdeck::cli {

void FleetOptions::addTo(QCommandLineParser& parser) const {
    parser.addOptions({workspace, app, cluster, kubeconfig, output, timeout, help, demo, demoReset});
}

FleetSession::FleetSession(QString verb, QTextStream& err)
    : m_verb(std::move(verb))
    , m_err(err) {}

FleetSession::~FleetSession() = default;

void FleetSession::fail(const Error& error) const {
    m_err << "driftdeck-cli " << m_verb << ": " << error.toString() << '\n';
    m_err.flush();
}

Status FleetSession::open(const QCommandLineParser& parser, const FleetOptions& options) {
    m_format = parser.value(options.output);
    if (m_format != "text"_L1 && m_format != "json"_L1 && m_format != "yaml"_L1) {
        Error error = Error::make(Error::Code::Invalid,
                                  u"unknown output format '%1'; use text, json or yaml"_s.arg(m_format));
        fail(error);
        return error;
    }
    bool ok = false;
    m_timeoutSeconds = parser.value(options.timeout).toInt(&ok);
    if (!ok || m_timeoutSeconds < 1 || m_timeoutSeconds > 3600) {
        Error error = Error::make(Error::Code::Invalid, u"--timeout must be between 1 and 3600 seconds"_s);
        fail(error);
        return error;
    }
    engine::EngineSettings settings;
    settings.kubeconfigPath = parser.value(options.kubeconfig);
    settings.autoSync = false; // a CLI run acts only when told to
    if (parser.isSet(options.demo) || parser.isSet(options.demoReset)) {
        if (parser.isSet(options.workspace) || parser.isSet(options.kubeconfig)) {
            Error error = Error::make(Error::Code::Invalid, u"--demo brings its own workspace and clusters"_s,
                                      u"leave out --workspace and --kubeconfig"_s);
            fail(error);
            return error;
        }
        m_demo = std::make_unique<demo::DemoFleet>();
        demo::DemoOptions demoOptions;
        demoOptions.reset = parser.isSet(options.demoReset);
        Result<demo::DemoLayout> layout = m_demo->prepare(demoOptions);
        if (!layout.ok()) {
            fail(layout.error());
            return layout.error();
        }
        if (Status started = m_demo->startClusters(); !started.ok()) {
            fail(started.error());
            return started.error();
        }
        m_workspacePath = layout->workspacePath;
        settings.kubeconfigPath = layout->kubeconfigPath;
        settings.gitCacheRoot = layout->gitCacheRoot;
        settings.discoveryCacheRoot = layout->discoveryCacheRoot;
        settings.historyPath = layout->historyPath;
    } else {
        m_workspacePath = workspace::resolveWorkspacePath(parser.value(options.workspace));
    }
    Result<workspace::LoadedWorkspace> loaded = workspace::loadWorkspace(m_workspacePath);
    if (!loaded.ok()) {
        Error error = loaded.error();
        if (error.code == Error::Code::NotFound)
            error.detail =
                u"create it (docs/workspace.md), import Argo CD applications, pass --workspace FILE, or try --demo"_s;
        fail(error);
        return error;
    }
    for (const QString& warning : std::as_const(loaded->warnings))
        m_err << "driftdeck-cli " << m_verb << ": warning: " << warning << '\n';
    workspace::Workspace selected = loaded->workspace;
    const QStringList apps = parser.values(options.app);
    const QStringList clusters = parser.values(options.cluster);
    for (const QString& name : apps)
        if (!selected.application(name)) {
            Error error =
                Error::make(Error::Code::NotFound, u"no application '%1' in %2"_s.arg(name, m_workspacePath),
                            u"driftdeck-cli status lists the applications"_s);
            fail(error);
            return error;
        }
    for (const QString& name : clusters)
        if (!selected.cluster(name)) {
            Error error =
                Error::make(Error::Code::NotFound, u"no cluster '%1' in %2"_s.arg(name, m_workspacePath));
            fail(error);
            return error;
        }
    QList<AppSpec> kept;
    for (const AppSpec& app : std::as_const(selected.applications))
        if ((apps.isEmpty() || apps.contains(app.name)) &&
            (clusters.isEmpty() || clusters.contains(app.cluster)))
            kept.append(app);
    selected.applications = kept;
    // Only the clusters the selected applications use are connected.
    QList<ClusterSpec> usedClusters;
    for (const ClusterSpec& cluster : std::as_const(selected.clusters)) {
        bool used = false;
        for (const AppSpec& app : std::as_const(kept))
            used = used || app.cluster == cluster.name;
        if (used || (clusters.contains(cluster.name)))
            usedClusters.append(cluster);
    }
    selected.clusters = usedClusters;

    m_engine = std::make_unique<engine::Engine>(selected, settings);
    QObject::connect(
        m_engine.get(), &engine::Engine::operationFinished, m_engine.get(),
        [this](const engine::OperationResult& finished) { m_finished.insert(finished.id, finished); });
    m_engine->start();
    return success();
}

Snapshot FleetSession::waitForStatus() {
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    QEventLoop loop;
    QElapsedTimer elapsed;
    elapsed.start();
    QTimer poll;
    int lastShown = -1;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        const Snapshot snapshot = m_engine->snapshot();
        if (snapshot->generation > 0 && snapshot->complete()) {
            loop.quit();
            return;
        }
        if (elapsed.elapsed() > qint64(m_timeoutSeconds) * 1000) {
            loop.quit();
            return;
        }
        if (terminal) {
            int known = 0;
            for (const engine::AppStatus& app : snapshot->applications)
                known += app.sync != engine::SyncStatus::Unknown ? 1 : 0;
            if (known != lastShown) {
                m_err << "\r" << known << " of " << snapshot->applications.size() << " applications compared";
                m_err.flush();
                lastShown = known;
            }
        }
    });
    poll.start(25);
    loop.exec();
    if (terminal && lastShown >= 0) {
        m_err << "\r\033[K";
        m_err.flush();
    }
    const Snapshot snapshot = m_engine->snapshot();
    for (const engine::AppStatus& app : snapshot->applications)
        if (app.sync == engine::SyncStatus::Unknown)
            m_err << "driftdeck-cli " << m_verb << ": " << app.name << ": no status after "
                  << m_timeoutSeconds << " s (cluster " << app.cluster
                  << " slow or still listing; raise --timeout)\n";
    m_err.flush();
    return snapshot;
}

engine::OperationResult FleetSession::waitForOperation(quint64 id) {
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    QEventLoop loop;
    // Connected after the session's own receiver (open()), so m_finished holds the result by then.
    QObject::connect(m_engine.get(), &engine::Engine::operationFinished, &loop,
                     [&](const engine::OperationResult& finished) {
                         if (finished.id == id)
                             loop.quit();
                     });
    QObject::connect(m_engine.get(), &engine::Engine::operationProgress, &loop,
                     [&](const engine::OperationProgress& progress) {
                         if (progress.id != id || !terminal)
                             return;
                         m_err << "\r\033[K" << progress.application << ": " << progress.done << "/"
                               << progress.total << " " << progress.phase.left(100);
                         m_err.flush();
                     });
    if (!m_finished.contains(id))
        loop.exec();
    if (terminal) {
        m_err << "\r\033[K";
        m_err.flush();
    }
    return m_finished.take(id);
}

} // namespace driftdeck::cli
