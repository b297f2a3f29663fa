#include "kube/clusterworker_p.h"
#include "kube/livecacheworker_p.h"
#include "kube/redaction.h"
#include "model/secretmask.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTimer>

namespace driftdeck::kube {

namespace {

constexpr int kPageSize = 500;

// The worker's own index: "namespace/name" within its one resource type.
QString objectKey(const QJsonObject& object) {
    const QJsonObject metadata = object.value(QLatin1String("metadata")).toObject();
    return metadata.value(QLatin1String("namespace")).toString() + QLatin1Char('/') +
           metadata.value(QLatin1String("name")).toString();
}

QString resourceVersionOf(const QJsonObject& object) {
    return object.value(QLatin1String("metadata"))
        .toObject()
        .value(QLatin1String("resourceVersion"))
        .toString();
}

} // namespace

LiveCacheWorker::LiveCacheWorker(ResourceInfo resource, QString ns)
    : m_resource(std::move(resource))
    , m_ns(std::move(ns))
    , m_backoff(std::chrono::milliseconds(800), std::chrono::seconds(30), 0.5) {}

LiveCacheWorker::~LiveCacheWorker() {
    if (m_watch) {
        m_watch->disconnect(this);
        m_watch->abort();
    }
}

void LiveCacheWorker::start(ClusterWorker* cluster) {
    m_cluster = cluster;
    m_nam = new QNetworkAccessManager(this); // a connection of its own: watches hold it open
    m_idleTimer = new QTimer(this);
    m_idleTimer->setSingleShot(true);
    connect(m_idleTimer, &QTimer::timeout, this, &LiveCacheWorker::onWatchIdle);
    list({});
}

void LiveCacheWorker::list(const QString& continueToken) {
    if (continueToken.isEmpty())
        m_seenInList.clear();
    ApiRequest request;
    request.path = collectionPath(m_resource, m_ns);
    request.query.addQueryItem(QStringLiteral("limit"), QString::number(kPageSize));
    if (!continueToken.isEmpty())
        request.query.addQueryItem(QStringLiteral("continue"), continueToken);
    request.maxRetries = 8;
    QPointer<LiveCacheWorker> self(this);
    m_cluster->execute(request, [self](ApiReply reply) {
        if (self)
            self->onListPage(reply);
    });
}

void LiveCacheWorker::upsert(const QJsonObject& object, QList<LiveEvent>& events) {
    const QString key = objectKey(object);
    const auto it = m_objects.find(key);
    if (it == m_objects.end()) {
        m_objects.insert(key, object);
        events.append({LiveEvent::Type::Added, kubeobj::Object::fromTrustedJson(object)});
    } else if (resourceVersionOf(*it) != resourceVersionOf(object) || *it != object) {
        *it = object;
        events.append({LiveEvent::Type::Modified, kubeobj::Object::fromTrustedJson(object)});
    }
}

void LiveCacheWorker::onListPage(const ApiReply& reply) {
    if (!reply.ok()) {
        if (reply.error->code == Error::Code::Cancelled)
            return;
        Q_EMIT failed(*reply.error);
        // An expired continue token (410) means starting the list again, like any other failure.
        retryLater(&LiveCacheWorker::relistSoon);
        return;
    }
    const QJsonObject root = reply.json();
    const QJsonObject metadata = root.value(QLatin1String("metadata")).toObject();
    QList<LiveEvent> events;
    const QJsonArray items = root.value(QLatin1String("items")).toArray();
    // Items of a list carry neither kind nor apiVersion; watch events do. Keep one shape.
    const QString kind = m_resource.kind;
    const QString apiVersion = m_resource.apiVersion();
    for (const QJsonValue& item : items) {
        QJsonObject object = item.toObject();
        if (!object.contains(QLatin1String("kind")))
            object.insert(QStringLiteral("kind"), kind);
        if (!object.contains(QLatin1String("apiVersion")))
            object.insert(QStringLiteral("apiVersion"), apiVersion);
        object = maskSecret(object);
        m_seenInList.insert(objectKey(object));
        upsert(object, events);
    }
    const QString continueToken = metadata.value(QLatin1String("continue")).toString();
    if (!continueToken.isEmpty()) {
        Q_EMIT eventsReady(events, false, {});
        list(continueToken);
        return;
    }
    // The list is complete: whatever it did not contain is gone.
    for (auto it = m_objects.begin(); it != m_objects.end();) {
        if (!m_seenInList.contains(it.key())) {
            events.append({LiveEvent::Type::Deleted, kubeobj::Object::fromTrustedJson(it.value())});
            it = m_objects.erase(it);
        } else {
            ++it;
        }
    }
    m_seenInList.clear();
    m_resourceVersion = metadata.value(QLatin1String("resourceVersion")).toString();
    m_synced = true;
    m_backoff.reset();
    Q_EMIT eventsReady(events, true, m_resourceVersion);
    watch();
}

void LiveCacheWorker::relistSoon() {
    abortWatch();
    list({});
}

void LiveCacheWorker::abortWatch() {
    ++m_watchAttempt; // a start still waiting for credentials is dropped when they come
    if (m_watch) {
        QNetworkReply* reply = m_watch;
        m_watch = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    if (m_idleTimer)
        m_idleTimer->stop();
    m_buffer.clear();
}

void LiveCacheWorker::onWatchIdle() {
    if (!m_watch)
        return;
    // The server ends every watch at timeoutSeconds; silence beyond that means nobody is listening
    // at the other end any more, and the cache would report "synced" with stale objects for ever.
    const auto silent = std::chrono::duration_cast<std::chrono::seconds>(m_idleTimer->intervalAsDuration());
    abortWatch();
    const Error error = kubeError(
        Error::Code::Unavailable,
        m_cluster->settings().contextName + QStringLiteral(": the watch of ") + m_resource.resource +
            QStringLiteral(" delivered nothing, not even a bookmark, for ") +
            QString::number(silent.count()) +
            QStringLiteral(" s, longer than the server's timeout; taking the connection for dead and "
                           "resuming the watch"));
    qCInfo(lcKube).noquote() << error.message;
    Q_EMIT failed(m_cluster->secrets().redact(error));
    retryLater(&LiveCacheWorker::watch);
}

void LiveCacheWorker::watch() {
    const auto wait = m_cluster->reserveToken();
    if (wait.count() > 0) {
        QTimer::singleShot(wait, this, &LiveCacheWorker::startWatch);
        return;
    }
    startWatch();
}

void LiveCacheWorker::startWatch() {
    abortWatch();
    ApiRequest request;
    request.path = collectionPath(m_resource, m_ns);
    request.query.addQueryItem(QStringLiteral("watch"), QStringLiteral("1"));
    request.query.addQueryItem(QStringLiteral("allowWatchBookmarks"), QStringLiteral("true"));
    request.query.addQueryItem(QStringLiteral("resourceVersion"), m_resourceVersion);
    // Like client-go's reflector: the server ends the watch after 5-10 minutes, which spreads the
    // reconnects of many watches.
    const ConnectionSettings& settings = m_cluster->settings();
    const qint64 minTimeout = std::max<qint64>(1, settings.watchTimeoutMin.count());
    const qint64 spread = std::max<qint64>(0, settings.watchTimeoutMax.count() - minTimeout);
    const qint64 timeoutSeconds = minTimeout + QRandomGenerator::global()->bounded(spread + 1);
    request.query.addQueryItem(QStringLiteral("timeoutSeconds"), QString::number(timeoutSeconds));
    const quint64 attempt = ++m_watchAttempt;
    m_cluster->startStream(request, m_nam, this,
                           [this, attempt, timeoutSeconds](Result<QNetworkReply*> reply, quint64 generation) {
                               onWatchStarted(attempt, std::move(reply), generation, timeoutSeconds);
                           });
}

void LiveCacheWorker::onWatchStarted(quint64 attempt, Result<QNetworkReply*> reply, quint64 generation,
                                     qint64 timeoutSeconds) {
    if (attempt != m_watchAttempt) { // superseded (a relist, another start) while credentials came
        if (reply) {
            (*reply)->abort();
            (*reply)->deleteLater();
        }
        return;
    }
    if (!reply) {
        Q_EMIT failed(reply.error());
        retryLater(&LiveCacheWorker::startWatch);
        return;
    }
    const ConnectionSettings& settings = m_cluster->settings();
    m_watch = *reply;
    m_watchGeneration = generation;
    m_watchGone = false;
    m_watchEvents = 0;
    m_watchClock.start();
    connect(m_watch, &QNetworkReply::readyRead, this, &LiveCacheWorker::onWatchData);
    connect(m_watch, &QNetworkReply::finished, this, &LiveCacheWorker::onWatchFinished);
    m_idleTimer->setInterval(std::chrono::milliseconds(timeoutSeconds * 1000) + settings.watchIdleGrace);
    m_idleTimer->start();
}

void LiveCacheWorker::handleWatchLine(const QByteArray& line, QList<LiveEvent>& events) {
    const QJsonObject event = QJsonDocument::fromJson(line).object();
    const QString type = event.value(QLatin1String("type")).toString();
    // Secret values never leave the cluster thread: they are replaced by keyed hashes on arrival.
    const QJsonObject object = maskSecret(event.value(QLatin1String("object")).toObject());
    if (type == QLatin1String("ERROR")) {
        const auto status = ApiStatus::fromObject(object);
        if (status && status->code == 410)
            m_watchGone = true;
        return;
    }
    const QString rv = resourceVersionOf(object);
    if (!rv.isEmpty())
        m_resourceVersion = rv;
    ++m_watchEvents;
    if (type == QLatin1String("ADDED") || type == QLatin1String("MODIFIED")) {
        upsert(object, events);
    } else if (type == QLatin1String("DELETED")) {
        const QString key = objectKey(object);
        if (m_objects.remove(key))
            events.append({LiveEvent::Type::Deleted, kubeobj::Object::fromTrustedJson(object)});
    }
    // BOOKMARK: only the resourceVersion moves.
}

void LiveCacheWorker::onWatchData() {
    if (!m_watch)
        return;
    m_idleTimer->start(); // alive: the silence counts from here
    const qint64 limit = m_cluster->settings().maxWatchEventBytes;
    m_buffer += m_watch->readAll();
    QList<LiveEvent> events;
    qsizetype start = 0;
    bool tooLarge = false;
    for (qsizetype nl = m_buffer.indexOf('\n'); nl >= 0; nl = m_buffer.indexOf('\n', start)) {
        if (nl - start > limit) {
            tooLarge = true;
            break;
        }
        const QByteArray line = m_buffer.mid(start, nl - start).trimmed();
        start = nl + 1;
        if (!line.isEmpty())
            handleWatchLine(line, events);
        if (m_watchGone)
            break;
    }
    m_buffer.remove(0, start);
    // An event that does not end within the limit is as bad as one that ends past it.
    tooLarge = tooLarge || m_buffer.size() > limit;
    if (!events.isEmpty() || m_watchEvents > 0)
        Q_EMIT eventsReady(events, true, m_resourceVersion);
    if (tooLarge) {
        // The event is lost with the stream; a list (paged, and limited per reply) brings the state.
        const Error error = kubeError(
            Error::Code::TooLarge,
            m_cluster->settings().contextName + QStringLiteral(": a watch event of ") + m_resource.resource +
                QStringLiteral(" is larger than the limit of ") + byteSize(limit) +
                QStringLiteral(
                    " (maxWatchEventBytes); the stream was stopped and the objects are listed again"));
        qCWarning(lcKube).noquote() << error.message;
        Q_EMIT failed(m_cluster->secrets().redact(error));
        abortWatch();
        retryLater(&LiveCacheWorker::relistSoon);
        return;
    }
    if (m_watchGone) {
        qCInfo(lcKube).noquote() << m_cluster->settings().contextName << m_resource.resource
                                 << QStringLiteral("watch expired (410); relisting");
        relistSoon();
    }
}

void LiveCacheWorker::onWatchFinished() {
    QNetworkReply* reply = m_watch;
    if (!reply)
        return;
    onWatchData();
    if (!m_watch) // relisting after an ERROR event
        return;
    m_watch = nullptr;
    m_idleTimer->stop();
    reply->deleteLater();
    ApiRequest described;
    described.path = collectionPath(m_resource, m_ns);
    const ApiReply result = m_cluster->replyFromNetwork(reply, described, false);
    if (result.isGone() || m_watchGone) {
        relistSoon();
        return;
    }
    if (result.ok()) {
        // The server ended the watch (timeoutSeconds): resume at once, unless it ends them instantly.
        if (m_watchEvents > 0 || m_watchClock.elapsed() > 1000) {
            m_backoff.reset();
            startWatch();
        } else {
            retryLater(&LiveCacheWorker::watch);
        }
        return;
    }
    if (result.httpStatus == 401)
        m_cluster->invalidateCredentials(m_watchGeneration);
    if (m_watchEvents > 0)
        m_backoff.reset();
    qCInfo(lcKube).noquote() << m_cluster->secrets().redact(result.error->message)
                             << QStringLiteral("; resuming the watch");
    Q_EMIT failed(m_cluster->secrets().redact(*result.error));
    retryLater(&LiveCacheWorker::watch);
}

void LiveCacheWorker::retryLater(void (LiveCacheWorker::*step)()) {
    if (m_retryTimer)
        m_retryTimer->deleteLater();
    auto* timer = new QTimer(this);
    timer->setSingleShot(true);
    m_retryTimer = timer;
    connect(timer, &QTimer::timeout, this, [this, step, timer] {
        timer->deleteLater();
        (this->*step)();
    });
    timer->start(m_backoff.next());
}

} // namespace driftdeck::kube
