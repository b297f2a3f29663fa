// Git → desired state → comparison, per application. The engine's thread decides what must be
// done again (only what changed: the commit or tree, the renderer settings, the live objects);
// the Git worker fetches and resolves, the pool renders and compares.
#include "comparejob_p.h"
#include "diff/pairing.h"
#include "engine_p.h"
#include "git/gitrepository.h"
#include "manifest/revisionrender.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace driftdeck::engine {

git::RepositorySource Engine::Private::sourceOf(const QString& repoName) const {
    git::RepositorySource source;
    if (const RepoSpec* repo = workspace.repository(repoName)) {
        source.url = repo->url;
        source.credentials = git::credentialRefOf(repo->credentials);
    }
    return source;
}

void Engine::Private::fetchRepository(const QString& repoName, const QList<AppRuntime*>& repoApps) {
    git->fetch(sourceOf(repoName)).future.then(q, [this, repoName, repoApps](const Status& fetched) {
        if (!fetched.ok()) {
            Error error = fetched.error();
            error.message = u"repository %1: %2"_s.arg(repoName, error.message);
            repoErrors.insert(repoName, error);
            for (AppRuntime* app : repoApps)
                if (app->renderedCommit.isEmpty())
                    setAppError(app, error);
            publishSoon();
            // A cached clone may still answer: compare with what it has.
            if (!QFileInfo::exists(
                    git::GitRepository::cacheDirectoryFor(sourceOf(repoName).url, settings.gitCacheRoot)))
                return;
        } else {
            repoErrors.remove(repoName);
        }
        for (AppRuntime* app : repoApps)
            resolveApp(app);
    });
}

void Engine::Private::resolveApp(AppRuntime* app) {
    if (app->resolving) {
        // The running resolution may be of the revision before a rollback pinned another one.
        app->resolveAgain = true;
        return;
    }
    const RepoSpec* repo = workspace.repository(app->spec.repo);
    QString revision =
        !app->status.pinnedRevision.isEmpty() ? app->status.pinnedRevision : app->spec.targetRevision;
    if (revision.isEmpty() || revision == u"HEAD")
        revision = repo && !repo->branch.isEmpty() ? repo->branch : u"HEAD"_s;
    app->resolving = true;
    git->resolve(sourceOf(app->spec.repo), revision, app->spec.path)
        .future.then(q, [this, app](const Result<git::ResolvedRevision>& resolved) {
            app->resolving = false;
            if (app->resolveAgain) {
                app->resolveAgain = false;
                resolveApp(app);
                return;
            }
            if (!resolved.ok()) {
                setAppError(app, resolved.error());
                publishSoon();
                return;
            }
            app->commitId = resolved->commitId;
            app->treeId = resolved->treeId;
            renderApp(app);
        });
}

void Engine::Private::renderApp(AppRuntime* app) {
    if (app->rendering) {
        app->renderAgain = true;
        return;
    }
    if (app->renderedCommit == app->commitId && !app->renderError) {
        // Same commit, same settings: the inputs of the render did not change.
        return;
    }
    app->rendering = true;
    const QString directory =
        git::GitRepository::cacheDirectoryFor(sourceOf(app->spec.repo).url, settings.gitCacheRoot);
    const QString commitId = app->commitId;
    const AppSpec spec = app->spec;
    auto cache = renderCache;
    auto cancelled = stopping;
    QtConcurrent::run(&pool,
                      [directory, commitId, spec, cache, cancelled]() -> Result<manifest::RevisionRender> {
                          Result<git::GitRepository> repository = git::GitRepository::open(directory);
                          if (!repository.ok())
                              return repository.error();
                          return manifest::renderAtRevision(*repository, commitId, spec, *cache,
                                                            cancelled.get());
                      })
        .then(q, [this, app, commitId](Result<manifest::RevisionRender> render) {
            onRendered(app, commitId, std::move(render));
        });
}

