// The engine's side of each cluster: the connection, the discovery of the kinds desired state
// names, one live cache per kind (all namespaces), the index of tracked objects, and the
// connection state operators see. Everything here runs on the engine's thread and only routes:
// the requests themselves run on the cluster's own thread.
#include "diff/pairing.h"
#include "engine_p.h"
#include "kube/connectionsettings.h"
#include "kube/kubeconfig.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace driftdeck::engine {

namespace {

ConnectionState stateFor(const Error& error) {
    switch (error.code) {
    case Error::Code::Unauthorized:
    case Error::Code::Forbidden:
        return ConnectionState::Unauthorized;
    case Error::Code::Invalid:
    case Error::Code::NotFound:
        return ConnectionState::Misconfigured;
    default:
        return ConnectionState::Unreachable;
    }
}

// Kinds watched on every cluster, whatever desired state names: an object an application applied
// keeps its tracking id after Git stops naming its kind (or names nothing at all, an emptied path),
// and only a watched kind can show it as Extra — to the operator, and to a prune, whose
// empty-desired-state guard depends on seeing it. Argo CD watches every kind; these are the kinds
// applications commonly hold. A kind the cluster does not serve is noted and left alone.
const QList<std::pair<QString, QString>>& alwaysWatchedKinds() {
    static const QList<std::pair<QString, QString>> kinds{
        {u""_s, u"ConfigMap"_s},
        {u""_s, u"Secret"_s},
        {u""_s, u"Service"_s},
        {u""_s, u"ServiceAccount"_s},
        {u""_s, u"PersistentVolumeClaim"_s},
        {u"apps"_s, u"Deployment"_s},
        {u"apps"_s, u"StatefulSet"_s},
        {u"apps"_s, u"DaemonSet"_s},
        {u"batch"_s, u"Job"_s},
        {u"batch"_s, u"CronJob"_s},
        {u"networking.k8s.io"_s, u"Ingress"_s},
        {u"autoscaling"_s, u"HorizontalPodAutoscaler"_s},
        {u"rbac.authorization.k8s.io"_s, u"Role"_s},
        {u"rbac.authorization.k8s.io"_s, u"RoleBinding"_s},
    };
    return kinds;
}

} // namespace

void Engine::Private::connectCluster(ClusterRuntime* cluster, const kube::Kubeconfig* config,
                                     const Error* configError) {
    if (configError) {
        cluster->status.connection = ConnectionState::Misconfigured;
        cluster->status.error = configError->withCluster(cluster->spec.name);
        return;
    }
    Result<kube::ConnectionSettings> settings = kube::connectionSettings(*config, cluster->spec.context);
    if (!settings.ok()) {
        cluster->status.connection = ConnectionState::Misconfigured;
        cluster->status.error = settings.error().withCluster(cluster->spec.name);
        return;
    }
    cluster->status.server = settings->server.toString(QUrl::RemoveUserInfo);
    cluster->client = std::make_unique<kube::ClusterClient>(*settings);
    cluster->discovery =
        settings.ok() && !this->settings.discoveryCacheRoot.isEmpty()
            ? std::make_unique<kube::Discovery>(cluster->client.get(), this->settings.discoveryCacheRoot)
            : std::make_unique<kube::Discovery>(cluster->client.get());
    cluster->status.connection = ConnectionState::Connecting;
    startChildCaches(cluster);
}

// Starts watching every kind of `objects`, and the always-watched kinds, this cluster is not
// watching yet. The version is left to the server (its preferred one): a cache per group and kind
// serves every version desired state uses.
void Engine::Private::ensureWatched(ClusterRuntime* cluster, const QList<kubeobj::Object>& objects) {
    for (const auto& [group, kind] : alwaysWatchedKinds())
        ensureKindWatched(cluster, group, kind);
    for (const kubeobj::Object& object : objects)
        ensureKindWatched(cluster, object.key().group, object.key().kind);
}

