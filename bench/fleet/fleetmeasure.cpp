#include "fleetmeasure.h"

#include "fleet/enginecontroller.h"
#include "fleet/mainwindow.h"
#include "kube/clusterclient.h"
#include "kube/connectionsettings.h"
#include "kube/kubeconfig.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace driftdeck::bench {

namespace {

double msSince(const QElapsedTimer& timer) {
    return double(timer.nsecsElapsed()) / 1e6;
}
double mb(long kb) {
    return double(kb) / 1024.0;
}

// The longest gap between two ticks of a 1 ms timer, minus the millisecond: how long the event loop
// could not run anything.
class StallProbe {
public:
    StallProbe() {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_maxGapNs = std::max(m_maxGapNs, now - m_last);
            m_last = now;
        });
    }
    void restart() {
        m_clock.start();
        m_last = 0;
        m_maxGapNs = 0;
        m_timer.start();
    }
    double stop() {
        m_timer.stop();
        return std::max(0.0, double(m_maxGapNs) / 1e6 - 1.0);
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_maxGapNs = 0;
};

// Every application of the workspace has a status (FleetSnapshot::complete() alone also holds for
// the empty first snapshot).
bool completeFleet(const engine::Snapshot& snapshot, const FleetRun& run) {
    return snapshot && snapshot->applications.size() == run.workspace.applications.size() &&
           snapshot->complete();
}

int countSync(const engine::FleetSnapshot& snapshot, engine::SyncStatus status) {
    return int(std::count_if(snapshot.applications.cbegin(), snapshot.applications.cend(),
                             [status](const engine::AppStatus& app) { return app.sync == status; }));
}

// A client of cluster c0 (its kubeconfig context), to edit live state behind the engine's back over HTTPS.
std::unique_ptr<kube::ClusterClient> clientOf(const QString& kubeconfig, const QString& context) {
    auto config = kube::loadKubeconfig({kubeconfig});
    if (!config.ok())
        return nullptr;
    auto settings = kube::connectionSettings(*config, context);
    if (!settings.ok())
        return nullptr;
    return std::make_unique<kube::ClusterClient>(*settings);
}

} // namespace

bool waitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    QElapsedTimer clock;
    clock.start();
    bool ok = false;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done()) {
            ok = true;
            loop.quit();
        } else if (clock.elapsed() > timeout.count()) {
            loop.quit();
        }
    });
    poll.start(2);
    loop.exec();
    return ok;
}

QJsonObject measureEngine(const FleetRun& run) {
    QJsonObject figures{{u"mode"_s, u"cli-engine"_s}};
    const long rssBefore = currentRssKb();
    engine::Engine engine(run.workspace, run.settings);
    const auto app = [&engine](const QString& name) -> engine::AppStatus {
        const engine::Snapshot snapshot = engine.snapshot();
        const engine::AppStatus* status = snapshot->application(name);
        return status ? *status : engine::AppStatus{};
    };

    // Cold: connect, list and watch every cluster, fetch and render the repository, compare all.
    QElapsedTimer clock;
    // Phase lines on stderr, for a profiler attached to one phase (bench/README.md).
    std::fprintf(stderr, "bench_fleet: phase cold-status begins (pid %lld)\n",
                 QCoreApplication::applicationPid());
    clock.start();
    engine.start();
    if (!waitUntil([&] { return completeFleet(engine.snapshot(), run); }, run.timeout)) {
        figures.insert(u"error"_s, u"no complete fleet status within the timeout"_s);
        return figures;
    }
    figures.insert(u"cold_complete_status_ms"_s, msSince(clock));
    std::fprintf(stderr, "bench_fleet: phase cold-status ends\n");
    const engine::Snapshot cold = engine.snapshot();
    figures.insert(u"apps_synced"_s, countSync(*cold, engine::SyncStatus::Synced));
    figures.insert(u"apps_out_of_sync"_s, countSync(*cold, engine::SyncStatus::OutOfSync));
    figures.insert(u"apps_error"_s, countSync(*cold, engine::SyncStatus::Error));
    figures.insert(u"rss_after_cold_mb"_s, mb(currentRssKb()));

    // A one-file commit: c0-a0's first ConfigMap changes; refresh fetches and compares again.
    const QString commitApp = appName(0, 0);
    const QString oldCommit = app(commitApp).commitId;
    QJsonObject changed = resourceObject(commitApp, 2);
    changed.insert(u"data"_s, QJsonObject{{u"level"_s, u"debug"_s}});
    if (run.repo->write(u"apps/%1/%2"_s.arg(commitApp, resourceFile(2)), changed) &&
        run.repo->commitAndPush(u"one file"_s)) {
        clock.restart();
        engine.refresh();
        if (waitUntil(
                [&] {
                    const auto s = app(commitApp);
                    return s.commitId != oldCommit && s.sync == engine::SyncStatus::OutOfSync;
                },
                run.timeout))
            figures.insert(u"recompare_after_one_file_commit_ms"_s, msSince(clock));
        // refresh() compares again only the application whose render changed (the others keep
        // their status at the new commit), so there is no "whole fleet" wait to make.
    }

    // A live edit over HTTPS (as kubectl edit would): c0-a1's ConfigMap gets another value.
    const QString editApp = appName(0, 1);
    if (auto client = clientOf(run.settings.kubeconfigPath, run.workspace.clusters.value(0).context)) {
        QJsonObject edited = resourceObject(editApp, 2);
        QJsonObject metadata = edited.value(u"metadata").toObject();
        metadata.insert(u"namespace"_s, editApp);
        edited.insert(u"metadata"_s, metadata);
        edited.insert(u"data"_s, QJsonObject{{u"level"_s, u"trace"_s}});
        kube::ResourceInfo info;
        info.version = u"v1"_s;
        info.kind = u"ConfigMap"_s;
        info.resource = u"configmaps"_s;
        info.namespaced = true;
        kube::ApplyOptions options;
        options.fieldManager = u"kubectl-edit"_s;
        options.force = true;
        clock.restart();
        QFuture<kube::ApiReply> reply = client->apply(info, edited, options);
        if (waitUntil([&] { return app(editApp).sync == engine::SyncStatus::OutOfSync; }, run.timeout))
            figures.insert(u"live_edit_to_out_of_sync_ms"_s, msSince(clock));
        waitUntil([&] { return reply.isFinished(); }, std::chrono::seconds(20));
    }

    // Sync throughput: a commit relabels every object of up to 10 applications of c0; they are
    // synced together once the engine shows them OutOfSync.
    QStringList syncApps;
    for (int a = 2; a < std::min(run.shape.apps, 12); ++a)
        syncApps.append(appName(0, a));
    QHash<QString, QString> before;
    for (const QString& name : syncApps) {
        before.insert(name, app(name).commitId);
        for (int r = 0; r < run.shape.resources; ++r)
            run.repo->write(u"apps/%1/%2"_s.arg(name, resourceFile(r)), resourceObject(name, r, 1));
    }
    if (!syncApps.isEmpty() && run.repo->commitAndPush(u"relabel"_s)) {
        engine.refresh();
        const bool drifted = waitUntil(
            [&] {
                return std::all_of(syncApps.cbegin(), syncApps.cend(), [&](const QString& name) {
                    const auto s = app(name);
                    return s.commitId != before.value(name) && s.sync == engine::SyncStatus::OutOfSync;
                });
            },
            run.timeout);
        int finished = 0;
        int failed = 0;
        QObject::connect(&engine, &engine::Engine::operationFinished, &engine,
                         [&](const engine::OperationResult& result) {
                             ++finished;
                             if (!result.ok) {
                                 ++failed;
                                 figures.insert(u"sync_failure"_s, result.message);
                             }
                         });
        clock.restart();
        for (const QString& name : syncApps)
            engine.sync(name);
        if (drifted && waitUntil([&] { return finished == syncApps.size(); }, run.timeout)) {
            const double ms = msSince(clock);
            const int objects = int(syncApps.size()) * run.shape.resources;
            figures.insert(u"sync_objects"_s, objects);
            figures.insert(u"sync_ms"_s, ms);
            figures.insert(u"sync_objects_per_s"_s, objects / (ms / 1000.0));
            figures.insert(u"sync_failed_apps"_s, failed);
        }
    }
    figures.insert(u"rss_before_engine_mb"_s, mb(rssBefore));
    figures.insert(u"peak_rss_mb"_s, mb(peakRssKb()));
    return figures;
}

