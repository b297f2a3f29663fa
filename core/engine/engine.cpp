#include "engine/engine.h"

#include "engine_p.h"
#include "kube/kubeconfig.h"

#include <QRandomGenerator>
#include <QThread>

using namespace Qt::StringLiterals;

namespace driftdeck::engine {

QString groupKind(const QString& group, const QString& kind) {
    return group + u'/' + kind;
}

Engine::Private::Private(Engine* engine)
    : q(engine) {}

Engine::Private::~Private() {
    stopping->store(true);
    git.reset(); // cancels queued jobs; running ones finish on their thread
    pool.clear();
    pool.waitForDone();
    for (ClusterRuntime* cluster : clusters) {
        qDeleteAll(cluster->caches);
        cluster->caches.clear();
        cluster->discovery.reset();
        cluster->client.reset();
        delete cluster;
    }
    qDeleteAll(apps);
}

Engine::Engine(workspace::Workspace workspace, EngineSettings settings, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this)) {
    qRegisterMetaType<Snapshot>();
    qRegisterMetaType<OperationProgress>();
    d->workspace = std::move(workspace);
    d->settings = std::move(settings);
    if (d->settings.workerThreads > 0)
        d->pool.setMaxThreadCount(d->settings.workerThreads);

    for (const ClusterSpec& spec : d->workspace.clusters) {
        auto* cluster = new ClusterRuntime;
        cluster->spec = spec;
        cluster->status.name = spec.name;
        cluster->status.context = spec.context;
        cluster->status.tags = spec.tags;
        d->clusters.append(cluster);
        d->clusterByName.insert(spec.name, cluster);
    }
    for (const AppSpec& spec : d->workspace.applications) {
        auto* app = new AppRuntime;
        app->spec = spec;
        app->status.name = spec.name;
        app->status.cluster = spec.cluster;
        app->status.repo = spec.repo;
        app->status.path = spec.path;
        app->status.targetRevision = spec.targetRevision;
        app->status.autoSync = spec.syncPolicy.automated;
        d->apps.append(app);
        d->appByName.insert(spec.name, app);
    }

    d->compareTimer = new QTimer(this);
    d->publishTimer = new QTimer(this);
    d->intervalTimer = new QTimer(this);
    d->compareTimer->setSingleShot(true);
    d->compareTimer->setInterval(d->settings.debounce);
    connect(d->compareTimer, &QTimer::timeout, this, [this] { d->compareDirty(); });
    d->compareNowTimer = new QTimer(this);
    d->compareNowTimer->setSingleShot(true);
    d->compareNowTimer->setInterval(0);
    connect(d->compareNowTimer, &QTimer::timeout, this, [this] { d->compareDirty(); });
    d->publishTimer->setSingleShot(true);
    d->publishTimer->setInterval(20);
    connect(d->publishTimer, &QTimer::timeout, this, [this] { d->publish(); });
    d->intervalTimer->setSingleShot(true);
    connect(d->intervalTimer, &QTimer::timeout, this, [this] {
        for (ClusterRuntime* cluster : std::as_const(d->clusters))
            d->rediscoverUnserved(cluster); // CRDs installed by someone else meanwhile
        d->reconcile({}, true);
        d->scheduleInterval();
    });
}

Engine::~Engine() = default;

const workspace::Workspace& Engine::workspace() const {
    return d->workspace;
}

void Engine::start() {
    if (d->git)
        return; // started already
    // Created here, on the engine's thread (the GUI moves the engine before starting it).
    d->git = std::make_unique<git::GitWorker>(d->settings.gitCacheRoot);
    // The kubeconfig is read once, here; a broken file makes every cluster Misconfigured with the
    // parser's message, and the applications on them report it, instead of stopping the engine.
    QStringList paths;
    if (!d->settings.kubeconfigPath.isEmpty())
        paths = d->settings.kubeconfigPath.split(u':', Qt::SkipEmptyParts);
    else
        paths = kube::defaultKubeconfigPaths();
    Result<kube::Kubeconfig> config = kube::loadKubeconfig(paths);
    for (ClusterRuntime* cluster : d->clusters)
        d->connectCluster(cluster, config.ok() ? &config.value() : nullptr,
                          config.ok() ? nullptr : &config.error());
    if (d->settings.historyPath == u"-") {
        d->appStatesLoaded = true;
        d->reconcile({}, true);
    } else {
        d->openHistory(); // reconciles once the pins of rolled-back applications are read
    }
    d->scheduleInterval();
    d->publishSoon();
}

