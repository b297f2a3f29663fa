#include "testapiserver.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

namespace driftdeck::kube::test {

TestApiServer::TestApiServer() = default;

TestApiServer::~TestApiServer() {
    stop();
}

void TestApiServer::stop() {
    if (!m_thread)
        return;
    onServerThread([this] {
        for (QTcpSocket* s : m_buffers.keys()) {
            s->disconnect(this);
            s->abort();
            delete s;
        }
        m_buffers.clear();
        delete m_server;
        m_server = nullptr;
    });
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

void TestApiServer::onServerThread(const std::function<void()>& f) {
    if (QThread::currentThread() == thread())
        f();
    else
        QMetaObject::invokeMethod(this, f, Qt::BlockingQueuedConnection);
}

void TestApiServer::start(Handler handler) {
    m_handler = std::move(handler);
    m_thread = new QThread();
    m_thread->setObjectName(QStringLiteral("test-apiserver"));
    moveToThread(m_thread);
    m_thread->start();
    onServerThread([this] {
        m_server = new QTcpServer();
        m_server->listen(QHostAddress::LocalHost, 0);
        m_port = m_server->serverPort();
        connect(m_server, &QTcpServer::newConnection, this, &TestApiServer::onConnection);
    });
}

QString TestApiServer::url() const {
    return QStringLiteral("http://127.0.0.1:") + QString::number(m_port);
}

QList<TestApiServer::Request> TestApiServer::requests() const {
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

TestApiServer::Reply TestApiServer::json(int status, const QJsonObject& body) {
    Reply r;
    r.status = status;
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    r.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    return r;
}

TestApiServer::Reply TestApiServer::status(int code, const QString& reason, const QString& message) {
    return json(code, QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                                  {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                  {QStringLiteral("status"), QStringLiteral("Failure")},
                                  {QStringLiteral("code"), code},
                                  {QStringLiteral("reason"), reason},
                                  {QStringLiteral("message"), message}});
}

TestApiServer::Reply TestApiServer::handle(const Request& request) {
    return m_handler ? m_handler(request)
                     : status(404, QStringLiteral("NotFound"), QStringLiteral("no handler"));
}

void TestApiServer::onConnection() {
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        socket->setParent(nullptr);
        m_buffers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadable(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            if (!m_buffers.contains(socket))
                return;
            streamClosed(socket);
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void TestApiServer::onReadable(QTcpSocket* socket) {
    QByteArray& buffer = m_buffers[socket];
    buffer += socket->readAll();
    for (;;) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        Request request;
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        request.method = first.value(0);
        const QUrl url(QString::fromLatin1(first.value(1)));
        request.path = url.path();
        request.query = QUrlQuery(url);
        qsizetype length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray name = lines[i].left(colon).trimmed().toLower();
            request.headers.insert(name, lines[i].mid(colon + 1).trimmed());
        }
        length = request.headers.value("content-length").toLongLong();
        if (buffer.size() < end + 4 + length)
            return;
        request.body = buffer.mid(end + 4, length);
        buffer.remove(0, end + 4 + length);
        {
            QMutexLocker lock(&m_mutex);
            m_requests.append(request);
        }
        ++m_count;
        const Reply reply = handle(request);
        if (reply.delayMs > 0) {
            QTimer::singleShot(reply.delayMs, socket,
                               [this, socket, request, reply] { respond(socket, request, reply); });
        } else {
            respond(socket, request, reply);
        }
        if (!m_buffers.contains(socket))
            return;
    }
}

void TestApiServer::respond(QTcpSocket* socket, const Request& request, const Reply& reply) {
    if (!m_buffers.contains(socket))
        return;
    if (reply.drop) {
        dropSocket(socket);
        return;
    }
    QByteArray head = "HTTP/1.1 " + QByteArray::number(reply.status) + " X\r\n";
    for (const auto& [name, value] : reply.headers)
        head += name + ": " + value + "\r\n";
    if (reply.stream) {
        head += "Transfer-Encoding: chunked\r\n\r\n";
        socket->write(head);
        streamOpened(socket, request);
        return;
    }
    head += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n\r\n";
    socket->write(head + reply.body);
}

void TestApiServer::writeStream(QTcpSocket* socket, const QByteArray& data) {
    if (data.isEmpty() || !m_buffers.contains(socket))
        return;
    socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
}

void TestApiServer::endStream(QTcpSocket* socket) {
    if (!m_buffers.contains(socket))
        return;
    streamClosed(socket);
    socket->write("0\r\n\r\n");
}

void TestApiServer::dropSocket(QTcpSocket* socket) {
    if (!m_buffers.contains(socket))
        return;
    streamClosed(socket);
    m_buffers.remove(socket);
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void TestApiServer::streamOpened(QTcpSocket*, const Request&) {}
void TestApiServer::streamClosed(QTcpSocket*) {}

// ---- FakeCollection ----

namespace {
const QString kPath = QStringLiteral("/api/v1/namespaces/test/configmaps");

QByteArray eventLine(const QByteArray& type, const QJsonObject& object) {
    return QJsonDocument(QJsonObject{{QStringLiteral("type"), QString::fromLatin1(type)},
                                     {QStringLiteral("object"), object}})
               .toJson(QJsonDocument::Compact) +
           '\n';
}
} // namespace

FakeCollection::FakeCollection() = default;
FakeCollection::~FakeCollection() {
    // Sockets closing during shutdown call back into this class: stop while it is still whole.
    stop();
}

void FakeCollection::start() {
    TestApiServer::start({});
}

QJsonObject FakeCollection::makeObject(const QString& name, const QJsonObject& data, qint64 rv) const {
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name},
                                                 {QStringLiteral("namespace"), QStringLiteral("test")},
                                                 {QStringLiteral("resourceVersion"), QString::number(rv)}}},
        {QStringLiteral("data"), data}};
}