// The kinds controllers make for an application's resources: watched on every cluster so the tree
// shows Deployment → ReplicaSet → Pod with the Pods' health.
void Engine::Private::startChildCaches(ClusterRuntime* cluster) {
    if (cluster->childCachesStarted || !cluster->client)
        return;
    cluster->childCachesStarted = true;
    ensureKindWatched(cluster, u"apps"_s, u"ReplicaSet"_s);
    ensureKindWatched(cluster, QString(), u"Pod"_s);
    ensureKindWatched(cluster, u"batch"_s, u"Job"_s);
}

void Engine::Private::ensureKindWatched(ClusterRuntime* cluster, const QString& group, const QString& kind) {
    if (!cluster->client)
        return;
    const QString gk = groupKind(group, kind);
    if (cluster->caches.contains(gk) || cluster->resolving.contains(gk) ||
        cluster->unservedKinds.contains(gk) || cluster->forbiddenKinds.contains(gk))
        return;
    cluster->resolving.insert(gk);
    const QString clusterName = cluster->spec.name;
    cluster->discovery->resolve(GroupVersionKind{group, QString(), kind})
        .then(q, [this, cluster, gk, clusterName](const Result<kube::ResourceInfo>& info) {
            cluster->resolving.remove(gk);
            if (info.ok()) {
                cluster->namespaced.insert(gk, info->namespaced);
                if (!cluster->caches.contains(gk))
                    startCache(cluster, *info);
            } else if (info.error().code == Error::Code::NotFound) {
                cluster->unservedKinds.insert(gk, info.error().message);
            } else if (info.error().code == Error::Code::Forbidden) {
                cluster->forbiddenKinds.insert(gk, info.error().withCluster(clusterName));
            } else {
                onCacheError(cluster, info.error().withCluster(clusterName));
            }
            for (AppRuntime* app : std::as_const(apps))
                if (app->spec.cluster == clusterName)
                    markDirty(app);
            publishSoon();
        });
}

// Keeps the owner index current: which live objects each uid owns (the controller reference,
// else the first owner reference), and which application a changed child belongs to.
void Engine::Private::indexChildren(ClusterRuntime* cluster, const QList<kube::LiveEvent>& events,
                                    QSet<QString>* touchedApps) {
    for (const kube::LiveEvent& event : events) {
        const ResourceKey& key = event.object.key();
        const QJsonArray owners =
            event.object.json().value(u"metadata").toObject().value(u"ownerReferences").toArray();
        QString ownerUid;
        for (const QJsonValue& owner : owners) {
            const QJsonObject reference = owner.toObject();
            if (ownerUid.isEmpty() || reference.value(u"controller").toBool())
                ownerUid = reference.value(u"uid").toString();
        }
        const QString previous = cluster->ownerOfChild.value(key);
        if (event.type == kube::LiveEvent::Type::Deleted || previous != ownerUid) {
            if (!previous.isEmpty()) {
                auto it = cluster->childrenByOwner.find(previous);
                if (it != cluster->childrenByOwner.end()) {
                    it->remove(key);
                    if (it->isEmpty())
                        cluster->childrenByOwner.erase(it);
                }
                cluster->ownerOfChild.remove(key);
            }
        }
        if (event.type != kube::LiveEvent::Type::Deleted && !ownerUid.isEmpty()) {
            cluster->childrenByOwner[ownerUid].insert(key);
            cluster->ownerOfChild.insert(key, ownerUid);
        }
        const QString app = cluster->appOfUid.value(ownerUid.isEmpty() ? event.object.uid() : ownerUid);
        if (!app.isEmpty())
            touchedApps->insert(app);
        if (event.type == kube::LiveEvent::Type::Deleted)
            cluster->appOfUid.remove(event.object.uid());
    }
}