void Engine::Private::onRendered(AppRuntime* app, const QString& commitId,
                                 Result<manifest::RevisionRender> render) {
    app->rendering = false;
    if (!render.ok()) {
        app->renderError = render.error().withApplication(app->spec.name);
        app->renderedCommit = commitId;
        setAppError(app, *app->renderError);
        if (app->waitingOperation != 0) {
            // A rollback to a revision that does not render: nothing is synced, nothing pruned.
            refuseRollback(app, app->waitingOperation, *app->renderError);
        }
        publishSoon();
    } else {
        QList<kubeobj::Object> desired;
        QList<manifest::DesiredObject::Source> sources;
        QStringList warnings = render->result.warnings;
        for (const manifest::DesiredObject& object : std::as_const(render->result.objects)) {
            Result<kubeobj::Object> parsed = kubeobj::Object::fromJson(object.object);
            if (!parsed.ok()) {
                warnings.append(u"%1: %2"_s.arg(object.source.file, parsed.error().message));
                continue;
            }
            desired.append(*parsed);
            sources.append(object.source);
        }
        const bool changed = render->cacheInput != app->renderInput || app->renderError ||
                             app->status.sync == SyncStatus::Unknown || app->status.sync == SyncStatus::Error;
        app->renderError.reset();
        app->renderedCommit = commitId;
        // Equal render input at a newer commit: the comparison stands for the newer commit too.
        if (!changed && app->status.commitId != commitId) {
            app->status.commitId = commitId;
            publishSoon();
        }
        app->renderInput = render->cacheInput;
        app->desired = std::move(desired);
        app->sources = std::move(sources);
        app->renderWarnings = warnings;
        if (ClusterRuntime* cluster = clusterByName.value(app->spec.cluster))
            ensureWatched(cluster, app->desired);
        placeDesired(app);
        // A waiting rollback starts from a comparison at its commit: when the render input equals
        // the previous one, no comparison would follow by itself (the one made meanwhile was
        // of the previous commit).
        if (changed || app->waitingOperation != 0)
            markDirty(app);
    }
    if (app->renderAgain) {
        app->renderAgain = false;
        renderApp(app);
    }
}

// The keys of desired state in its destination: what live events are routed by.
void Engine::Private::placeDesired(AppRuntime* app) {
    const ClusterRuntime* cluster = clusterByName.value(app->spec.cluster);
    diff::PairingOptions options;
    options.appName = app->spec.name;
    options.destinationNamespace = app->spec.ns.isEmpty() ? u"default"_s : app->spec.ns;
    if (cluster) {
        const QHash<QString, bool> namespaced = cluster->namespaced;
        options.scopeOf = [namespaced](const QString& group, const QString& kind) -> std::optional<bool> {
            const auto it = namespaced.constFind(groupKind(group, kind));
            return it == namespaced.cend() ? std::nullopt : std::optional<bool>(*it);
        };
    }
    app->desiredKeys.clear();
    for (const kubeobj::Object& object : std::as_const(app->desired))
        app->desiredKeys.insert(diff::placed(object, options).key());
}

void Engine::Private::markDirty(AppRuntime* app, bool liveEvent) {
    app->dirty = true;
    QTimer* timer = liveEvent ? compareTimer : compareNowTimer;
    if (!timer->isActive())
        timer->start();
}

void Engine::Private::setAppError(AppRuntime* app, const Error& error) {
    app->status.sync = SyncStatus::Error;
    app->status.error = error.context.application.isEmpty() ? error.withApplication(app->spec.name) : error;
    app->status.comparedAt = QDateTime::currentDateTimeUtc();
}

void Engine::Private::compareDirty() {
    for (AppRuntime* app : std::as_const(apps)) {
        if (!app->dirty || app->comparing)
            continue;
        if (app->renderError) {
            app->dirty = false;
            continue;
        }
        if (app->renderedCommit.isEmpty())
            continue; // compared once rendered
        ClusterRuntime* cluster = clusterByName.value(app->spec.cluster);
        if (!cluster) {
            setAppError(app, Error::make(Error::Code::Invalid,
                                         u"cluster %1 is not in the workspace"_s.arg(app->spec.cluster)));
            app->dirty = false;
            continue;
        }
        if (!liveReady(cluster, app)) {
            if (cluster->status.error)
                setAppError(app, *cluster->status.error);
            continue; // compared when the caches are listed
        }
        compareApp(app);
    }
    publishSoon();
}

