#pragma once

#include "kubesim/apierror.h"
#include "kubesim/resourcetype.h"
#include "kubesim/semantics.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>

#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <variant>

namespace driftdeck::kubesim {

struct WatchEvent {
    enum class Type { Added, Modified, Deleted };
    Type type = Type::Added;
    ResourceType resourceType;
    QJsonObject object; // the object after the change (for Deleted: its last state, new resourceVersion)
    qint64 resourceVersion = 0;

    static QString typeName(Type type); // "ADDED", "MODIFIED", "DELETED"
};

// How a write is attributed and whether it is kept.
struct WriteOptions {
    QString fieldManager; // managedFields owner; a controller passes its own name
    bool dryRun = false;  // validate, default, return the result; persist nothing, bump nothing
    QString subresource;  // "" (main resource), "status" or "scale"
    // managedFields operation for non-apply writes; "Apply" means serverSideApply() already set them.
    QString operation = QStringLiteral("Update");
};

enum class DeletePropagation { Background, Foreground, Orphan };

using StoreResult = std::variant<QJsonObject, ApiError>;

// The in-memory storage of one simulated cluster. Thread-confined: every call happens on the
// cluster's thread (the HTTP server, controllers and the garbage collector all run there), so there is
// no locking. Objects are stored per group/resource whatever version they were written in.
//
// Server-set fields handled here: metadata.uid, resourceVersion (one global counter, as a string),
// creationTimestamp, generation (1 at create, +1 when semantics' specChanged says so), managedFields
// (through semantics' recordUpdate for non-apply writes), deletionTimestamp with finalizers.
//
// Status subresource rule (as the real API server): for types with a status subresource a write to
// the main resource keeps the live .status, and a write to "status" keeps everything but .status.
class ObjectStore : public QObject {
    Q_OBJECT
public:
    explicit ObjectStore(ResourceRegistry registry = ResourceRegistry::withBuiltins(),
                         QObject* parent = nullptr);
    ~ObjectStore() override;

    ResourceRegistry& registry() { return m_registry; }
    const ResourceRegistry& registry() const { return m_registry; }
    // The last resourceVersion handed out.
    qint64 resourceVersion() const { return m_resourceVersion; }

    std::optional<QJsonObject> get(const ResourceType& type, const QString& ns, const QString& name) const;
    // Sorted by namespace then name; `ns` empty means every namespace (or a cluster-scoped type).
    QList<QJsonObject> list(const ResourceType& type, const QString& ns = {}) const;

    // 409 AlreadyExists; 404 when the namespace does not exist; metadata.generateName honoured.
    StoreResult create(const ResourceType& type, QJsonObject object, const WriteOptions& options = {});
    // Full replace. A non-empty metadata.resourceVersion that is not the live one → 409 Conflict.
    StoreResult update(const ResourceType& type, QJsonObject object, const WriteOptions& options = {});
    // With finalizers (or Foreground/Orphan, which add foregroundDeletion/orphan) the object only
    // gets a deletionTimestamp; it goes away when an update removes the last finalizer. Deleting a
    // Namespace deletes everything in it. Returns the deleted (or marked) object.
    StoreResult remove(const ResourceType& type, const QString& ns, const QString& name,
                       DeletePropagation propagation = DeletePropagation::Background,
                       const WriteOptions& options = {});

    // Every committed change, in order, on the cluster thread. Returns an id for removeListener().
    int onChange(std::function<void(const WatchEvent&)> listener);
    void removeListener(int id);

    // Events newer than `resourceVersion` for one type (empty groupResource: all types). A version
    // older than the kept window (the last 1000 events) → 410 Gone, reason Expired.
    std::variant<QList<WatchEvent>, ApiError> eventsSince(qint64 resourceVersion,
                                                          const QString& groupResource = {}) const;

    // Runs `fn` on the cluster thread after `delay` (controllers' requeue); safe to call from it only.
    void runAfter(std::chrono::milliseconds delay, std::function<void()> fn);

    static constexpr int kEventWindow = 1000;

private:
    using Bucket = QMap<QString, QJsonObject>; // "ns/name" → object
    StoreResult commitUpdate(const ResourceType& type, const QJsonObject& live, QJsonObject object,
                             const WriteOptions& options);
    StoreResult finishDelete(const ResourceType& type, const QJsonObject& live, const WriteOptions& options);
    void emitEvent(WatchEvent::Type type, const ResourceType& resourceType, const QJsonObject& object);
    bool namespaceExists(const QString& ns) const;

    ResourceRegistry m_registry;
    QHash<QString, Bucket> m_objects; // groupResource → objects
    qint64 m_resourceVersion = 1;
    std::deque<WatchEvent> m_events;
    qint64 m_oldestKept = 0; // resourceVersions below this have left the event window
    QMap<int, std::function<void(const WatchEvent&)>> m_listeners;
    ServiceAddressAllocator m_addresses; // Service cluster IPs and node ports
    int m_nextListener = 1;
};

} // namespace driftdeck::kubesim
