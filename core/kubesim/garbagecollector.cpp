#include "kubesim/garbagecollector.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcGarbageCollector, "driftdeck.kubesim.gc")

namespace driftdeck::kubesim {
namespace {

QJsonObject metaOf(const QJsonObject& obj) {
    return obj.value(QLatin1String("metadata")).toObject();
}

bool inForegroundDeletion(const QJsonObject& obj) {
    const QJsonObject m = metaOf(obj);
    return m.contains(QLatin1String("deletionTimestamp")) &&
           m.value(QLatin1String("finalizers")).toArray().contains(QStringLiteral("foregroundDeletion"));
}

} // namespace

GarbageCollector::GarbageCollector(ObjectStore& store, QObject* parent)
    : QObject(parent)
    , m_store(store) {
    m_listener = m_store.onChange([this](const WatchEvent& event) { onEvent(event); });
}

GarbageCollector::~GarbageCollector() {
    m_store.removeListener(m_listener);
}

void GarbageCollector::collectAll() {
    schedule();
}

void GarbageCollector::onEvent(const WatchEvent& event) {
    // Only deletions and owners entering foreground deletion can orphan anything.
    if (event.type == WatchEvent::Type::Deleted || inForegroundDeletion(event.object))
        schedule();
}

void GarbageCollector::schedule() {
    if (m_scheduled)
        return;
    m_scheduled = true;
    // Never write from inside a store listener: the store is mid-commit there.
    QTimer::singleShot(0, this, [this] { run(); });
}

bool GarbageCollector::ownerExists(const QJsonObject& ownerRef, const QString& ns) const {
    const QString apiVersion = ownerRef.value(QLatin1String("apiVersion")).toString();
    const QString kind = ownerRef.value(QLatin1String("kind")).toString();
    const auto type = m_store.registry().findByApiVersion(apiVersion, kind);
    if (!type)
        return false; // an owner of a type no longer served is gone
    const auto owner = m_store.get(*type, type->namespaced ? ns : QString(),
                                   ownerRef.value(QLatin1String("name")).toString());
    return owner && metaOf(*owner).value(QLatin1String("uid")) == ownerRef.value(QLatin1String("uid")) &&
           !inForegroundDeletion(*owner);
}

void GarbageCollector::run() {
    m_scheduled = false;
    // One pass over everything: small clusters, and it keeps the collector stateless.
    QSet<QString> blockingOwners; // uids of foreground-deleting owners that still have dependents
    for (const ResourceType& type : m_store.registry().all()) {
        if (m_store.registry().findKind(type.group, type.kind)->version != type.version)
            continue; // each stored object once, through the preferred version
        for (const QJsonObject& obj : m_store.list(type)) {
            const QJsonObject m = metaOf(obj);
            const QJsonArray owners = m.value(QLatin1String("ownerReferences")).toArray();
            if (owners.isEmpty())
                continue;
            const QString ns = m.value(QLatin1String("namespace")).toString();
            bool anyOwnerLeft = false;
            for (const QJsonValue& ref : owners)
                anyOwnerLeft = anyOwnerLeft || ownerExists(ref.toObject(), ns);
            if (anyOwnerLeft)
                continue;
            for (const QJsonValue& ref : owners)
                blockingOwners.insert(ref.toObject().value(QLatin1String("uid")).toString());
            if (!m.contains(QLatin1String("deletionTimestamp"))) {
                qCDebug(lcGarbageCollector)
                    << "deleting dependent" << type.kind << ns << m.value(QLatin1String("name")).toString();
                m_store.remove(type, ns, m.value(QLatin1String("name")).toString(),
                               DeletePropagation::Background);
            }
        }
    }
    // Owners in foreground deletion whose dependents are all gone lose their finalizer.
    for (const ResourceType& type : m_store.registry().all()) {
        if (m_store.registry().findKind(type.group, type.kind)->version != type.version)
            continue;
        for (QJsonObject obj : m_store.list(type)) {
            if (!inForegroundDeletion(obj))
                continue;
            QJsonObject m = metaOf(obj);
            if (blockingOwners.contains(m.value(QLatin1String("uid")).toString()))
                continue;
            QJsonArray finalizers;
            for (const QJsonValue& f : m.value(QLatin1String("finalizers")).toArray())
                if (f.toString() != QLatin1String("foregroundDeletion"))
                    finalizers.append(f);
            m.insert(QStringLiteral("finalizers"), finalizers);
            obj.insert(QStringLiteral("metadata"), m);
            m_store.update(
                type, obj,
                WriteOptions{QStringLiteral("garbage-collector"), false, {}, QStringLiteral("Update")});
        }
    }
}

} // namespace driftdeck::kubesim
