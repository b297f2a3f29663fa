#include "fleetrealkube.h"

#include "diff/pairing.h"
#include "fleetmeasure.h"
#include "kube/clusterclient.h"
#include "kube/connectionsettings.h"
#include "kube/kubeconfig.h"
#include "kubeobj/object.h"
#include "sync/syncrequests.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFuture>
#include <QJsonArray>
#include <QTimer>
#include <QUrlQuery>

#include <memory>
#include <utility>

using namespace Qt::StringLiterals;

namespace driftdeck::bench {

namespace {

// At most this many applies are in flight: enough to keep HTTP/2 busy, few enough that a failing
// server answers before everything was sent.
constexpr int kInFlight = 64;

struct Seeded {
    kube::ResourceInfo info;
    QJsonObject object;
};

kube::ResourceInfo infoOf(const QString& kind) {
    kube::ResourceInfo info;
    info.version = u"v1"_s;
    info.kind = kind;
    if (kind == u"Deployment"_s) {
        info.group = u"apps"_s;
        info.resource = u"deployments"_s;
    } else if (kind == u"Namespace"_s) {
        info.resource = u"namespaces"_s;
        info.namespaced = false;
    } else {
        info.resource = kind.toLower() + u's';
    }
    return info;
}

// Its own client: seeding is not throttled like the engine (qps 50), it is not measured.
std::unique_ptr<kube::ClusterClient> seedingClient(const QString& kubeconfig, const QString& context,
                                                   QString* error) {
    auto config = kube::loadKubeconfig({kubeconfig});
    if (!config.ok()) {
        *error = config.error().message;
        return nullptr;
    }
    auto settings = kube::connectionSettings(*config, context);
    if (!settings.ok()) {
        *error = settings.error().message;
        return nullptr;
    }
    settings->qps = 1000;
    settings->burst = 1000;
    return std::make_unique<kube::ClusterClient>(*settings);
}

// Applies every object; false with the first failure in `error`.
bool applyAll(kube::ClusterClient& client, const QList<Seeded>& objects, std::chrono::seconds timeout,
              QString* error) {
    for (qsizetype first = 0; first < objects.size(); first += kInFlight) {
        QList<std::pair<const Seeded*, QFuture<kube::ApiReply>>> batch;
        for (qsizetype i = first; i < std::min(objects.size(), first + kInFlight); ++i)
            batch.append({&objects[i], client.apply(objects[i].info, objects[i].object)});
        const bool answered = waitUntil(
            [&] {
                return std::all_of(batch.cbegin(), batch.cend(),
                                   [](const auto& entry) { return entry.second.isFinished(); });
            },
            timeout);
        if (!answered) {
            *error = u"the server did not answer the seeding applies within the timeout"_s;
            return false;
        }
        for (const auto& [seeded, reply] : batch) {
            const kube::ApiReply answer = reply.result();
            if (!answer.ok()) {
                *error = u"seeding %1 %2 failed: %3"_s.arg(
                    seeded->info.kind, seeded->object[u"metadata"_s][u"name"_s].toString(),
                    answer.error->message);
                return false;
            }
        }
    }
    return true;
}

// The bench's Deployments whose rollout is complete (every replica available, the spec observed),
// or -1 when the list failed.
int availableDeployments(kube::ClusterClient& client) {
    QFuture<kube::ApiReply> reply = client.get(
        u"/apis/apps/v1/deployments"_s, QUrlQuery{{u"labelSelector"_s, u"app.kubernetes.io/part-of"_s}});
    if (!waitUntil([&] { return reply.isFinished(); }, std::chrono::seconds(30)) || !reply.result().ok())
        return -1;
    int available = 0;
    for (const QJsonValue& item : reply.result().json().value(u"items").toArray()) {
        const QJsonObject deployment = item.toObject();
        const QJsonObject status = deployment.value(u"status").toObject();
        if (status.value(u"observedGeneration").toInt() >=
                deployment[u"metadata"_s][u"generation"_s].toInt() &&
            status.value(u"availableReplicas").toInt() >= deployment[u"spec"_s][u"replicas"_s].toInt(1))
            ++available;
    }
    return available;
}

} // namespace

QJsonObject seedRealCluster(const FleetShape& shape, const QString& kubeconfig, const QString& context,
                            std::chrono::seconds timeout) {
    QJsonObject figures;
    QString error;
    auto client = seedingClient(kubeconfig, context, &error);
    if (!client)
        return {{u"error"_s,
                 u"the kubeconfig %1 has no usable context '%2': %3"_s.arg(kubeconfig, context, error)}};

    QFuture<kube::ApiReply> version = client->get(u"/version"_s);
    if (!waitUntil([&] { return version.isFinished(); }, timeout) || !version.result().ok())
        return {{u"error"_s, u"the real server of context '%1' does not answer /version"_s.arg(context)}};
    figures.insert(u"server_version"_s, version.result().json().value(u"gitVersion"));

    QElapsedTimer clock;
    clock.start();
    QList<Seeded> namespaces;
    QList<Seeded> objects;
    int deployments = 0;
    for (int a = 0; a < shape.apps; ++a) {
        const QString app = appName(0, a);
        namespaces.append(
            {infoOf(u"Namespace"_s), QJsonObject{{u"apiVersion"_s, u"v1"_s},
                                                 {u"kind"_s, u"Namespace"_s},
                                                 {u"metadata"_s, QJsonObject{{u"name"_s, app}}}}});
        for (int r = 0; r < shape.resources; ++r) {
            const kubeobj::Object desired = kubeobj::Object::fromTrustedJson(resourceObject(app, r));
            const kube::ResourceInfo info = infoOf(desired.key().kind);
            // The key the engine pairs it under: the application's destination namespace.
            ResourceKey key = desired.key();
            key.ns = app;
            objects.append({info, sync::appliedObject(desired, app, key, true, app)});
            deployments += info.kind == u"Deployment"_s ? 1 : 0;
        }
    }
    if (!applyAll(*client, namespaces, timeout, &error) || !applyAll(*client, objects, timeout, &error))
        return {{u"error"_s, error}};
    figures.insert(u"seed_objects"_s, int(objects.size()));
    figures.insert(u"seed_apply_s"_s, double(clock.elapsed()) / 1000.0);

    // The rollout (ReplicaSets, Pods made Ready by kwok) is waited for, not measured. When it does
    // not finish (too few kwok Nodes for the Pods), the figures say how far it got.
    clock.restart();
    int available = 0;
    while ((available = availableDeployments(*client)) < deployments &&
           clock.elapsed() < std::chrono::milliseconds(timeout).count()) {
        QEventLoop pause;
        QTimer::singleShot(500, &pause, &QEventLoop::quit); // poll interval of the rollout condition
        pause.exec();
    }
    figures.insert(u"seed_deployments"_s, deployments);
    figures.insert(u"seed_deployments_available"_s, available);
    figures.insert(u"seed_rollout_s"_s, double(clock.elapsed()) / 1000.0);
    return figures;
}

} // namespace driftdeck::bench
