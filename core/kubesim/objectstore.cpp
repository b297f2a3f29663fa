#include "kubesim/objectstore.h"

#include "kubesim/admission.h"
#include "kubesim/customresources.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTimer>
#include <QUuid>

Q_LOGGING_CATEGORY(lcStore, "driftdeck.kubesim.store")

namespace driftdeck::kubesim {
namespace {

const QString kMetadata = QStringLiteral("metadata");
const QString kName = QStringLiteral("name");
const QString kNamespace = QStringLiteral("namespace");
const QString kResourceVersion = QStringLiteral("resourceVersion");
const QString kFinalizers = QStringLiteral("finalizers");
const QString kDeletionTimestamp = QStringLiteral("deletionTimestamp");

QString keyOf(const QString& ns, const QString& name) {
    return ns + QLatin1Char('/') + name;
}

QString randomSuffix() {
    static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    QString out;
    for (int i = 0; i < 5; ++i)
        out.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof(alphabet) - 1))]));
    return out;
}

ApiError notFound(const ResourceType& type, const QString& name) {
    return ApiError{404, QStringLiteral("NotFound"),
                    QStringLiteral("%1 \"%2\" not found").arg(type.groupResource(), name),
                    QJsonObject{{kName, name},
                                {QStringLiteral("group"), type.group},
                                {QStringLiteral("kind"), type.resource}}};
}

// Ignores what a no-op write would change anyway, so an unchanged object keeps its resourceVersion.
QJsonObject comparable(QJsonObject obj) {
    QJsonObject meta = obj.value(kMetadata).toObject();
    meta.remove(kResourceVersion);
    QJsonArray fields = meta.value(QStringLiteral("managedFields")).toArray();
    for (qsizetype i = 0; i < fields.size(); ++i) {
        QJsonObject entry = fields.at(i).toObject();
        entry.remove(QStringLiteral("time"));
        fields.replace(i, entry);
    }
    meta.insert(QStringLiteral("managedFields"), fields);
    obj.insert(kMetadata, meta);
    return obj;
}

// Objects are served in the version asked for; rewriting only when it differs keeps the stored
// object shared instead of copying it (lists of thousands of objects).
void setApiVersion(QJsonObject& obj, const ResourceType& type) {
    const QString apiVersion = type.apiVersion();
    if (obj.value(QLatin1String("apiVersion")).toString() != apiVersion)
        obj.insert(QStringLiteral("apiVersion"), apiVersion);
}

bool isService(const ResourceType& type) {
    return type.group.isEmpty() && type.resource == QLatin1String("services");
}

} // namespace

QString WatchEvent::typeName(Type type) {
    switch (type) {
    case Type::Added:
        return QStringLiteral("ADDED");
    case Type::Modified:
        return QStringLiteral("MODIFIED");
    case Type::Deleted:
        return QStringLiteral("DELETED");
    }
    return {};
}

ObjectStore::ObjectStore(ResourceRegistry registry, QObject* parent)
    : QObject(parent)
    , m_registry(std::move(registry)) {
    const std::optional<ResourceType> namespaces =
        m_registry.find({}, QStringLiteral("v1"), QStringLiteral("namespaces"));
    for (const char* name : {"default", "kube-node-lease", "kube-public", "kube-system"}) {
        create(*namespaces, QJsonObject{{kMetadata, QJsonObject{{kName, QString::fromLatin1(name)}}}});
    }
}

ObjectStore::~ObjectStore() = default;

std::optional<QJsonObject> ObjectStore::get(const ResourceType& type, const QString& ns,
                                            const QString& name) const {
    const auto bucket = m_objects.constFind(type.groupResource());
    if (bucket == m_objects.constEnd())
        return std::nullopt;
    const auto it = bucket->constFind(keyOf(type.namespaced ? ns : QString(), name));
    if (it == bucket->constEnd())
        return std::nullopt;
    QJsonObject obj = *it;
    setApiVersion(obj, type);
    return obj;
}

QList<QJsonObject> ObjectStore::list(const ResourceType& type, const QString& ns) const {
    QList<QJsonObject> out;
    const auto bucket = m_objects.constFind(type.groupResource());
    if (bucket == m_objects.constEnd())
        return out;
    const QString prefix = ns.isEmpty() || !type.namespaced ? QString() : ns + QLatin1Char('/');
    auto it = prefix.isEmpty() ? bucket->constBegin() : bucket->lowerBound(prefix);
    for (; it != bucket->constEnd(); ++it) {
        if (!prefix.isEmpty() && !it.key().startsWith(prefix))
            break;
        QJsonObject obj = it.value();
        setApiVersion(obj, type);
        out.append(obj);
    }
    return out;
}

