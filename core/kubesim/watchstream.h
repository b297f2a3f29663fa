#pragma once

#include "kubesim/faults.h"
#include "kubesim/labelselector.h"
#include "kubesim/objectstore.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace driftdeck::kubesim {

class HttpConnection;

struct WatchRequest {
    ResourceType type;
    QString ns;
    LabelSelector labels;
    FieldSelector fields;
    qint64 resourceVersion = 0; // 0: start with ADDED for every existing object
    bool bookmarks = false;
    bool table = false;
    int timeoutSeconds = 0;   // 0: until the client leaves (or a fault drops it)
    int dropAfterSeconds = 0; // fault injection
    // The server's live fault settings (stallWatches is read at every write); may be null.
    const FaultSettings* faults = nullptr;
};

// One `?watch=1` response: a chunked stream of {"type":..., "object":...} lines fed by the store's
// change callback, with BOOKMARK events when asked, ending at timeoutSeconds. Owned by its connection.
class WatchStream : public QObject {
    Q_OBJECT
public:
    WatchStream(ObjectStore* store, HttpConnection* connection, WatchRequest request);
    ~WatchStream() override;
    void start();

    static constexpr int kBookmarkIntervalMs = 1000;

private:
    void send(const QString& type, const QJsonObject& object);
    void onEvent(const WatchEvent& event);
    bool matches(const QJsonObject& object) const;
    void finish();
    bool stalled();

    ObjectStore* m_store;
    QPointer<HttpConnection> m_connection;
    WatchRequest m_request;
    int m_listener = 0;
    qint64 m_lastSent = 0;
    bool m_stalled = false;
    QTimer m_bookmarks;
    QTimer m_deadline;
};

} // namespace driftdeck::kubesim