void Engine::Private::startCache(ClusterRuntime* cluster, const kube::ResourceInfo& info) {
    const QString gk = groupKind(info.group, info.kind);
    auto* cache = new kube::LiveCache(cluster->client.get(), info, QString(), q);
    cluster->caches.insert(gk, cache);
    QObject::connect(cache, &kube::LiveCache::eventsReceived, q,
                     [this, cluster](const QList<kube::LiveEvent>& events) { onEvents(cluster, events); });
    QObject::connect(cache, &kube::LiveCache::synced, q, [this, cluster] { onCacheSynced(cluster); });
    QObject::connect(cache, &kube::LiveCache::readSucceeded, q, [this, cluster, gk] {
        // The cache keeps retrying a refused list: once it lists, the kind was granted (RBAC fixed
        // while we ran) and the applications that reported it compare again.
        if (cluster->forbiddenKinds.remove(gk) == 0)
            return;
        for (AppRuntime* app : std::as_const(apps))
            if (app->spec.cluster == cluster->spec.name)
                markDirty(app);
        publishSoon();
    });
    QObject::connect(cache, &kube::LiveCache::errorOccurred, q, [this, cluster, gk](const Error& error) {
        // A list refused for this kind alone (RBAC) is the kind's problem, not the cluster's: the
        // applications that need it report it, the others go on.
        if (error.code == Error::Code::Forbidden) {
            cluster->forbiddenKinds.insert(gk, error.withCluster(cluster->spec.name));
            for (AppRuntime* app : std::as_const(apps))
                if (app->spec.cluster == cluster->spec.name)
                    markDirty(app);
            publishSoon();
            return;
        }
        onCacheError(cluster, error.withCluster(cluster->spec.name));
    });
    cache->start();
}

void Engine::Private::onEvents(ClusterRuntime* cluster, const QList<kube::LiveEvent>& events) {
    if (cluster->status.error) {
        cluster->status.error.reset();
        updateConnection(cluster);
    }
    QSet<QString> touchedApps;
    QSet<ResourceKey> touchedKeys;
    for (const kube::LiveEvent& event : events) {
        const ResourceKey& key = event.object.key();
        touchedKeys.insert(key);
        const QString owner = diff::trackedBy(event.object);
        if (event.type == kube::LiveEvent::Type::Deleted) {
            if (!owner.isEmpty())
                cluster->tracked[owner].remove(key);
        } else if (!owner.isEmpty()) {
            cluster->tracked[owner].insert(key);
        }
        if (!owner.isEmpty())
            touchedApps.insert(owner);
    }
    indexChildren(cluster, events, &touchedApps);
    for (AppRuntime* app : std::as_const(apps)) {
        if (app->spec.cluster != cluster->spec.name)
            continue;
        bool touched = touchedApps.contains(app->spec.name);
        for (auto it = touchedKeys.cbegin(); !touched && it != touchedKeys.cend(); ++it)
            touched = app->desiredKeys.contains(*it);
        if (touched)
            markDirty(app, true); // live events come in bursts: debounced
    }
    publishSoon();
}

void Engine::Private::onCacheSynced(ClusterRuntime* cluster) {
    updateConnection(cluster);
    for (AppRuntime* app : std::as_const(apps))
        if (app->spec.cluster == cluster->spec.name)
            markDirty(app);
    publishSoon();
}

void Engine::Private::onCacheError(ClusterRuntime* cluster, const Error& error) {
    cluster->status.error = error;
    updateConnection(cluster);
    scheduleClusterRetry(cluster);
    for (AppRuntime* app : std::as_const(apps))
        if (app->spec.cluster == cluster->spec.name)
            markDirty(app);
    publishSoon();
}

void Engine::Private::updateConnection(ClusterRuntime* cluster) {
    if (!cluster->client) {
        cluster->status.connection = ConnectionState::Misconfigured;
        return;
    }
    if (cluster->status.error && cluster->status.error->code != Error::Code::Forbidden) {
        cluster->status.connection = stateFor(*cluster->status.error);
        return;
    }
    bool allSynced = true;
    for (const kube::LiveCache* cache : std::as_const(cluster->caches))
        allSynced = allSynced && cache->isSynced();
    cluster->status.connection =
        allSynced && cluster->resolving.isEmpty() ? ConnectionState::Connected : ConnectionState::Connecting;
}