bool ObjectStore::namespaceExists(const QString& ns) const {
    const auto bucket = m_objects.constFind(QStringLiteral("namespaces"));
    return bucket != m_objects.constEnd() && bucket->contains(keyOf({}, ns));
}

StoreResult ObjectStore::create(const ResourceType& type, QJsonObject object, const WriteOptions& options) {
    QJsonObject meta = object.value(kMetadata).toObject();
    QString name = meta.value(kName).toString();
    if (name.isEmpty() && !meta.value(QStringLiteral("generateName")).toString().isEmpty()) {
        name = meta.value(QStringLiteral("generateName")).toString() + randomSuffix();
        meta.insert(kName, name);
    }
    if (name.isEmpty())
        return ApiError{
            422,
            QStringLiteral("Invalid"),
            QStringLiteral("%1 \"\" is invalid: metadata.name: Required value: name or generateName is "
                           "required")
                .arg(type.kind),
            {}};
    QString ns;
    if (type.namespaced) {
        ns = meta.value(kNamespace).toString();
        if (ns.isEmpty()) {
            ns = QStringLiteral("default");
            meta.insert(kNamespace, ns);
        }
        if (!namespaceExists(ns))
            return ApiError{404, QStringLiteral("NotFound"),
                            QStringLiteral("namespaces \"%1\" not found").arg(ns),
                            QJsonObject{{kName, ns}, {QStringLiteral("kind"), QStringLiteral("namespaces")}}};
        if (auto live = get(type, ns, name);
            live && live->value(kMetadata).toObject().contains(kDeletionTimestamp))
            return ApiError{409,
                            QStringLiteral("AlreadyExists"),
                            QStringLiteral("object is being deleted: %1 \"%2\" already exists")
                                .arg(type.groupResource(), name),
                            {}};
    } else {
        meta.remove(kNamespace);
    }
    if (get(type, ns, name))
        return ApiError{409, QStringLiteral("AlreadyExists"),
                        QStringLiteral("%1 \"%2\" already exists").arg(type.groupResource(), name),
                        QJsonObject{{kName, name},
                                    {QStringLiteral("group"), type.group},
                                    {QStringLiteral("kind"), type.resource}}};
    if (type.group.isEmpty() && type.resource == QLatin1String("namespaces")) {
        QJsonObject labels = meta.value(QStringLiteral("labels")).toObject();
        labels.insert(QStringLiteral("kubernetes.io/metadata.name"), name);
        meta.insert(QStringLiteral("labels"), labels);
    }
    const QString timestamp = admission::now();
    meta.insert(QStringLiteral("uid"), QUuid::createUuid().toString(QUuid::WithoutBraces));
    meta.insert(QStringLiteral("creationTimestamp"), timestamp);
    if (admission::tracksGeneration(type))
        meta.insert(QStringLiteral("generation"), 1);
    else
        meta.remove(QStringLiteral("generation"));
    meta.remove(kDeletionTimestamp);
    meta.remove(kResourceVersion);
    object.insert(kMetadata, meta);
    object.insert(QStringLiteral("apiVersion"), type.apiVersion());
    object.insert(QStringLiteral("kind"), type.kind);
    if (type.hasStatus) // as the real server: status is written through /status only
        object.remove(QStringLiteral("status"));
    admission::applyDefaults(type, object);
    if (auto invalid = admission::validate(type, object))
        return *invalid;
    if (isService(type)) {
        if (auto invalid = m_addresses.allocate(object))
            return *invalid;
        if (options.dryRun)
            m_addresses.release(object);
    }
    if (!options.fieldManager.isEmpty() && options.operation != QLatin1String("Apply"))
        admission::recordUpdate(type, {}, object, options.fieldManager, options.operation,
                                options.subresource);
    if (isCustomResourceDefinition(type)) {
        if (auto invalid = establishCustomResourceDefinition(object, m_registry, options.dryRun))
            return *invalid;
    }
    if (options.dryRun)
        return object;
    meta = object.value(kMetadata).toObject();
    meta.insert(kResourceVersion, QString::number(++m_resourceVersion));
    object.insert(kMetadata, meta);
    m_objects[type.groupResource()].insert(keyOf(ns, name), object);
    emitEvent(WatchEvent::Type::Added, type, object);
    return object;
}

StoreResult ObjectStore::update(const ResourceType& type, QJsonObject object, const WriteOptions& options) {
    const QJsonObject meta = object.value(kMetadata).toObject();
    const QString ns =
        type.namespaced ? meta.value(kNamespace).toString(QStringLiteral("default")) : QString();
    const QString name = meta.value(kName).toString();
    const std::optional<QJsonObject> live = get(type, ns, name);
    if (!live)
        return notFound(type, name);
    const QString wanted = meta.value(kResourceVersion).toString();
    if (!wanted.isEmpty() && wanted != live->value(kMetadata).toObject().value(kResourceVersion).toString())
        return ApiError{
            409, QStringLiteral("Conflict"),
            QStringLiteral("Operation cannot be fulfilled on %1 \"%2\": the object has been modified; "
                           "please apply your changes to the latest version and try again")
                .arg(type.groupResource(), name),
            QJsonObject{{kName, name},
                        {QStringLiteral("group"), type.group},
                        {QStringLiteral("kind"), type.resource}}};
    return commitUpdate(type, *live, std::move(object), options);
}

