// Questions about an application that do not change it: blame of its drift, the provenance of its
// desired lines, and its comparison at another revision. Asked from any thread: the state is read
// on the engine's thread, libgit2 runs on the Git worker, rendering and comparing on the pool.
#include "comparejob_p.h"
#include "engine_p.h"
#include "yaml/yamlcodec.h"

#include <QJsonArray>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace driftdeck::engine {

namespace {

// Runs `work` on the engine's thread and hands its future on.
template <typename T>
QFuture<Result<T>> onEngineThread(Engine* engine, std::function<QFuture<Result<T>>()> work) {
    auto promise = std::make_shared<QPromise<Result<T>>>();
    QFuture<Result<T>> future = promise->future();
    promise->start();
    QMetaObject::invokeMethod(
        engine,
        [engine, promise, work] {
            work().then(engine, [promise](const Result<T>& result) {
                promise->addResult(result);
                promise->finish();
            });
        },
        Qt::QueuedConnection);
    return future;
}

template <typename T>
QFuture<Result<T>> ready(Result<T> value) {
    return QtFuture::makeReadyFuture(std::move(value));
}

bool hasPointer(const QJsonObject& object, const QString& pointer) {
    QJsonValue value = object;
    const QStringList parts = pointer.split(u'/');
    for (qsizetype i = 1; i < parts.size(); ++i) {
        QString part = parts[i];
        part.replace(u"~1"_s, u"/"_s).replace(u"~0"_s, u"~"_s);
        if (value.isObject()) {
            if (!value.toObject().contains(part))
                return false;
            value = value.toObject().value(part);
        } else if (value.isArray()) {
            bool ok = false;
            const int index = part.toInt(&ok);
            if (!ok || index < 0 || index >= value.toArray().size())
                return false;
            value = value.toArray().at(index);
        } else {
            return false;
        }
    }
    return true;
}

Error notFound(const QString& application) {
    return Error::make(Error::Code::NotFound, u"no application '%1' in the workspace"_s.arg(application));
}

Error notCompared(const QString& application) {
    return Error::make(Error::Code::Unavailable,
                       u"application %1 has not been rendered yet"_s.arg(application),
                       u"wait for its status, then ask again"_s);
}

} // namespace

QFuture<Result<QList<FieldBlame>>> Engine::blame(const QString& application) {
    return onEngineThread<QList<FieldBlame>>(
        this, [this, application]() -> QFuture<Result<QList<FieldBlame>>> {
            const AppRuntime* app = d->appByName.value(application);
            if (!app)
                return ready<QList<FieldBlame>>(notFound(application));
            if (app->renderedCommit.isEmpty() || app->renderError)
                return ready<QList<FieldBlame>>(app->renderError ? *app->renderError
                                                                 : notCompared(application));
            struct Item {
                ResourceStatus status;
                kubeobj::Object desired;
                manifest::DesiredObject::Source source;
            };
            QList<Item> items;
            QHash<ResourceKey, qsizetype> desiredIndex;
            for (qsizetype i = 0; i < app->desired.size(); ++i)
                desiredIndex.insert(app->desired[i].key(), i);
            for (const ResourceStatus& resource : app->status.resources) {
                if (!resource.diff.hasDrift() || resource.diff.state == diff::ObjectDiff::State::Extra)
                    continue;
                Item item;
                item.status = resource;
                item.source = {resource.sourceFile, resource.sourceDocument, resource.sourceLine};
                // The desired object as rendered (its namespace may be filled in by placement).
                for (qsizetype i = 0; i < app->desired.size(); ++i) {
                    const ResourceKey& key = app->desired[i].key();
                    if (key.group == resource.key.group && key.kind == resource.key.kind &&
                        key.name == resource.key.name && (key.ns.isEmpty() || key.ns == resource.key.ns)) {
                        item.desired = app->desired[i];
                        item.source = i < app->sources.size() ? app->sources[i] : item.source;
                        break;
                    }
                }
                if (!item.desired.isNull())
                    items.append(item);
            }
            const QString commit = app->renderedCommit;
            const QString appPath = app->spec.path;
            return d->git
                ->run<QList<FieldBlame>>(
                    d->sourceOf(app->spec.repo),
                    [items, commit, appPath](git::GitRepository& repository,
                                             const git::RemoteOptions&) -> Result<QList<FieldBlame>> {
                        QHash<QString, provenance::BlamedFile> files;
                        QList<FieldBlame> out;
                        for (const Item& item : items) {
                            if (!files.contains(item.source.file)) {
                                Result<provenance::BlamedFile> read = provenance::blameSourceFile(
                                    repository, commit, appPath, item.source.file);
                                if (!read.ok())
                                    return read.error();
                                files.insert(item.source.file, *read);
                            }
                            const provenance::BlamedFile* file = &files[item.source.file];
                            Result<provenance::DesiredProvenance> lines =
                                provenance::DesiredProvenance::build(item.desired, item.source, *file);
                            if (!lines.ok())
                                return lines.error();
                            FieldBlame base;
                            base.key = item.status.key;
                            base.state = item.status.diff.state;
                            base.file = file->path;
                            if (item.status.diff.state == diff::ObjectDiff::State::Missing) {
                                base.provenance = lines->perObject();
                                out.append(base);
                                continue;
                            }
                            for (const diff::FieldChange& change : item.status.diff.changes) {
                                FieldBlame field = base;
                                field.pointer = change.pointer;
                                field.change = change.type;
                                field.provenance = lines->ofPointer(change.pointer);
                                out.append(field);
                            }
                        }
                        return out;
                    })
                .future;
        });
}