Snapshot Engine::snapshot() const {
    std::lock_guard lock(d->snapshotMutex);
    return d->current;
}

void Engine::refresh(const QString& application) {
    d->reconcile(application, true);
}

void Engine::hardRefresh(const QString& application) {
    d->renderCache->clear();
    QSet<ClusterRuntime*> clusters;
    for (AppRuntime* app : std::as_const(d->apps)) {
        if (!application.isEmpty() && app->spec.name != application)
            continue;
        app->renderedCommit.clear(); // render again even at the same commit
        app->renderInput.clear();    // and compare again even when the render is the same,
        app->memos.clear();          // every object (a hard refresh trusts no earlier result)
        ++app->compareGeneration;    // a comparison still running would bring its memos back
        if (ClusterRuntime* cluster = d->clusterByName.value(app->spec.cluster))
            clusters.insert(cluster);
    }
    for (ClusterRuntime* cluster : std::as_const(clusters))
        d->restartCaches(cluster);
    d->reconcile(application, true);
}

void Engine::Private::scheduleInterval() {
    const qint64 base = settings.interval.count();
    if (base <= 0)
        return;
    const double spread = std::clamp(settings.jitter, 0.0, 0.5);
    const double factor = 1.0 + spread * (QRandomGenerator::global()->generateDouble() * 2.0 - 1.0);
    intervalTimer->start(std::chrono::milliseconds(qMax<qint64>(1000, qint64(double(base) * factor))));
}

// Fetch the repositories of the applications asked for (all when empty), then resolve each
// application's revision; what changed is rendered and compared again.
void Engine::Private::reconcile(const QString& application, bool fetch) {
    if (!appStatesLoaded)
        return; // the first reconcile follows the reading of the pins
    QHash<QString, QList<AppRuntime*>> byRepo;
    for (AppRuntime* app : std::as_const(apps)) {
        if (!application.isEmpty() && app->spec.name != application)
            continue;
        // Not marked dirty: a fetch that leaves an application's render input as it was does not
        // compare it again (onRendered marks what changed; live events mark the rest).
        byRepo[app->spec.repo].append(app);
    }
    for (auto it = byRepo.cbegin(); it != byRepo.cend(); ++it) {
        if (fetch)
            fetchRepository(it.key(), it.value());
        else
            for (AppRuntime* app : it.value())
                resolveApp(app);
    }
}

void Engine::Private::publishSoon() {
    if (!publishTimer->isActive())
        publishTimer->start();
}

void Engine::Private::publish() {
    auto next = std::make_shared<FleetSnapshot>();
    next->generation = ++generation;
    for (const ClusterRuntime* cluster : std::as_const(clusters)) {
        ClusterStatus status = cluster->status;
        status.watchedTypes = int(cluster->caches.size());
        int objects = 0;
        for (const kube::LiveCache* cache : cluster->caches)
            objects += int(cache->objects().size());
        status.liveObjects = objects;
        next->clusters.append(status);
    }
    for (const AppRuntime* app : std::as_const(apps)) {
        next->applicationIndex.insert(app->spec.name, next->applications.size());
        next->applications.append(app->status);
    }
    for (const Error& error : std::as_const(repoErrors))
        next->repositoryErrors.append(error);
    next->historyError = historyError;
    Snapshot published = next;
    {
        std::lock_guard lock(snapshotMutex);
        current = published;
    }
    Q_EMIT q->snapshotChanged(published);
}

} // namespace driftdeck::engine