void FakeCollection::record(const QByteArray& type, const QJsonObject& object) {
    m_log.append({type, object, m_rv});
    const QByteArray line = eventLine(type, object);
    for (auto it = m_watchers.begin(); it != m_watchers.end(); ++it)
        writeStream(it.key(), line);
}

void FakeCollection::put(const QString& name, const QJsonObject& data) {
    onServerThread([this, name, data] {
        QMutexLocker lock(&m_stateMutex);
        const bool exists = m_objects.contains(name);
        const QJsonObject object = makeObject(name, data, ++m_rv);
        m_objects.insert(name, object);
        record(exists ? "MODIFIED" : "ADDED", object);
    });
}

void FakeCollection::remove(const QString& name) {
    onServerThread([this, name] {
        QMutexLocker lock(&m_stateMutex);
        if (!m_objects.contains(name))
            return;
        QJsonObject object = m_objects.take(name);
        QJsonObject metadata = object.value(QLatin1String("metadata")).toObject();
        metadata.insert(QStringLiteral("resourceVersion"), QString::number(++m_rv));
        object.insert(QStringLiteral("metadata"), metadata);
        record("DELETED", object);
    });
}

void FakeCollection::bulkCreate(int count, const QString& prefix) {
    onServerThread([this, count, prefix] {
        QMutexLocker lock(&m_stateMutex);
        for (int i = 0; i < count; ++i) {
            const QString name = prefix + QString::number(i).rightJustified(6, QLatin1Char('0'));
            const QJsonObject object =
                makeObject(name, QJsonObject{{QStringLiteral("index"), QString::number(i)}}, ++m_rv);
            m_objects.insert(name, object);
            record("ADDED", object);
        }
    });
}

void FakeCollection::dropWatches() {
    onServerThread([this] {
        const auto sockets = m_watchers.keys();
        for (QTcpSocket* s : sockets)
            dropSocket(s);
    });
}

void FakeCollection::expireHistory() {
    onServerThread([this] {
        QMutexLocker lock(&m_stateMutex);
        m_floor = m_rv + 1;
        m_snapshots.clear();
        // A real server also ends watches whose position it no longer holds.
        const auto sockets = m_watchers.keys();
        for (QTcpSocket* s : sockets) {
            writeStream(
                s, eventLine("ERROR", QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                                                  {QStringLiteral("code"), 410},
                                                  {QStringLiteral("reason"), QStringLiteral("Expired")},
                                                  {QStringLiteral("message"), QStringLiteral("too old")}}));
            endStream(s);
        }
    });
}