QJsonObject measureGui(const FleetRun& run) {
    QJsonObject figures{{u"mode"_s, u"gui"_s}};
    const long rssBefore = currentRssKb();
    ui::MainWindow window;
    window.resize(1400, 900);
    window.show();
    quint64 applied = 0;
    QObject::connect(&window, &ui::MainWindow::snapshotApplied, &window,
                     [&](quint64 generation) { applied = generation; });
    ui::EngineController* controller = window.engineController();
    const auto shown = [&] {
        const engine::Snapshot snapshot = controller->snapshot();
        return completeFleet(snapshot, run) && applied >= snapshot->generation;
    };
    StallProbe probe;
    QElapsedTimer clock;
    clock.start();
    probe.restart();
    window.startEngine(run.workspace, run.settings);
    if (!waitUntil(shown, run.timeout)) {
        figures.insert(u"error"_s, u"the window never showed a complete fleet status"_s);
        return figures;
    }
    figures.insert(u"cold_complete_status_shown_ms"_s, msSince(clock));
    figures.insert(u"longest_ui_stall_cold_ms"_s, probe.stop());

    // Full refresh: a commit relabels every object of the fleet; refresh fetches it, renders and
    // compares every application again, and the window merges a snapshot where everything changed.
    // (Engine::hardRefresh is not used: it does not compare every application again, see RESULTS.md.)
    const QString oldCommit = controller->snapshot()->applications.value(0).commitId;
    for (int c = 0; c < run.shape.clusters; ++c)
        for (int a = 0; a < run.shape.apps; ++a)
            for (int r = 0; r < run.shape.resources; ++r)
                run.repo->write(u"apps/%1/%2"_s.arg(appName(c, a), resourceFile(r)),
                                resourceObject(appName(c, a), r, 1));
    if (!run.repo->commitAndPush(u"relabel everything"_s)) {
        figures.insert(u"error"_s, u"the relabelling commit failed"_s);
        return figures;
    }
    clock.restart();
    probe.restart();
    controller->refresh();
    const bool refreshed = waitUntil(
        [&] {
            if (!shown())
                return false;
            const engine::Snapshot snapshot = controller->snapshot();
            return std::all_of(snapshot->applications.cbegin(), snapshot->applications.cend(),
                               [&](const engine::AppStatus& s) {
                                   return s.commitId != oldCommit && s.sync == engine::SyncStatus::OutOfSync;
                               });
        },
        run.timeout);
    const double stall = probe.stop();
    if (refreshed) {
        figures.insert(u"full_refresh_shown_ms"_s, msSince(clock));
        figures.insert(u"longest_ui_stall_full_refresh_ms"_s, stall);
    } else {
        figures.insert(u"error"_s, u"the full refresh did not finish within the timeout"_s);
    }
    figures.insert(u"rss_before_window_mb"_s, mb(rssBefore));
    figures.insert(u"peak_rss_mb"_s, mb(peakRssKb()));
    controller->stop();
    return figures;
}

} // namespace driftdeck::bench