QFuture<Result<QList<provenance::LineProvenance>>> Engine::desiredLineProvenance(const QString& application,
                                                                                 const ResourceKey& key) {
    using Lines = QList<provenance::LineProvenance>;
    return onEngineThread<Lines>(this, [this, application, key]() -> QFuture<Result<Lines>> {
        const AppRuntime* app = d->appByName.value(application);
        if (!app)
            return ready<Lines>(notFound(application));
        if (app->renderedCommit.isEmpty() || app->renderError)
            return ready<Lines>(app->renderError ? *app->renderError : notCompared(application));
        kubeobj::Object shown;
        for (const ResourceStatus& resource : app->status.resources)
            if (resource.key == key)
                shown = resource.diff.desired;
        kubeobj::Object desired;
        manifest::DesiredObject::Source source;
        for (qsizetype i = 0; i < app->desired.size(); ++i) {
            const ResourceKey& own = app->desired[i].key();
            if (own.group == key.group && own.kind == key.kind && own.name == key.name &&
                (own.ns.isEmpty() || own.ns == key.ns)) {
                desired = app->desired[i];
                source = i < app->sources.size() ? app->sources[i] : source;
            }
        }
        if (desired.isNull() || shown.isNull())
            return ready<Lines>(
                Error::make(Error::Code::NotFound,
                            u"%1 is not a desired resource of %2"_s.arg(key.toString(), application)));
        const QString commit = app->renderedCommit;
        const QString appPath = app->spec.path;
        return d->git
            ->run<Lines>(d->sourceOf(app->spec.repo),
                         [shown, desired, source, commit, appPath](
                             git::GitRepository& repository, const git::RemoteOptions&) -> Result<Lines> {
                             Result<provenance::BlamedFile> file =
                                 provenance::blameSourceFile(repository, commit, appPath, source.file);
                             if (!file.ok())
                                 return file.error();
                             Result<provenance::DesiredProvenance> lines =
                                 provenance::DesiredProvenance::build(desired, source, *file);
                             if (!lines.ok())
                                 return lines.error();
                             // The diff shows the object as a sync would leave it: a line desired
                             // state does not set (a server default) has no commit.
                             Lines out;
                             for (const QString& pointer : yaml::canonicalLinePointers(shown.json()))
                                 out.append(hasPointer(desired.json(), pointer)
                                                ? lines->ofPointer(pointer)
                                                : provenance::LineProvenance());
                             return out;
                         })
            .future;
    });
}

