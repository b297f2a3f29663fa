#include "kubesim/watchstream.h"

#include "kubesim/httpconnection.h"
#include "kubesim/tableformat.h"

#include <QJsonDocument>

namespace driftdeck::kubesim {

WatchStream::WatchStream(ObjectStore* store, HttpConnection* connection, WatchRequest request)
    : QObject(connection)
    , m_store(store)
    , m_connection(connection)
    , m_request(std::move(request)) {}

WatchStream::~WatchStream() {
    if (m_listener)
        m_store->removeListener(m_listener);
}

void WatchStream::start() {
    m_connection->beginStream(200, "application/json");
    m_lastSent = m_request.resourceVersion;
    if (m_request.resourceVersion == 0) {
        for (const QJsonObject& obj : m_store->list(m_request.type, m_request.ns)) {
            if (matches(obj))
                send(QStringLiteral("ADDED"), obj);
        }
        m_lastSent = m_store->resourceVersion();
    } else {
        auto backlog = m_store->eventsSince(m_request.resourceVersion, m_request.type.groupResource());
        if (auto* error = std::get_if<ApiError>(&backlog)) {
            // As the real server does for a too old resourceVersion: a 200 stream with one ERROR event.
            send(QStringLiteral("ERROR"), error->toStatus());
            finish();
            return;
        }
        for (const WatchEvent& event : std::get<QList<WatchEvent>>(backlog))
            onEvent(event);
    }
    m_listener = m_store->onChange([this](const WatchEvent& event) {
        if (event.resourceType.groupResource() == m_request.type.groupResource())
            onEvent(event);
    });
    if (m_request.bookmarks) {
        connect(&m_bookmarks, &QTimer::timeout, this, [this]() {
            QJsonObject bookmark{
                {QStringLiteral("kind"), m_request.type.kind},
                {QStringLiteral("apiVersion"), m_request.type.apiVersion()},
                {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("resourceVersion"),
                                                          QString::number(m_store->resourceVersion())}}}};
            send(QStringLiteral("BOOKMARK"), bookmark);
        });
        m_bookmarks.start(kBookmarkIntervalMs);
    }
    int limit = m_request.timeoutSeconds;
    if (m_request.dropAfterSeconds > 0 && (limit == 0 || m_request.dropAfterSeconds < limit))
        limit = m_request.dropAfterSeconds;
    if (limit > 0) {
        m_deadline.setSingleShot(true);
        connect(&m_deadline, &QTimer::timeout, this, &WatchStream::finish);
        m_deadline.start(limit * 1000);
    }
}

bool WatchStream::matches(const QJsonObject& object) const {
    const QJsonObject meta = object.value(QStringLiteral("metadata")).toObject();
    if (m_request.type.namespaced && !m_request.ns.isEmpty() &&
        meta.value(QStringLiteral("namespace")).toString() != m_request.ns)
        return false;
    return m_request.labels.matches(meta.value(QStringLiteral("labels")).toObject()) &&
           m_request.fields.matches(object);
}

void WatchStream::onEvent(const WatchEvent& event) {
    if (event.resourceVersion <= m_lastSent || !matches(event.object))
        return;
    m_lastSent = event.resourceVersion;
    QJsonObject object = event.object;
    object.insert(QStringLiteral("apiVersion"), m_request.type.apiVersion());
    send(WatchEvent::typeName(event.type), object);
}

bool WatchStream::stalled() {
    if (m_request.faults && m_request.faults->stallWatches)
        m_stalled = true; // a dead connection does not come back
    return m_stalled;
}

void WatchStream::send(const QString& type, const QJsonObject& object) {
    if (!m_connection || stalled())
        return;
    QJsonObject payload = object;
    if (m_request.table && type != QLatin1String("ERROR") && type != QLatin1String("BOOKMARK"))
        payload = toTable(
            m_request.type, {object},
            QJsonObject{{QStringLiteral("resourceVersion"), object.value(QStringLiteral("metadata"))
                                                                .toObject()
                                                                .value(QStringLiteral("resourceVersion"))}});
    const QJsonObject line{{QStringLiteral("type"), type}, {QStringLiteral("object"), payload}};
    m_connection->writeChunk(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
}

void WatchStream::finish() {
    m_bookmarks.stop();
    m_deadline.stop();
    if (m_listener) {
        m_store->removeListener(m_listener);
        m_listener = 0;
    }
    // Stalled: not even the end of the stream gets through; the connection stays open, silent, until
    // the client gives up on it.
    if (m_connection && !stalled())
        m_connection->endStream();
    deleteLater();
}

} // namespace driftdeck::kubesim
