#include "demo/demoseeding_p.h"
#include "diff/pairing.h"
#include "git/gitrepository.h"
#include "kubesim/admission.h"
#include "kubesim/objectstore.h"
#include "kubesim/simulatedcluster.h"
#include "manifest/rendercache.h"
#include "manifest/revisionrender.h"

#include <QJsonArray>
#include <QtConcurrent/QtConcurrentMap>

#include <functional>

namespace driftdeck::demo::detail {

using namespace Qt::StringLiterals;
using kubesim::ObjectStore;
using kubesim::ResourceType;
using kubesim::WriteOptions;

namespace {

const QString kDriftdeck = u"driftdeck"_s;
const QString kTrackingAnnotation = u"driftdeck.io/tracking-id"_s;

// Everything below runs inside SimulatedCluster::withStore, on the cluster's thread: a failure is
// kept as text and turned into an Error by the caller.
struct StoreOps {
    ObjectStore& store;
    QString failure;

    std::optional<ResourceType> typeOf(const QJsonObject& object) {
        auto type = store.registry().findByApiVersion(object.value("apiVersion"_L1).toString(),
                                                      object.value("kind"_L1).toString());
        if (!type)
            fail(u"kind %1 is not served"_s.arg(object.value("kind"_L1).toString()));
        return type;
    }
    void fail(const QString& why) {
        if (failure.isEmpty())
            failure = why;
    }
    bool check(const kubesim::StoreResult& result, const QString& what) {
        if (const auto* error = std::get_if<kubesim::ApiError>(&result)) {
            fail(u"%1: %2"_s.arg(what, error->message));
            return false;
        }
        return true;
    }
    // A server-side apply with `manager`, through the same semantics as PATCH apply-patch+yaml.
    void apply(const QJsonObject& object, const QString& manager) {
        const auto type = typeOf(object);
        if (!type)
            return;
        const QJsonObject meta = object.value("metadata"_L1).toObject();
        const auto live =
            store.get(*type, meta.value("namespace"_L1).toString(), meta.value("name"_L1).toString());
        auto merged = kubesim::admission::apply(*type, live.value_or(QJsonObject()), object, manager, true);
        if (const auto* error = std::get_if<kubesim::ApiError>(&merged)) {
            fail(u"apply %1: %2"_s.arg(meta.value("name"_L1).toString(), error->message));
            return;
        }
        WriteOptions options;
        options.fieldManager = manager;
        options.operation = u"Apply"_s;
        const QJsonObject result = std::get<QJsonObject>(merged);
        check(live ? store.update(*type, result, options) : store.create(*type, result, options),
              u"apply "_s + meta.value("name"_L1).toString());
    }
    void createNamespace(const QString& name) {
        const QJsonObject ns{{"apiVersion"_L1, u"v1"_s},
                             {"kind"_L1, u"Namespace"_s},
                             {"metadata"_L1, QJsonObject{{"name"_L1, name}}}};
        const auto type = typeOf(ns);
        if (!type || store.get(*type, {}, name))
            return;
        WriteOptions options;
        options.fieldManager = kDriftdeck;
        options.operation = u"Update"_s;
        check(store.create(*type, ns, options), u"create namespace "_s + name);
    }
    // A non-apply write (kubectl edit, a controller's update) of the live object changed by `edit`.
    void update(const QString& apiVersion, const QString& kind, const QString& ns, const QString& name,
                const QString& manager, const std::function<void(QJsonObject&)>& edit,
                const QString& subresource = {}) {
        const auto type = store.registry().findByApiVersion(apiVersion, kind);
        const auto live = type ? store.get(*type, ns, name) : std::nullopt;
        if (!live) {
            fail(u"%1 %2/%3 is not there to edit"_s.arg(kind, ns, name));
            return;
        }
        QJsonObject changed = *live;
        edit(changed);
        WriteOptions options;
        options.fieldManager = manager;
        options.subresource = subresource;
        check(store.update(*type, changed, options), u"edit %1 %2/%3"_s.arg(kind, ns, name));
    }
    void remove(const QString& apiVersion, const QString& kind, const QString& ns, const QString& name) {
        const auto type = store.registry().findByApiVersion(apiVersion, kind);
        if (!type) {
            fail(u"kind %1 is not served"_s.arg(kind));
            return;
        }
        check(store.remove(*type, ns, name), u"delete %1 %2/%3"_s.arg(kind, ns, name));
    }
};

// Runs `ops` on the named cluster's store; an Error names the cluster and what failed.
Status onCluster(const Clusters& clusters, const QString& name, const std::function<void(StoreOps&)>& ops) {
    kubesim::SimulatedCluster* cluster = clusters.value(name);
    if (!cluster || !cluster->running())
        return Error::make(Error::Code::Internal, u"demo cluster %1 is not running"_s.arg(name));
    QString failure;
    cluster->withStore([&](ObjectStore& store) {
        StoreOps context{store, {}};
        ops(context);
        failure = context.failure;
    });
    if (!failure.isEmpty())
        return Error::make(Error::Code::Internal, u"cannot seed demo cluster %1: %2"_s.arg(name, failure),
                           u"start the demo again with --demo-reset"_s);
    return success();
}

QJsonObject withTracking(const QJsonObject& object, const QString& appName) {
    QJsonObject json = object;
    QJsonObject meta = json.value("metadata"_L1).toObject();
    QJsonObject annotations = meta.value("annotations"_L1).toObject();
    annotations.insert(kTrackingAnnotation, diff::trackingId(appName, ResourceKey::fromObject(object)));
    meta.insert("annotations"_L1, annotations);
    json.insert("metadata"_L1, meta);
    return json;
}

// Changes the first container's image the way `kubectl edit` would leave it.
void editImage(QJsonObject& deployment, const QString& suffix) {
    QJsonObject spec = deployment.value("spec"_L1).toObject();
    QJsonObject tmpl = spec.value("template"_L1).toObject();
    QJsonObject podSpec = tmpl.value("spec"_L1).toObject();
    QJsonArray containers = podSpec.value("containers"_L1).toArray();
    QJsonObject first = containers.at(0).toObject();
    first.insert("image"_L1, QString(first.value("image"_L1).toString() + suffix));
    containers.replace(0, first);
    podSpec.insert("containers"_L1, containers);
    tmpl.insert("spec"_L1, podSpec);
    spec.insert("template"_L1, tmpl);
    deployment.insert("spec"_L1, spec);
}

const AppDesired* findApp(const QList<AppDesired>& desired, const QString& name) {
    for (const AppDesired& app : desired)
        if (app.app.name == name)
            return &app;
    return nullptr;
}

// kubesim's convention (kubesim/controller.h): an image containing "crashloop" crash-loops.
bool asksForCrashLoop(const AppDesired& app, const ResourceKey& workload) {
    for (const kubeobj::Object& object : app.objects) {
        if (object.key() != workload)
            continue;
        const QJsonArray containers = object.json()
                                          .value("spec"_L1)
                                          .toObject()
                                          .value("template"_L1)
                                          .toObject()
                                          .value("spec"_L1)
                                          .toObject()
                                          .value("containers"_L1)
                                          .toArray();
        for (const QJsonValue& container : containers)
            if (container.toObject().value("image"_L1).toString().contains("crashloop"_L1))
                return true;
    }
    return false;
}

ResourceKey key(const QString& group, const QString& kind, const QString& ns, const QString& name) {
    return ResourceKey{group, kind, ns, name};
}

} // namespace

namespace {

// One application, with a repository handle of its own: GitRepository is thread-confined.
Result<AppDesired> renderApplication(const QString& repositoryPath, const AppSpec& app) {
    Result<git::GitRepository> repo = git::GitRepository::open(repositoryPath);
    if (!repo)
        return repo.error().withApplication(app.name);
    manifest::RenderCache cache(8);
    const QString revision = app.targetRevision.isEmpty() ? u"main"_s : app.targetRevision;
    Result<manifest::RevisionRender> rendered = manifest::renderAtRevision(*repo, revision, app, cache);
    if (!rendered)
        return rendered.error().withApplication(app.name);
    diff::PairingOptions placement;
    placement.appName = app.name;
    placement.destinationNamespace = app.ns;
    AppDesired entry{app, {}};
    for (const manifest::DesiredObject& object : rendered->result.objects) {
        Result<kubeobj::Object> parsed = kubeobj::Object::fromJson(object.object);
        if (!parsed)
            return parsed.error().withApplication(app.name);
        const kubeobj::Object where = diff::placed(*parsed, placement);
        entry.objects.append(where.withJson(withTracking(where.json(), app.name)));
    }
    return entry;
}

} // namespace

Result<QList<AppDesired>> renderApplications(const QString& repositoryPath, const QList<AppSpec>& apps) {
    // In parallel: most of the demo's start-up time is kustomize and helm runs.
    const QList<Result<AppDesired>> results = QtConcurrent::blockingMapped(
        apps, [&repositoryPath](const AppSpec& app) { return renderApplication(repositoryPath, app); });
    QList<AppDesired> out;
    for (const Result<AppDesired>& result : results) {
        if (!result)
            return result.error();
        out.append(*result);
    }
    return out;
}

Result<SeededDrift> seedSelfHealDrift(const Clusters& clusters) {
    SeededDrift drift{
        SeededDrift::Kind::SelfHeal,
        u"prod"_s,
        u"status-page"_s,
        key({}, u"ConfigMap"_s, u"status-page"_s, u"status-page-content"_s),
        u"kubectl-edit"_s,
        u"someone removed the maintenance banner by hand; automated sync with self-heal puts it "
        u"back"_s};
    Status done = onCluster(clusters, drift.cluster, [&](StoreOps& ops) {
        ops.update(u"v1"_s, drift.object.kind, drift.object.ns, drift.object.name, drift.manager,
                   [](QJsonObject& configMap) {
                       QJsonObject data = configMap.value("data"_L1).toObject();
                       data.remove("banner"_L1);
                       configMap.insert("data"_L1, data);
                   });
    });
    if (!done)
        return done.error();
    return drift;
}

Result<QList<SeededDrift>> seedFleet(const Clusters& clusters, const QList<AppDesired>& desired,
                                     const QString& badCommitSummary) {
    // Desired state first, as if Driftdeck had synced every application at the head of main.
    for (auto it = clusters.cbegin(); it != clusters.cend(); ++it) {
        Status applied = onCluster(clusters, it.key(), [&](StoreOps& ops) {
            for (const AppDesired& app : desired) {
                if (app.app.cluster != it.key())
                    continue;
                ops.createNamespace(app.app.ns);
                for (const kubeobj::Object& object : app.objects)
                    ops.apply(object.json(), kDriftdeck);
            }
        });
        if (!applied)
            return applied.error();
    }

    QList<SeededDrift> seeded;
    const auto seed = [&](SeededDrift drift, const std::function<void(StoreOps&)>& ops) -> Status {
        if (!findApp(desired, drift.application))
            return Error::make(Error::Code::Internal,
                               u"the demo workspace lacks application %1"_s.arg(drift.application));
        if (Status done = onCluster(clusters, drift.cluster, ops); !done)
            return done.error().withApplication(drift.application);
        seeded.append(std::move(drift));
        return success();
    };

    SeededDrift edited{SeededDrift::Kind::EditedField,
                       u"dev"_s,
                       u"guestbook"_s,
                       key(u"apps"_s, u"Deployment"_s, u"guestbook"_s, u"guestbook"_s),
                       u"kubectl-edit"_s,
                       u"a hotfix image was set by hand with kubectl edit"_s};
    if (Status s = seed(edited,
                        [&](StoreOps& ops) {
                            ops.update(u"apps/v1"_s, edited.object.kind, edited.object.ns, edited.object.name,
                                       edited.manager, [](QJsonObject& d) { editImage(d, u"-hotfix"_s); });
                        });
        !s)
        return s.error();

    SeededDrift missing{SeededDrift::Kind::MissingObject,
                        u"staging"_s,
                        u"auth-staging"_s,
                        key({}, u"Service"_s, u"auth"_s, u"auth"_s),
                        {},
                        u"the auth Service was deleted from the cluster"_s};
    if (Status s = seed(missing,
                        [&](StoreOps& ops) {
                            ops.remove(u"v1"_s, missing.object.kind, missing.object.ns, missing.object.name);
                        });
        !s)
        return s.error();

    SeededDrift extra{SeededDrift::Kind::ExtraObject,
                      u"dev"_s,
                      u"payments-dev"_s,
                      key({}, u"ConfigMap"_s, u"payments"_s, u"payments-feature-flags"_s),
                      kDriftdeck,
                      u"a ConfigMap tracked by payments-dev that Git does not have (a prune candidate)"_s};
    if (Status s =
            seed(extra,
                 [&](StoreOps& ops) {
                     const QJsonObject flags{
                         {"apiVersion"_L1, u"v1"_s},
                         {"kind"_L1, u"ConfigMap"_s},
                         {"metadata"_L1, QJsonObject{{"name"_L1, extra.object.name},
                                                     {"namespace"_L1, extra.object.ns},
                                                     {"labels"_L1, QJsonObject{{"app"_L1, u"payments"_s}}}}},
                         {"data"_L1, QJsonObject{{"NEW_CHECKOUT"_L1, u"true"_s}}}};
                     ops.apply(withTracking(flags, extra.application), kDriftdeck);
                 });
        !s)
        return s.error();

    SeededDrift foreign{SeededDrift::Kind::ForeignManager,
                        u"staging"_s,
                        u"payments-staging"_s,
                        key(u"apps"_s, u"Deployment"_s, u"payments"_s, u"payments"_s),
                        u"hpa-controller"_s,
                        u"an autoscaler took over spec.replicas and scaled to 5"_s};
    if (Status s = seed(foreign,
                        [&](StoreOps& ops) {
                            ops.update(
                                u"apps/v1"_s, foreign.object.kind, foreign.object.ns, foreign.object.name,
                                foreign.manager,
                                [](QJsonObject& d) {
                                    QJsonObject spec = d.value("spec"_L1).toObject();
                                    spec.insert("replicas"_L1, 5);
                                    d.insert("spec"_L1, spec);
                                },
                                u"scale"_s);
                        });
        !s)
        return s.error();

    // Nothing to do on the cluster: Git itself asks for the crash-looping image (the bad commit).
    SeededDrift degraded{SeededDrift::Kind::Degraded,
                         u"prod"_s,
                         u"payments-prod"_s,
                         key(u"apps"_s, u"Deployment"_s, u"payments"_s, u"payments"_s),
                         {},
                         u"its pods crash-loop since the commit '%1': revert it"_s.arg(badCommitSummary)};
    // Once the bad commit is reverted in the kept repository, Git no longer asks for it.
    const AppDesired* prod = findApp(desired, degraded.application);
    if (prod && asksForCrashLoop(*prod, degraded.object)) {
        if (Status s = seed(degraded, [](StoreOps&) {}); !s)
            return s.error();
    }

    Result<SeededDrift> selfHeal = seedSelfHealDrift(clusters);
    if (!selfHeal)
        return selfHeal.error();
    seeded.append(*selfHeal);
    return seeded;
}

} // namespace driftdeck::demo::detail
