#include "appinfo.h"
#include "kubesim/simulatedcluster.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <list>

namespace {

volatile std::sig_atomic_t g_stopRequested = 0;

void requestStop(int) {
    g_stopRequested = 1;
}

} // namespace

int main(int argc, char** argv) {
    using namespace driftdeck;
    app::setApplicationInfo("kubesim");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "kubesim: a Kubernetes API server in miniature, for Driftdeck's demo mode and tests.\n"
        "Serves HTTPS on loopback; user `admin` authenticates with a client certificate, `viewer` with a\n"
        "bearer token (read-only). Runs until interrupted (SIGINT/SIGTERM).\n"
        "Faults can also be changed while running: POST a JSON object with any of latencyMs, errorRate,\n"
        "throttleRate, retryAfterSeconds, dropWatchSeconds, refuseConnectionsMs (connections are dropped\n"
        "for that long), stallWatches (true/false),\n"
        "rejectTokenRequests (the next N bearer-token requests get 401) to "
        "https://127.0.0.1:<port>/kubesim/faults as admin; GET "
        "shows the settings."));
    const QCommandLineOption clustersOption(
        QStringLiteral("clusters"),
        QStringLiteral("Start N clusters, named kubesim-1..N (default 1, named kubesim)."),
        QStringLiteral("N"));
    const QCommandLineOption namesOption(
        QStringLiteral("cluster-names"),
        QStringLiteral("Comma-separated cluster names (overrides --clusters)."), QStringLiteral("names"));
    const QCommandLineOption portOption(
        QStringLiteral("port"),
        QStringLiteral("Port of the first cluster; the next ones use the following "
                       "ports (default: free ports)."),
        QStringLiteral("port"));
    const QCommandLineOption kubeconfigOption(
        QStringLiteral("kubeconfig-out"),
        QStringLiteral("Write a kubeconfig for all clusters to FILE (contexts "
                       "<name> as admin and <name>-viewer)."),
        QStringLiteral("FILE"));
    const QCommandLineOption certDirOption(
        QStringLiteral("cert-dir"),
        QStringLiteral("Load ca.crt, server.crt/key, admin.crt/key from DIR, or "
                       "generate them there when absent."),
        QStringLiteral("DIR"));
    const QCommandLineOption latencyOption(
        QStringLiteral("latency-ms"),
        QStringLiteral("Fault: add this many milliseconds to every API response."), QStringLiteral("ms"));
    const QCommandLineOption errorRateOption(
        QStringLiteral("error-rate"),
        QStringLiteral("Fault: share (0..1) of API requests answered with 500."), QStringLiteral("share"));
    const QCommandLineOption throttleOption(
        QStringLiteral("throttle-rate"),
        QStringLiteral("Fault: share (0..1) of API requests answered with 429 "
                       "and Retry-After."),
        QStringLiteral("share"));
    const QCommandLineOption retryAfterOption(
        QStringLiteral("retry-after"),
        QStringLiteral("Fault: Retry-After seconds of injected 429s (default 1)."),
        QStringLiteral("seconds"));
    const QCommandLineOption dropWatchOption(
        QStringLiteral("drop-watch-seconds"),
        QStringLiteral("Fault: end every watch stream after this many seconds."), QStringLiteral("seconds"));
    const QCommandLineOption refuseOption(
        QStringLiteral("refuse-connections-ms"),
        QStringLiteral("Fault: drop every incoming connection for this many milliseconds after start."),
        QStringLiteral("ms"));
    const QCommandLineOption stallWatchesOption(
        QStringLiteral("stall-watches"),
        QStringLiteral("Fault: watch streams go silent for good while the connection stays open "
                       "(a half-open connection)."));
    const QCommandLineOption rejectTokensOption(
        QStringLiteral("reject-token-requests"),
        QStringLiteral(
            "Fault: answer the first N requests with a bearer token 401, as if it had been revoked."),
        QStringLiteral("N"));
    const QCommandLineOption noControllersOption(
        QStringLiteral("no-controllers"),
        QStringLiteral("Serve the bare API: no workload controllers and no garbage collector."));
    parser.addOptions({noControllersOption, clustersOption, namesOption, portOption, kubeconfigOption,
                       certDirOption, latencyOption, errorRateOption, throttleOption, retryAfterOption,
                       dropWatchOption, refuseOption, stallWatchesOption, rejectTokensOption});

    int exitCode = 0;
    if (app::handleInfoOptions(parser, app::argumentsFrom(argc, argv), &exitCode))
        return exitCode;

    QCoreApplication application(argc, argv);
    QStringList names;
    if (parser.isSet(namesOption)) {
        names = parser.value(namesOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
    } else {
        const int count = parser.isSet(clustersOption) ? parser.value(clustersOption).toInt() : 1;
        if (count < 1 || count > 64) {
            std::fprintf(stderr, "kubesim: --clusters must be between 1 and 64\n");
            return 2;
        }
        for (int i = 1; i <= count; ++i)
            names.append(count == 1 ? QStringLiteral("kubesim") : QStringLiteral("kubesim-%1").arg(i));
    }

    kubesim::FaultSettings faults;
    faults.latencyMs = parser.value(latencyOption).toInt();
    faults.errorRate = parser.value(errorRateOption).toDouble();
    faults.throttleRate = parser.value(throttleOption).toDouble();
    faults.retryAfterSeconds =
        qMax(1, parser.isSet(retryAfterOption) ? parser.value(retryAfterOption).toInt() : 1);
    faults.dropWatchSeconds = parser.value(dropWatchOption).toInt();
    faults.refuseConnectionsMs = parser.value(refuseOption).toInt();
    faults.stallWatches = parser.isSet(stallWatchesOption);
    faults.rejectTokenRequests = parser.value(rejectTokensOption).toInt();

    std::shared_ptr<const kubesim::CertificateBundle> certificates;
    if (parser.isSet(certDirOption)) {
        const QString dir = parser.value(certDirOption);
        Result<kubesim::CertificateBundle> bundle =
            QFile::exists(QDir(dir).filePath(QStringLiteral("ca.crt")))
                ? kubesim::CertificateBundle::load(dir)
                : kubesim::CertificateBundle::generate();
        if (!bundle) {
            std::fprintf(stderr, "kubesim: %s\n", qPrintable(bundle.error().message));
            return 1;
        }
        if (const Status saved = bundle->save(dir); !saved) {
            std::fprintf(stderr, "kubesim: %s\n", qPrintable(saved.error().message));
            return 1;
        }
        certificates = std::make_shared<const kubesim::CertificateBundle>(*bundle);
    } else {
        Result<kubesim::CertificateBundle> bundle = kubesim::CertificateBundle::generate();
        if (!bundle) {
            std::fprintf(stderr, "kubesim: %s\n", qPrintable(bundle.error().message));
            return 1;
        }
        certificates = std::make_shared<const kubesim::CertificateBundle>(*bundle);
    }

    std::list<kubesim::SimulatedCluster> clusters;
    QList<const kubesim::SimulatedCluster*> started;
    const int basePort = parser.value(portOption).toInt();
    QByteArray viewerToken;
    for (int i = 0; i < names.size(); ++i) {
        kubesim::ClusterOptions options;
        options.name = names.at(i);
        options.port = quint16(basePort > 0 ? basePort + i : 0);
        options.certificates = certificates;
        options.viewerToken = viewerToken;
        options.faults = faults;
        options.runControllers = !parser.isSet(noControllersOption);
        kubesim::SimulatedCluster& cluster = clusters.emplace_back(options);
        if (const Status status = cluster.start(); !status) {
            std::fprintf(stderr, "kubesim: %s\n", qPrintable(status.error().message));
            return 1;
        }
        viewerToken = cluster.viewerToken();
        started.append(&cluster);
        std::printf("%s %s\n", qPrintable(cluster.name()), qPrintable(cluster.serverUrl().toString()));
    }
    if (parser.isSet(kubeconfigOption)) {
        QFile file(parser.value(kubeconfigOption));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            std::fprintf(stderr, "kubesim: cannot write %s\n", qPrintable(file.fileName()));
            return 1;
        }
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write(kubesim::kubeconfigYaml(started));
        file.close();
        std::printf("kubeconfig written to %s\n", qPrintable(file.fileName()));
    }
    std::fflush(stdout);

    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    QTimer stopPoll;
    QObject::connect(&stopPoll, &QTimer::timeout, &application, [&]() {
        if (g_stopRequested)
            QCoreApplication::quit();
    });
    stopPoll.start(100);
    const int rc = application.exec();
    clusters.clear();
    return rc;
}
