#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QUrlQuery>

#include <atomic>
#include <functional>
#include <optional>

class QTcpServer;
class QTcpSocket;
class QThread;

namespace driftdeck::kube::test {

// A small HTTP/1.1 server on 127.0.0.1, on its own thread, for the client's behaviour before (and
// beside) kubesim: canned replies, streamed watch responses, dropped connections.
class TestApiServer : public QObject {
    Q_OBJECT
public:
    struct Request {
        QByteArray method;
        QString path;
        QUrlQuery query;
        QHash<QByteArray, QByteArray> headers; // names in lower case
        QByteArray body;
    };
    struct Reply {
        int status = 200;
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
        bool drop = false;   // close the connection without answering
        bool stream = false; // keep a chunked response open (watch); see streamTo()
        int delayMs = 0;     // answer later (timeouts)
    };
    using Handler = std::function<Reply(const Request&)>;

    TestApiServer();
    ~TestApiServer() override;

    // Starts listening; the handler runs on the server's thread.
    void start(Handler handler);
    // Closes every connection and ends the server thread; the destructor does it too.
    void stop();
    QString url() const;
    QList<Request> requests() const;
    int requestCount() const { return m_count.load(); }

    static Reply json(int status, const QJsonObject& body);
    static Reply status(int code, const QString& reason, const QString& message);

protected:
    virtual Reply handle(const Request& request);
    // Streams opened by a Reply with stream=true, by id; write or end them on the server thread.
    void writeStream(QTcpSocket* socket, const QByteArray& data);
    void endStream(QTcpSocket* socket);
    void dropSocket(QTcpSocket* socket);
    virtual void streamOpened(QTcpSocket* socket, const Request& request);
    virtual void streamClosed(QTcpSocket* socket);
    // Runs `f` on the server thread and waits for it.
    void onServerThread(const std::function<void()>& f);

private:
    void onConnection();
    void onReadable(QTcpSocket* socket);
    void respond(QTcpSocket* socket, const Request& request, const Reply& reply);

    Handler m_handler;
    QThread* m_thread = nullptr;
    QTcpServer* m_server = nullptr;
    quint16 m_port = 0;
    QHash<QTcpSocket*, QByteArray> m_buffers;
    mutable QMutex m_mutex;
    QList<Request> m_requests;
    std::atomic<int> m_count{0};
};

// A resource collection (ConfigMaps in one namespace) with list pagination, watch streams and
// fault injection, on top of TestApiServer — enough of the API for the live cache.
class FakeCollection : public TestApiServer {
    Q_OBJECT
public:
    FakeCollection();
    ~FakeCollection() override;

    void start();
    // Changes, applied on the server thread; watchers see them at once.
    void put(const QString& name, const QJsonObject& data);
    void remove(const QString& name);
    void bulkCreate(int count, const QString& prefix);
    // Faults.
    void dropWatches();            // cut every open watch stream
    void expireHistory();          // resourceVersions before now become "too old" (410)
    void setFailureRate(double r); // share of non-watch requests (and watch starts) answered 500 or 429
    // The objects as the server holds them, "name" -> object.
    QMap<QString, QJsonObject> snapshot() const;
    int watchCount() const { return m_watchStarts.load(); }
    int listCount() const { return m_listCount.load(); }

protected:
    Reply handle(const Request& request) override;
    void streamOpened(QTcpSocket* socket, const Request& request) override;
    void streamClosed(QTcpSocket* socket) override;

private:
    struct Event {
        QByteArray type;
        QJsonObject object;
        qint64 rv;
    };
    QJsonObject makeObject(const QString& name, const QJsonObject& data, qint64 rv) const;
    void record(const QByteArray& type, const QJsonObject& object);

    mutable QMutex m_stateMutex;
    QMap<QString, QJsonObject> m_objects;
    QList<Event> m_log;
    QHash<qint64, QList<QJsonObject>> m_snapshots; // list snapshots by resourceVersion
    qint64 m_rv = 100;
    qint64 m_floor = 0;
    double m_failureRate = 0;
    QHash<QTcpSocket*, qint64> m_watchers;
    std::atomic<int> m_watchStarts{0};
    std::atomic<int> m_listCount{0};
};

} // namespace driftdeck::kube::test