void FakeCollection::setFailureRate(double r) {
    QMutexLocker lock(&m_stateMutex);
    m_failureRate = r;
}

QMap<QString, QJsonObject> FakeCollection::snapshot() const {
    QMutexLocker lock(&m_stateMutex);
    return m_objects;
}

TestApiServer::Reply FakeCollection::handle(const Request& request) {
    QMutexLocker lock(&m_stateMutex);
    if (request.path != kPath)
        return status(404, QStringLiteral("NotFound"),
                      QStringLiteral("the server could not find the requested resource"));
    if (m_failureRate > 0 && QRandomGenerator::global()->generateDouble() < m_failureRate) {
        if (QRandomGenerator::global()->bounded(2) == 0)
            return status(500, QStringLiteral("InternalError"), QStringLiteral("injected failure"));
        return status(429, QStringLiteral("TooManyRequests"), QStringLiteral("injected throttling"));
    }
    if (request.query.queryItemValue(QStringLiteral("watch")) == QLatin1String("1")) {
        Reply r;
        r.stream = true;
        r.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        return r;
    }
    ++m_listCount;
    const int limit = request.query.queryItemValue(QStringLiteral("limit")).toInt();
    const QString token = request.query.queryItemValue(QStringLiteral("continue"));
    // continue = "<rv>:<offset>". Like the real API server, every page of one list comes from the
    // snapshot taken at its first page, and the list's resourceVersion is that snapshot's.
    qint64 listRv = m_rv;
    int offset = 0;
    if (!token.isEmpty()) {
        listRv = token.section(QLatin1Char(':'), 0, 0).toLongLong();
        offset = token.section(QLatin1Char(':'), 1, 1).toInt();
        if (listRv < m_floor || !m_snapshots.contains(listRv))
            return status(410, QStringLiteral("Expired"),
                          QStringLiteral("The provided continue parameter is too old"));
    } else if (!m_snapshots.contains(listRv)) {
        m_snapshots.insert(listRv, m_objects.values());
    }
    const QList<QJsonObject> all = m_snapshots.value(listRv);
    const int end = limit > 0 ? std::min<int>(int(all.size()), offset + limit) : int(all.size());
    QJsonArray items;
    for (int i = offset; i < end; ++i) {
        QJsonObject item = all[i];
        item.remove(QStringLiteral("kind"));
        item.remove(QStringLiteral("apiVersion"));
        items.append(item);
    }
    QJsonObject metadata{{QStringLiteral("resourceVersion"), QString::number(listRv)}};
    if (end < all.size())
        metadata.insert(QStringLiteral("continue"),
                        QString(QString::number(listRv) + QLatin1Char(':') + QString::number(end)));
    return json(200, QJsonObject{{QStringLiteral("kind"), QStringLiteral("ConfigMapList")},
                                 {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                 {QStringLiteral("metadata"), metadata},
                                 {QStringLiteral("items"), items}});
}

void FakeCollection::streamOpened(QTcpSocket* socket, const Request& request) {
    QMutexLocker lock(&m_stateMutex);
    ++m_watchStarts;
    const qint64 from = request.query.queryItemValue(QStringLiteral("resourceVersion")).toLongLong();
    if (from < m_floor) {
        writeStream(socket,
                    eventLine("ERROR", QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                                                   {QStringLiteral("code"), 410},
                                                   {QStringLiteral("reason"), QStringLiteral("Expired")},
                                                   {QStringLiteral("message"), QStringLiteral("too old")}}));
        endStream(socket);
        return;
    }
    QByteArray replay;
    for (const Event& e : std::as_const(m_log)) {
        if (e.rv > from)
            replay += eventLine(e.type, e.object);
    }
    replay += eventLine(
        "BOOKMARK", QJsonObject{{QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                                {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                {QStringLiteral("metadata"),
                                 QJsonObject{{QStringLiteral("resourceVersion"), QString::number(m_rv)}}}});
    writeStream(socket, replay);
    m_watchers.insert(socket, from);
}

void FakeCollection::streamClosed(QTcpSocket* socket) {
    m_watchers.remove(socket);
}

} // namespace driftdeck::kube::test
