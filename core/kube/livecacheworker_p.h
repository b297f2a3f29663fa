#pragma once

#include "kube/apitypes.h"
#include "kube/livecache.h"
#include "kube/ratelimiter.h"
#include "kube/resourceapi.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace driftdeck::kube {

class ClusterWorker;

// The list + watch loop of one LiveCache, on the cluster's thread.
class LiveCacheWorker : public QObject {
    Q_OBJECT
public:
    LiveCacheWorker(ResourceInfo resource, QString ns);
    ~LiveCacheWorker() override;

    void start(ClusterWorker* cluster);

Q_SIGNALS:
    void eventsReady(const QList<driftdeck::kube::LiveEvent>& events, bool synced,
                     const QString& resourceVersion);
    void failed(const driftdeck::Error& error);

private:
    void list(const QString& continueToken);
    void onListPage(const ApiReply& reply);
    void watch();
    void startWatch();
    void onWatchStarted(quint64 attempt, Result<QNetworkReply*> reply, quint64 generation,
                        qint64 timeoutSeconds);
    void onWatchData();
    void onWatchFinished();
    void handleWatchLine(const QByteArray& line, QList<LiveEvent>& events);
    void retryLater(void (LiveCacheWorker::*step)());
    void relistSoon();
    void abortWatch();
    void onWatchIdle();
    void upsert(const QJsonObject& object, QList<LiveEvent>& events);

    ClusterWorker* m_cluster = nullptr;
    ResourceInfo m_resource;
    QString m_ns;
    QHash<QString, QJsonObject> m_objects;
    QSet<QString> m_seenInList;
    QString m_resourceVersion;
    bool m_synced = false;
    Backoff m_backoff;
    QNetworkAccessManager* m_nam = nullptr;
    QPointer<QNetworkReply> m_watch;
    quint64 m_watchAttempt = 0;    // the start that may still set m_watch
    quint64 m_watchGeneration = 0; // of the credential the watch was sent with
    QByteArray m_buffer;
    bool m_watchGone = false;
    int m_watchEvents = 0;
    QElapsedTimer m_watchClock;
    QPointer<QTimer> m_retryTimer;
    QTimer* m_idleTimer = nullptr; // restarted by every byte of the watch stream
};

} // namespace driftdeck::kube
