// What a snapshot costs the GUI thread: the fleet model (with its filter proxy attached, as in the
// window) merging a fleet of 20 clusters × 50 applications × 20 resources = 20,000 resources.
//   build/dev/bench/ui/bench_ui
#include "fleet/fleetfiltermodel.h"
#include "fleet/fleetmodel.h"

#include <QCoreApplication>

#include <benchmark/benchmark.h>

using namespace Qt::StringLiterals;
using namespace driftdeck;
using namespace driftdeck::engine;

namespace {

constexpr int kClusters = 20;
constexpr int kAppsPerCluster = 50;
constexpr int kResourcesPerApp = 20;

// `changedApps` applications have one drifted resource and one resource replaced by a new one.
Snapshot fleet(quint64 generation, int changedApps) {
    auto snapshot = std::make_shared<FleetSnapshot>();
    snapshot->generation = generation;
    int appNumber = 0;
    for (int c = 0; c < kClusters; ++c) {
        ClusterStatus cluster;
        cluster.name = u"cluster-%1"_s.arg(c);
        cluster.connection = ConnectionState::Connected;
        snapshot->clusters.append(cluster);
        for (int a = 0; a < kAppsPerCluster; ++a, ++appNumber) {
            AppStatus app;
            app.name = u"app-%1"_s.arg(appNumber);
            app.cluster = cluster.name;
            app.sync = SyncStatus::Synced;
            const bool changed = appNumber < changedApps;
            for (int r = 0; r < kResourcesPerApp; ++r) {
                ResourceStatus resource;
                const QString name = (changed && r == 0) ? u"replacement"_s : u"object-%1"_s.arg(r);
                resource.key = ResourceKey{QString(), u"ConfigMap"_s, app.name, name};
                resource.diff.key = resource.key;
                if (changed && r == 1) {
                    resource.diff.state = diff::ObjectDiff::State::OutOfSync;
                    app.sync = SyncStatus::OutOfSync;
                }
                app.resources.append(resource);
            }
            snapshot->applicationIndex.insert(app.name, snapshot->applications.size());
            snapshot->applications.append(app);
        }
    }
    return snapshot;
}

void firstLoad(benchmark::State& state) {
    const Snapshot snapshot = fleet(1, 0);
    for (auto _ : state) {
        ui::FleetModel model;
        ui::FleetFilterModel filter;
        filter.setSourceModel(&model);
        model.applySnapshot(snapshot);
        benchmark::DoNotOptimize(model.rowCount());
    }
    state.counters["resources"] = kClusters * kAppsPerCluster * kResourcesPerApp;
}
BENCHMARK(firstLoad)->Unit(benchmark::kMillisecond);

// A refresh: `changed` applications differ from the previous snapshot (state.range(0)).
void refresh(benchmark::State& state) {
    const Snapshot before = fleet(1, 0);
    const Snapshot after = fleet(2, int(state.range(0)));
    ui::FleetModel model;
    ui::FleetFilterModel filter;
    filter.setSourceModel(&model);
    model.applySnapshot(before);
    bool flip = false;
    for (auto _ : state) {
        model.applySnapshot(flip ? before : after);
        flip = !flip;
    }
    state.counters["resources"] = kClusters * kAppsPerCluster * kResourcesPerApp;
}
BENCHMARK(refresh)->Arg(0)->Arg(1)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

// The same with the filter active (OutOfSync quick filter): the proxy re-evaluates changed rows.
void refreshFiltered(benchmark::State& state) {
    const Snapshot before = fleet(1, 0);
    const Snapshot after = fleet(2, int(state.range(0)));
    ui::FleetModel model;
    ui::FleetFilterModel filter;
    filter.setSourceModel(&model);
    filter.setQuickFilter(ui::FleetFilterModel::OutOfSyncOnly, true);
    model.applySnapshot(before);
    bool flip = false;
    for (auto _ : state) {
        model.applySnapshot(flip ? before : after);
        flip = !flip;
    }
}
BENCHMARK(refreshFiltered)->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