StoreResult ObjectStore::commitUpdate(const ResourceType& type, const QJsonObject& live, QJsonObject object,
                                      const WriteOptions& options) {
    const QJsonObject liveMeta = live.value(kMetadata).toObject();
    QJsonObject meta = object.value(kMetadata).toObject();
    for (const char* kept : {"uid", "creationTimestamp", "generation", "deletionTimestamp", "namespace",
                             "name", "deletionGracePeriodSeconds"}) {
        const QString key = QString::fromLatin1(kept);
        if (liveMeta.contains(key))
            meta.insert(key, liveMeta.value(key));
        else
            meta.remove(key);
    }
    if (type.group.isEmpty() && type.resource == QLatin1String("namespaces")) {
        QJsonObject labels = meta.value(QStringLiteral("labels")).toObject();
        labels.insert(QStringLiteral("kubernetes.io/metadata.name"), meta.value(kName));
        meta.insert(QStringLiteral("labels"), labels);
    }
    meta.insert(kResourceVersion, liveMeta.value(kResourceVersion));
    object.insert(kMetadata, meta);
    object.insert(QStringLiteral("apiVersion"), type.apiVersion());
    object.insert(QStringLiteral("kind"), type.kind);
    admission::restrictToSubresource(type, live, object, options.subresource);
    admission::applyDefaults(type, object);
    if (auto invalid = admission::validate(type, object))
        return *invalid;
    if (isService(type) && !options.dryRun) {
        if (auto invalid = m_addresses.allocate(object, live))
            return *invalid;
    }
    if (admission::tracksGeneration(type) && admission::specChanged(type, live, object)) {
        meta = object.value(kMetadata).toObject();
        meta.insert(QStringLiteral("generation"), liveMeta.value(QStringLiteral("generation")).toInt(1) + 1);
        object.insert(kMetadata, meta);
    }
    if (!options.fieldManager.isEmpty() && options.operation != QLatin1String("Apply"))
        admission::recordUpdate(type, live, object, options.fieldManager, options.operation,
                                options.subresource);
    if (isCustomResourceDefinition(type)) {
        if (auto invalid = establishCustomResourceDefinition(object, m_registry, options.dryRun))
            return *invalid;
    }
    if (comparable(object) == comparable(live))
        return live;
    meta = object.value(kMetadata).toObject();
    if (meta.contains(kDeletionTimestamp) && meta.value(kFinalizers).toArray().isEmpty())
        return finishDelete(type, object, options);
    if (options.dryRun)
        return object;
    meta.insert(kResourceVersion, QString::number(++m_resourceVersion));
    object.insert(kMetadata, meta);
    m_objects[type.groupResource()].insert(
        keyOf(meta.value(kNamespace).toString(), meta.value(kName).toString()), object);
    emitEvent(WatchEvent::Type::Modified, type, object);
    return object;
}

