#include "kube/livecache.h"

#include "kube/clusterclient.h"
#include "kube/clusterworker_p.h"
#include "kube/livecacheworker_p.h"

#include <QThread>

namespace driftdeck::kube {

LiveCache::LiveCache(ClusterClient* client, ResourceInfo resource, QString ns, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_resource(std::move(resource)) {
    qRegisterMetaType<QList<LiveEvent>>();
    qRegisterMetaType<Error>();
    m_worker = new LiveCacheWorker(m_resource, std::move(ns));
    connect(m_worker, &LiveCacheWorker::eventsReady, this, &LiveCache::applyEvents, Qt::QueuedConnection);
    connect(m_worker, &LiveCacheWorker::failed, this, &LiveCache::errorOccurred, Qt::QueuedConnection);
    m_worker->moveToThread(client->workerThread());
}

LiveCache::~LiveCache() {
    // Without the client the worker died with the cluster thread (it was parented to it there).
    if (m_client)
        m_worker->deleteLater();
}

void LiveCache::start() {
    if (m_started || !m_client)
        return;
    m_started = true;
    LiveCacheWorker* worker = m_worker;
    ClusterWorker* cluster = m_client->worker();
    QMetaObject::invokeMethod(
        worker,
        [worker, cluster] {
            worker->setParent(cluster);
            worker->start(cluster);
        },
        Qt::QueuedConnection);
}

kubeobj::Object LiveCache::object(const QString& ns, const QString& name) const {
    return m_objects.value(ResourceKey{m_resource.group, m_resource.kind, ns, name});
}

void LiveCache::applyEvents(const QList<LiveEvent>& events, bool synced, const QString& resourceVersion) {
    for (const LiveEvent& e : events) {
        if (e.type == LiveEvent::Type::Deleted)
            m_objects.remove(e.object.key());
        else
            m_objects.insert(e.object.key(), e.object);
    }
    if (!resourceVersion.isEmpty())
        m_resourceVersion = resourceVersion;
    if (!events.isEmpty())
        Q_EMIT eventsReceived(events);
    if (synced && !m_synced) {
        m_synced = true;
        Q_EMIT this->synced();
    }
    if (synced)
        Q_EMIT readSucceeded();
}

} // namespace driftdeck::kube
