// kubesim throughput: server-side applies per second over HTTPS (the path Driftdeck's sync and every
// integration test take) and in-process, and the latency of listing 10,000 objects.
#include "kubesim/objectstore.h"
#include "kubesim/simulatedcluster.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QSslKey>

#include <benchmark/benchmark.h>

using namespace driftdeck::kubesim;

namespace {

QNetworkRequest adminRequest(const SimulatedCluster& cluster, const QString& pathAndQuery) {
    QUrl url = cluster.serverUrl();
    const qsizetype q = pathAndQuery.indexOf(QLatin1Char('?'));
    url.setPath(q < 0 ? pathAndQuery : pathAndQuery.left(q));
    if (q >= 0)
        url.setQuery(pathAndQuery.mid(q + 1));
    QNetworkRequest req(url);
    // Built once per cluster: parsing the key for every request would dominate the client's time,
    // and an identical configuration lets QNetworkAccessManager reuse its keep-alive connections.
    static QHash<QByteArray, QSslConfiguration> configurations; // by CA: every cluster has its own
    auto it = configurations.find(cluster.certificates().caCertificate);
    if (it == configurations.end()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslCertificate::fromData(cluster.certificates().caCertificate));
        tls.setLocalCertificate(QSslCertificate(cluster.certificates().adminCertificate));
        tls.setPrivateKey(QSslKey(cluster.certificates().adminKey, QSsl::Ec));
        it = configurations.insert(cluster.certificates().caCertificate, tls);
    }
    req.setSslConfiguration(*it);
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    return req;
}

QByteArray configMapYaml(int i, int generation) {
    return QStringLiteral(
               "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%1\n  labels:\n    app: bench\n"
               "data:\n  index: \"%1\"\n  round: \"%2\"\n")
        .arg(i)
        .arg(generation)
        .toUtf8();
}

// Sends `count` requests, at most `parallel` in flight (QNetworkAccessManager keeps 6 connections).
int runRequests(QNetworkAccessManager& nam, int count, int parallel,
                const std::function<QNetworkReply*(QNetworkAccessManager&, int)>& send) {
    int next = 0;
    int done = 0;
    int failed = 0;
    QEventLoop loop;
    std::function<void()> launch = [&]() {
        while (next < count && next - done < parallel) {
            QNetworkReply* reply = send(nam, next++);
            QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply]() {
                if (reply->error() != QNetworkReply::NoError)
                    ++failed;
                reply->deleteLater();
                ++done;
                if (done == count)
                    loop.quit();
                else
                    launch();
            });
        }
    };
    launch();
    if (done < count)
        loop.exec();
    return failed;
}

void BM_ServerSideApplyOverHttps(benchmark::State& state) {
    SimulatedCluster cluster;
    if (!cluster.start().ok()) {
        state.SkipWithError("kubesim did not start");
        return;
    }
    QNetworkAccessManager nam;
    const int objects = int(state.range(0));
    int round = 0;
    for (auto _ : state) {
        ++round;
        const int failed = runRequests(nam, objects, 12, [&](QNetworkAccessManager& n, int i) {
            QNetworkRequest req = adminRequest(
                cluster,
                QStringLiteral("/api/v1/namespaces/default/configmaps/cm-%1?fieldManager=bench&force=true")
                    .arg(i));
            req.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/apply-patch+yaml"));
            return n.sendCustomRequest(req, "PATCH", configMapYaml(i, round));
        });
        if (failed > 0)
            state.SkipWithError("some applies failed");
    }
    state.SetItemsProcessed(state.iterations() * objects);
    state.counters["applies_per_second"] =
        benchmark::Counter(double(state.iterations() * objects), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ServerSideApplyOverHttps)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ServerSideApplyInProcess(benchmark::State& state) {
    ObjectStore store;
    const ResourceType type = *store.registry().find({}, QStringLiteral("v1"), QStringLiteral("configmaps"));
    const int objects = int(state.range(0));
    int round = 0;
    for (auto _ : state) {
        ++round;
        for (int i = 0; i < objects; ++i) {
            const QJsonObject applied{
                {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                {QStringLiteral("metadata"),
                 QJsonObject{{QStringLiteral("name"), QStringLiteral("cm-%1").arg(i)},
                             {QStringLiteral("namespace"), QStringLiteral("default")}}},
                {QStringLiteral("data"), QJsonObject{{QStringLiteral("round"), QString::number(round)}}}};
            const std::optional<QJsonObject> live =
                store.get(type, QStringLiteral("default"), QStringLiteral("cm-%1").arg(i));
            auto merged = serverSideApply(KindRef{{}, QStringLiteral("v1"), QStringLiteral("ConfigMap")},
                                          live.value_or(QJsonObject()), applied, QStringLiteral("bench"),
                                          true, QStringLiteral("2026-01-01T00:00:00Z"));
            WriteOptions options{QStringLiteral("bench"), false, {}, QStringLiteral("Apply")};
            auto stored = live ? store.update(type, std::get<QJsonObject>(merged), options)
                               : store.create(type, std::get<QJsonObject>(merged), options);
            benchmark::DoNotOptimize(stored);
        }
    }
    state.counters["applies_per_second"] =
        benchmark::Counter(double(state.iterations() * objects), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ServerSideApplyInProcess)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_ListTenThousandOverHttps(benchmark::State& state) {
    SimulatedCluster cluster;
    if (!cluster.start().ok()) {
        state.SkipWithError("kubesim did not start");
        return;
    }
    const int objects = int(state.range(0));
    cluster.withStore([objects](ObjectStore& store) {
        const ResourceType type =
            *store.registry().find({}, QStringLiteral("v1"), QStringLiteral("configmaps"));
        for (int i = 0; i < objects; ++i) {
            store.create(
                type,
                QJsonObject{
                    {QStringLiteral("metadata"),
                     QJsonObject{{QStringLiteral("name"), QStringLiteral("cm-%1").arg(i)},
                                 {QStringLiteral("namespace"), QStringLiteral("default")},
                                 {QStringLiteral("labels"),
                                  QJsonObject{{QStringLiteral("app"), QStringLiteral("bench")}}}}},
                    {QStringLiteral("data"), QJsonObject{{QStringLiteral("index"), QString::number(i)}}}});
        }
    });
    QNetworkAccessManager nam;
    qint64 bytes = 0;
    for (auto _ : state) {
        QNetworkReply* reply =
            nam.get(adminRequest(cluster, QStringLiteral("/api/v1/namespaces/default/configmaps")));
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
        const QByteArray body = reply->readAll();
        bytes += body.size();
        const qsizetype items =
            QJsonDocument::fromJson(body).object().value(QStringLiteral("items")).toArray().size();
        reply->deleteLater();
        if (items != objects)
            state.SkipWithError("list returned the wrong number of items");
    }
    state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_ListTenThousandOverHttps)->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