QFuture<Result<Engine::Private::RevisionComparison>>
Engine::Private::compareRevision(const QString& application, const QString& revision) {
    using Comparison = RevisionComparison;
    AppRuntime* app = appByName.value(application);
    ClusterRuntime* cluster = app ? clusterByName.value(app->spec.cluster) : nullptr;
    if (!app || !cluster)
        return ready<Comparison>(notFound(application));
    if (!liveReady(cluster, app))
        return ready<Comparison>(
            Error::make(Error::Code::Unavailable,
                        u"the live state of cluster %1 is not listed yet"_s.arg(cluster->spec.name)));
    const QString directory =
        git::GitRepository::cacheDirectoryFor(sourceOf(app->spec.repo).url, settings.gitCacheRoot);
    // Everything the pool needs, copied: the live objects of the kinds the application uses and
    // the ones it tracks (a revision may name objects the current one does not).
    CompareInput input;
    input.options = diffOptionsOf(app->spec, settings.fieldManager);
    input.pairing.appName = app->spec.name;
    input.pairing.destinationNamespace = app->spec.ns.isEmpty() ? u"default"_s : app->spec.ns;
    const QHash<QString, bool> namespaced = cluster->namespaced;
    input.pairing.scopeOf = [namespaced](const QString& group, const QString& kind) -> std::optional<bool> {
        const auto it = namespaced.constFind(groupKind(group, kind));
        return it == namespaced.cend() ? std::nullopt : std::optional<bool>(*it);
    };
    QHash<ResourceKey, kubeobj::Object> live;
    for (const kube::LiveCache* cache : std::as_const(cluster->caches))
        for (auto it = cache->objects().cbegin(); it != cache->objects().cend(); ++it)
            live.insert(it.key(), it.value());
    const AppSpec spec = app->spec;
    return git->resolve(sourceOf(app->spec.repo), revision, app->spec.path)
        .future.then(&pool,
                     [directory, spec, renderCache = renderCache, stopping = stopping, input,
                      live](const Result<git::ResolvedRevision>& resolved) mutable -> Result<Comparison> {
                         if (!resolved.ok())
                             return resolved.error();
                         Result<git::GitRepository> repository = git::GitRepository::open(directory);
                         if (!repository.ok())
                             return repository.error();
                         Result<manifest::RevisionRender> render = manifest::renderAtRevision(
                             *repository, resolved->commitId, spec, *renderCache, stopping.get());
                         if (!render.ok())
                             return render.error();
                         Comparison comparison;
                         comparison.spec = spec;
                         QSet<ResourceKey> keys;
                         for (const manifest::DesiredObject& object : render->result.objects) {
                             Result<kubeobj::Object> parsed = kubeobj::Object::fromJson(object.object);
                             if (!parsed.ok())
                                 continue;
                             input.desired.append(*parsed);
                             input.sources.append(object.source);
                             comparison.desired.append(diff::placed(*parsed, input.pairing));
                             keys.insert(comparison.desired.last().key());
                         }
                         for (auto it = live.cbegin(); it != live.cend(); ++it)
                             if (keys.contains(it.key()) || diff::trackedBy(it.value()) == spec.name)
                                 input.live.append(it.value());
                         comparison.resources = compare(input).resources;
                         return comparison;
                     });
}

QFuture<Result<QList<ResourceStatus>>> Engine::compareAtRevision(const QString& application,
                                                                 const QString& revision) {
    using Statuses = QList<ResourceStatus>;
    return onEngineThread<Statuses>(this, [this, application, revision]() -> QFuture<Result<Statuses>> {
        return d->compareRevision(application, revision)
            .then([](const Result<Private::RevisionComparison>& comparison) -> Result<Statuses> {
                if (!comparison.ok())
                    return comparison.error();
                return comparison->resources;
            });
    });
}

QFuture<Result<sync::SyncPlan>>
Engine::planSyncAtRevision(const QString& application, const QString& revision, const SyncRequest& request) {
    using Plan = sync::SyncPlan;
    return onEngineThread<Plan>(this, [this, application, revision, request]() -> QFuture<Result<Plan>> {
        return d->compareRevision(application, revision)
            .then([request](const Result<Private::RevisionComparison>& comparison) -> Result<Plan> {
                if (!comparison.ok())
                    return comparison.error();
                QList<diff::ObjectDiff> diffs;
                for (const ResourceStatus& resource : comparison->resources)
                    diffs.append(resource.diff);
                return sync::planSync(diffs, comparison->desired, false,
                                      syncOptionsOf(comparison->spec, request));
            });
    });
}

} // namespace driftdeck::engine