void Engine::Private::compareApp(AppRuntime* app) {
    ClusterRuntime* cluster = clusterByName.value(app->spec.cluster);
    placeDesired(app);
    // A kind the application needs but may not list: comparing without it would call every such
    // object Missing, which is false; the application reports the refusal instead.
    for (const kubeobj::Object& object : std::as_const(app->desired)) {
        const auto forbidden =
            cluster->forbiddenKinds.constFind(groupKind(object.key().group, object.key().kind));
        if (forbidden != cluster->forbiddenKinds.cend()) {
            setAppError(app, *forbidden);
            app->dirty = false;
            return;
        }
    }
    CompareInput input;
    input.desired = app->desired;
    input.sources = app->sources;
    input.options = diffOptionsOf(app->spec, settings.fieldManager);
    input.memos = app->memos;
    input.previous = app->status.resources;
    input.pairing.appName = app->spec.name;
    input.pairing.destinationNamespace = app->spec.ns.isEmpty() ? u"default"_s : app->spec.ns;
    const QHash<QString, bool> namespaced = cluster->namespaced;
    input.pairing.scopeOf = [namespaced](const QString& group, const QString& kind) -> std::optional<bool> {
        const auto it = namespaced.constFind(groupKind(group, kind));
        return it == namespaced.cend() ? std::nullopt : std::optional<bool>(*it);
    };
    QSet<ResourceKey> liveKeys = app->desiredKeys;
    liveKeys.unite(cluster->tracked.value(app->spec.name));
    for (const ResourceKey& key : std::as_const(liveKeys)) {
        const kube::LiveCache* cache = cluster->caches.value(groupKind(key.group, key.kind));
        if (!cache)
            continue;
        if (kubeobj::Object live = cache->objects().value(key); !live.isNull())
            input.live.append(live);
    }
    // The children of the application's live objects, breadth first through the owner index
    // (bounded: a runaway controller must not make one application unbounded).
    constexpr qsizetype kMaxChildren = 5000;
    QList<QString> frontier;
    for (const kubeobj::Object& live : std::as_const(input.live)) {
        frontier.append(live.uid());
        cluster->appOfUid.insert(live.uid(), app->spec.name);
    }
    for (qsizetype i = 0; i < frontier.size() && input.children.size() < kMaxChildren; ++i) {
        const auto owned = cluster->childrenByOwner.constFind(frontier[i]);
        if (owned == cluster->childrenByOwner.cend())
            continue;
        for (const ResourceKey& key : *owned) {
            const kube::LiveCache* cache = cluster->caches.value(groupKind(key.group, key.kind));
            const kubeobj::Object child = cache ? cache->objects().value(key) : kubeobj::Object();
            if (child.isNull() || liveKeys.contains(key))
                continue;
            input.children.append(child);
            frontier.append(child.uid());
            cluster->appOfUid.insert(child.uid(), app->spec.name);
        }
    }
    QStringList warnings = app->renderWarnings;
    for (const kubeobj::Object& object : std::as_const(app->desired)) {
        const QString gk = groupKind(object.key().group, object.key().kind);
        if (const auto unserved = cluster->unservedKinds.constFind(gk);
            unserved != cluster->unservedKinds.cend()) {
            const QString warning = u"%1 is not served by cluster %2 (is its CRD installed?)"_s.arg(
                object.key().kind, cluster->spec.name);
            if (!warnings.contains(warning))
                warnings.append(warning);
        }
    }

    app->dirty = false;
    app->comparing = true;
    const quint64 generation = ++app->compareGeneration;
    const QString commitId = app->renderedCommit;
    QtConcurrent::run(&pool, [input = std::move(input)] {
        return compare(input);
    }).then(q, [this, app, generation, commitId, warnings](CompareOutput out) {
        app->comparing = false;
        if (generation == app->compareGeneration) {
            app->status.comparedObjects += quint64(out.resources.size() - out.reused);
            // Unchanged resources and children keep the lists the last snapshot shares.
            if (!out.resourcesUnchanged)
                app->status.resources = std::move(out.resources);
            if (out.children != app->status.children)
                app->status.children = std::move(out.children);
            app->memos = std::move(out.memos);
            app->status.sync = out.sync;
            app->status.health = out.health;
            app->status.warnings = warnings + out.warnings;
            app->status.error.reset();
            app->status.commitId = commitId;
            app->status.comparedAt = QDateTime::currentDateTimeUtc();
            ++app->status.compareCount;
            publishSoon();
            onCompared(app);
        }
        if (app->dirty && !compareTimer->isActive())
            compareTimer->start();
    });
}

} // namespace driftdeck::engine
