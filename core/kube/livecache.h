#pragma once

#include "kube/resourceapi.h"
#include "kubeobj/object.h"
#include "model/error.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>

#include <optional>

namespace driftdeck::kube {

class ClusterClient;
class LiveCacheWorker;

struct LiveEvent {
    enum class Type { Added, Modified, Deleted };
    Type type = Type::Added;
    kubeobj::Object object; // for Deleted: the last state known
};

// The live objects of one resource type on one cluster, kept current like client-go's informer:
// a paginated list (limit 500 + continue), then a watch with bookmarks that resumes from the last
// resourceVersion after a dropped stream (backoff 800 ms doubling to 30 s, with jitter) and relists
// after 410 Gone. The list and watch run on the cluster's thread; this object lives on the caller's
// thread and receives changes in batches, so a large cluster never floods the caller's event loop.
// A relist reports only the differences (adds, updates, deletes) against what was known before.
// Secret values (data, stringData, and inside the last-applied annotation) are masked on arrival
// with model/secretmask.h: the cache holds keyed hashes, never the values.
class LiveCache : public QObject {
    Q_OBJECT
public:
    LiveCache(ClusterClient* client, ResourceInfo resource, QString ns = {}, QObject* parent = nullptr);
    ~LiveCache() override;

    void start();

    const ResourceInfo& resource() const { return m_resource; }
    bool isSynced() const { return m_synced; }
    // Keyed like every object of Driftdeck, by ResourceKey (group, kind, namespace, name).
    const QHash<ResourceKey, kubeobj::Object>& objects() const { return m_objects; }
    // The object named `name` in `ns` ("" for cluster-scoped kinds), or a null Object.
    kubeobj::Object object(const QString& ns, const QString& name) const;
    QString resourceVersion() const { return m_resourceVersion; }

Q_SIGNALS:
    void eventsReceived(const QList<driftdeck::kube::LiveEvent>& events);
    void synced();
    // After every complete list (the first included, after synced()) and every batch of watch events:
    // a read that succeeds after failures (a 403 lifted by a new RBAC role) says the kind is readable.
    void readSucceeded();
    // A list or watch failure; the cache keeps retrying on its own.
    void errorOccurred(const driftdeck::Error& error);

private:
    void applyEvents(const QList<driftdeck::kube::LiveEvent>& events, bool synced,
                     const QString& resourceVersion);

    QPointer<ClusterClient> m_client;
    LiveCacheWorker* m_worker = nullptr;
    ResourceInfo m_resource;
    QHash<ResourceKey, kubeobj::Object> m_objects;
    QString m_resourceVersion;
    bool m_synced = false;
    bool m_started = false;
};

} // namespace driftdeck::kube

Q_DECLARE_METATYPE(driftdeck::kube::LiveEvent)