StoreResult ObjectStore::remove(const ResourceType& type, const QString& ns, const QString& name,
                                DeletePropagation propagation, const WriteOptions& options) {
    const std::optional<QJsonObject> live = get(type, ns, name);
    if (!live)
        return notFound(type, name);
    QJsonObject meta = live->value(kMetadata).toObject();
    QJsonArray finalizers = meta.value(kFinalizers).toArray();
    const QString uid = meta.value(QStringLiteral("uid")).toString();

    if (propagation == DeletePropagation::Orphan && !options.dryRun) {
        // Dependents lose their owner reference and stay; done here rather than with an `orphan`
        // finalizer so an orphaning delete completes without a garbage collector running.
        for (const ResourceType& t : m_registry.all()) {
            for (QJsonObject dependent : list(t)) {
                QJsonObject dmeta = dependent.value(kMetadata).toObject();
                QJsonArray owners = dmeta.value(QStringLiteral("ownerReferences")).toArray();
                QJsonArray kept;
                for (const QJsonValue& owner : owners) {
                    if (owner.toObject().value(QStringLiteral("uid")).toString() != uid)
                        kept.append(owner);
                }
                if (kept.size() == owners.size())
                    continue;
                if (kept.isEmpty())
                    dmeta.remove(QStringLiteral("ownerReferences"));
                else
                    dmeta.insert(QStringLiteral("ownerReferences"), kept);
                dependent.insert(kMetadata, dmeta);
                commitUpdate(t, *get(t, dmeta.value(kNamespace).toString(), dmeta.value(kName).toString()),
                             dependent, WriteOptions{QStringLiteral("garbage-collector"), false, {}, {}});
            }
        }
    }
    if (propagation == DeletePropagation::Foreground &&
        !finalizers.contains(QStringLiteral("foregroundDeletion")))
        finalizers.append(QStringLiteral("foregroundDeletion"));
    if (!finalizers.isEmpty()) {
        if (meta.contains(kDeletionTimestamp) && meta.value(kFinalizers).toArray() == finalizers)
            return *live;
        meta.insert(kFinalizers, finalizers);
        meta.insert(kDeletionTimestamp, admission::now());
        meta.insert(QStringLiteral("deletionGracePeriodSeconds"), 0);
        QJsonObject marked = *live;
        marked.insert(kMetadata, meta);
        if (options.dryRun)
            return marked;
        meta.insert(kResourceVersion, QString::number(++m_resourceVersion));
        marked.insert(kMetadata, meta);
        m_objects[type.groupResource()].insert(keyOf(type.namespaced ? ns : QString(), name), marked);
        emitEvent(WatchEvent::Type::Modified, type, marked);
        return marked;
    }
    if (type.group.isEmpty() && type.resource == QLatin1String("namespaces") && !options.dryRun) {
        for (const ResourceType& t : m_registry.all()) {
            if (!t.namespaced || m_registry.findKind(t.group, t.kind)->version != t.version)
                continue;
            for (const QJsonObject& obj : list(t, name)) {
                const QJsonObject objMeta = obj.value(kMetadata).toObject();
                if (auto gone = get(t, name, objMeta.value(kName).toString()))
                    finishDelete(t, *gone, options);
            }
        }
    }
    return finishDelete(type, *live, options);
}

StoreResult ObjectStore::finishDelete(const ResourceType& type, const QJsonObject& live,
                                      const WriteOptions& options) {
    if (options.dryRun)
        return live;
    QJsonObject meta = live.value(kMetadata).toObject();
    m_objects[type.groupResource()].remove(
        keyOf(type.namespaced ? meta.value(kNamespace).toString() : QString(), meta.value(kName).toString()));
    if (isService(type))
        m_addresses.release(live);
    QJsonObject gone = live;
    meta.insert(kResourceVersion, QString::number(++m_resourceVersion));
    gone.insert(kMetadata, meta);
    if (isCustomResourceDefinition(type)) {
        // Its custom resources go with it, each with a DELETED event watchers can see.
        for (const ResourceType& served : removeCustomResourceDefinition(gone, m_registry)) {
            const Bucket bucket = m_objects.take(served.groupResource());
            for (QJsonObject obj : bucket) {
                QJsonObject objMeta = obj.value(kMetadata).toObject();
                objMeta.insert(kResourceVersion, QString::number(++m_resourceVersion));
                obj.insert(kMetadata, objMeta);
                emitEvent(WatchEvent::Type::Deleted, served, obj);
            }
        }
    }
    emitEvent(WatchEvent::Type::Deleted, type, gone);
    return gone;
}

void ObjectStore::emitEvent(WatchEvent::Type eventType, const ResourceType& resourceType,
                            const QJsonObject& object) {
    WatchEvent event{eventType, resourceType, object, m_resourceVersion};
    m_events.push_back(event);
    while (m_events.size() > size_t(kEventWindow)) {
        m_oldestKept = m_events.front().resourceVersion + 1;
        m_events.pop_front();
    }
    const auto listeners = m_listeners; // a listener may subscribe or unsubscribe while being called
    for (const auto& listener : listeners)
        listener(event);
}

int ObjectStore::onChange(std::function<void(const WatchEvent&)> listener) {
    const int id = m_nextListener++;
    m_listeners.insert(id, std::move(listener));
    return id;
}

void ObjectStore::removeListener(int id) {
    m_listeners.remove(id);
}

std::variant<QList<WatchEvent>, ApiError> ObjectStore::eventsSince(qint64 resourceVersion,
                                                                   const QString& groupResource) const {
    if (resourceVersion + 1 < m_oldestKept)
        return ApiError{
            410,
            QStringLiteral("Expired"),
            QStringLiteral("too old resource version: %1 (%2)").arg(resourceVersion).arg(m_oldestKept - 1),
            {}};
    QList<WatchEvent> out;
    for (const WatchEvent& event : m_events) {
        if (event.resourceVersion > resourceVersion &&
            (groupResource.isEmpty() || event.resourceType.groupResource() == groupResource))
            out.append(event);
    }
    return out;
}

void ObjectStore::runAfter(std::chrono::milliseconds delay, std::function<void()> fn) {
    QTimer::singleShot(delay, this, std::move(fn));
}

} // namespace driftdeck::kubesim
