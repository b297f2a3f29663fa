// bench_fleet --clusters K --apps A --resources R [--gui] [--timeout S]
// bench_fleet --backend realkube --apps A --resources R [--context NAME] [--timeout S]
// Prints one JSON object of figures on stdout. Everything lives in a temporary directory and runs
// on loopback; the cluster process ends with this one.
// --backend realkube measures the CLI engine against a real control plane instead of kubesim: run it
// inside one, `tests/realkube/launch.sh run --name bench -- bench_fleet --backend realkube ...`
// (KUBECONFIG set by launch.sh; the context defaults to "bench"). There is one server, so one
// cluster; it is seeded over its API (fleetrealkube.h), and kwok needs Nodes for 2 Pods per
// Deployment (110 Pods a Node: `launch.sh run --nodes 6` for 1k objects).
#include "fleetfixture.h"
#include "fleetmeasure.h"
#include "fleetrealkube.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>
#include <cstring>
#include <memory>

using namespace Qt::StringLiterals;
using namespace driftdeck::bench;

namespace {

int intArgument(int argc, char** argv, const char* name, int fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0)
            return std::atoi(argv[i + 1]);
    return fallback;
}

const char* textArgument(int argc, char** argv, const char* name, const char* fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return fallback;
}

bool flag(int argc, char** argv, const char* name) {
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], name) == 0)
            return true;
    return false;
}

} // namespace

int main(int argc, char** argv) {
    FleetShape shape;
    shape.clusters = intArgument(argc, argv, "--clusters", 2);
    shape.apps = intArgument(argc, argv, "--apps", 5);
    shape.resources = intArgument(argc, argv, "--resources", 8);
    const bool gui = flag(argc, argv, "--gui");
    const int timeoutSeconds = intArgument(argc, argv, "--timeout", 300);
    const QString backend = QString::fromUtf8(textArgument(argc, argv, "--backend", "kubesim"));
    const bool realkube = backend == u"realkube"_s;
    const QString context = QString::fromUtf8(textArgument(argc, argv, "--context", "bench"));
    const QString realKubeconfig = qEnvironmentVariable("KUBECONFIG").section(u':', 0, 0);
    if (realkube) {
        shape.clusters = 1; // one real server
        if (gui || realKubeconfig.isEmpty()) {
            std::fprintf(stderr,
                         "bench_fleet --backend realkube: CLI engine mode only, inside the control plane "
                         "(tests/realkube/launch.sh run --name bench -- bench_fleet --backend realkube ...), "
                         "which sets KUBECONFIG\n");
            return 2;
        }
    } else if (backend != u"kubesim"_s) {
        std::fprintf(stderr, "bench_fleet: --backend kubesim or realkube\n");
        return 2;
    }
    if (shape.clusters < 1 || shape.clusters > 50 || shape.apps < 3 || shape.apps > 1000 ||
        shape.resources < 4 || shape.resources > 200 || timeoutSeconds < 1 || timeoutSeconds > 3600) {
        std::fprintf(stderr,
                     "usage: bench_fleet [--backend kubesim|realkube] [--context NAME] --clusters 1..50 "
                     "--apps 3..1000 --resources 4..200 [--gui] [--timeout 1..3600]\n");
        return 2;
    }
    // Before anything else: nothing of the user's (Git configuration, caches) is read or written.
    QTemporaryDir dir(QDir::tempPath() + u"/driftdeck-bench-fleet-XXXXXX"_s);
    if (!dir.isValid())
        return 1;
    qputenv("HOME", dir.path().toUtf8());
    qputenv("XDG_CONFIG_HOME", (dir.path() + u"/config"_s).toUtf8());
    qputenv("XDG_CACHE_HOME", (dir.path() + u"/cache"_s).toUtf8());
    qputenv("XDG_DATA_HOME", (dir.path() + u"/data"_s).toUtf8());
    if (gui && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QElapsedTimer setup;
    setup.start();
    const QString kubeconfig = realkube ? realKubeconfig : dir.filePath(u"kubeconfig"_s);
    ClusterProcess clusters; // forks first: this process has no thread yet
    if (!realkube && !clusters.start(shape, kubeconfig)) {
        std::fprintf(stderr, "bench_fleet: the simulated clusters did not start\n");
        return 1;
    }
    std::unique_ptr<QCoreApplication> app =
        gui ? std::make_unique<QApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
    QJsonObject seeding;
    if (realkube) {
        seeding = seedRealCluster(shape, kubeconfig, context, std::chrono::seconds(timeoutSeconds));
        if (seeding.contains(u"error"_s)) {
            seeding.insert(u"backend"_s, backend);
            std::printf("%s\n", QJsonDocument(seeding).toJson(QJsonDocument::Compact).constData());
            return 1;
        }
    }
    const double seedSeconds = double(setup.elapsed()) / 1000.0;
    FleetRepo repo{dir.filePath(u"repo"_s)};
    if (!repo.create(shape)) {
        std::fprintf(stderr, "bench_fleet: the fleet repository could not be built\n");
        return 1;
    }
    FleetRun run;
    run.shape = shape;
    run.repo = &repo;
    run.workspace = fleetWorkspace(shape, repo.remoteUrl());
    if (realkube)
        run.workspace.clusters[0].context = context;
    run.timeout = std::chrono::seconds(timeoutSeconds);
    run.settings.kubeconfigPath = kubeconfig;
    run.settings.gitCacheRoot = dir.filePath(u"git-cache"_s);
    run.settings.discoveryCacheRoot = dir.filePath(u"discovery-cache"_s);
    run.settings.historyPath = u"-"_s;
    run.settings.autoSync = false;
    run.settings.interval = std::chrono::hours(1); // the benchmark asks for every refresh itself
    run.settings.healthTimeout = std::chrono::seconds(60);

    QJsonObject figures = gui ? measureGui(run) : measureEngine(run);
    figures.insert(u"backend"_s, backend);
    for (auto it = seeding.constBegin(); it != seeding.constEnd(); ++it)
        figures.insert(it.key(), it.value());
    figures.insert(u"clusters"_s, shape.clusters);
    figures.insert(u"apps_per_cluster"_s, shape.apps);
    figures.insert(u"resources_per_app"_s, shape.resources);
    figures.insert(u"objects"_s, shape.objects());
    figures.insert(u"setup_clusters_seeded_s"_s, seedSeconds);
    figures.insert(u"cores"_s, QThread::idealThreadCount());
    if (!realkube) {
        clusters.stop();
        figures.insert(u"cluster_process_peak_rss_mb"_s, double(clusters.childPeakRssKb()) / 1024.0);
    }
    std::printf("%s\n", QJsonDocument(figures).toJson(QJsonDocument::Compact).constData());
    return figures.contains(u"error"_s) ? 1 : 0;
}