// While a cluster fails, ask it for /version with a growing delay (1 s doubling to 30 s); the first
// answer clears the error and resumes what failed (discovery of kinds; the live caches retry on
// their own).
void Engine::Private::scheduleClusterRetry(ClusterRuntime* cluster) {
    if (cluster->retryScheduled || !cluster->client)
        return;
    cluster->retryScheduled = true;
    const int delay = cluster->retryDelayMs;
    cluster->retryDelayMs = qMin(cluster->retryDelayMs * 2, 30000);
    QTimer::singleShot(delay, q, [this, cluster] {
        cluster->retryScheduled = false;
        cluster->client->get(u"/version"_s).then(q, [this, cluster](const kube::ApiReply& reply) {
            if (!reply.ok()) {
                cluster->status.error = reply.error->withCluster(cluster->spec.name);
                updateConnection(cluster);
                scheduleClusterRetry(cluster);
                publishSoon();
                return;
            }
            cluster->retryDelayMs = 1000;
            cluster->status.error.reset();
            cluster->childCachesStarted = false; // kinds whose discovery failed are asked again
            startChildCaches(cluster);
            for (AppRuntime* app : std::as_const(apps))
                if (app->spec.cluster == cluster->spec.name) {
                    ensureWatched(cluster, app->desired);
                    markDirty(app);
                }
            updateConnection(cluster);
            publishSoon();
        });
    });
}

void Engine::Private::restartCaches(ClusterRuntime* cluster) {
    qDeleteAll(cluster->caches);
    cluster->caches.clear();
    cluster->tracked.clear();
    cluster->childrenByOwner.clear();
    cluster->ownerOfChild.clear();
    cluster->childCachesStarted = false;
    cluster->unservedKinds.clear();
    cluster->forbiddenKinds.clear();
    startChildCaches(cluster);
    for (AppRuntime* app : std::as_const(apps))
        if (app->spec.cluster == cluster->spec.name)
            ensureWatched(cluster, app->desired);
    updateConnection(cluster);
}

// Kinds found unserved are asked for again: a sync may just have created their
// CustomResourceDefinition (an application shipping an operator and its resources), and until
// its kind is watched every such resource would look Missing for ever.
void Engine::Private::rediscoverUnserved(ClusterRuntime* cluster) {
    // A kind whose discovery was refused has no cache retrying it: ask again too (RBAC may have been
    // granted meanwhile). A refused kind with a cache clears itself when that cache lists.
    bool refusedWithoutCache = false;
    for (auto it = cluster->forbiddenKinds.begin(); it != cluster->forbiddenKinds.end();) {
        if (!cluster->caches.contains(it.key())) {
            it = cluster->forbiddenKinds.erase(it);
            refusedWithoutCache = true;
        } else {
            ++it;
        }
    }
    if (cluster->unservedKinds.isEmpty() && !refusedWithoutCache)
        return;
    cluster->unservedKinds.clear();
    for (AppRuntime* app : std::as_const(apps))
        if (app->spec.cluster == cluster->spec.name)
            ensureWatched(cluster, app->desired);
}

// True when every kind the application's desired state names, and every always-watched kind, is
// listed (or known not to be served).
bool Engine::Private::liveReady(const ClusterRuntime* cluster, const AppRuntime* app) const {
    if (!cluster->client)
        return false;
    QStringList kinds;
    for (const auto& [group, kind] : alwaysWatchedKinds()) // tracked objects of other kinds too
        kinds.append(groupKind(group, kind));
    for (const kubeobj::Object& object : app->desired)
        kinds.append(groupKind(object.key().group, object.key().kind));
    for (const QString& gk : std::as_const(kinds)) {
        if (cluster->unservedKinds.contains(gk) || cluster->forbiddenKinds.contains(gk))
            continue;
        const kube::LiveCache* cache = cluster->caches.value(gk);
        if (!cache || !cache->isSynced())
            return false;
    }
    return true;
}

} // namespace driftdeck::engine
