#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslSocket>
#include <QString>
#include <QUrlQuery>

#include <functional>

namespace driftdeck::kubesim {

struct HttpRequest {
    QByteArray method;
    QString path; // decoded, without the query
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;
    QString user; // set by the server after authentication

    QByteArray header(const char* name) const { return headers.value(QByteArray(name)); }
    QString queryValue(const char* name) const {
        return query.queryItemValue(QString::fromLatin1(name), QUrl::FullyDecoded);
    }
};

struct HttpResponse {
    int status = 200;
    QByteArray contentType = "application/json";
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
};

// One HTTP/1.1 keep-alive connection over TLS: parses requests one at a time (Content-Length or
// chunked bodies), writes responses, and can turn into a chunked stream for a watch.
class HttpConnection : public QObject {
    Q_OBJECT
public:
    static constexpr qsizetype kMaxBody = 3 * 1024 * 1024; // the real server's request limit

    HttpConnection(QSslSocket* socket, QObject* parent = nullptr);
    ~HttpConnection() override;

    // Called for every complete request; the handler must answer with respond() or a stream.
    std::function<void(HttpConnection*, HttpRequest)> onRequest;

    QSslSocket* socket() const { return m_socket; }
    void respond(const HttpResponse& response);
    // A chunked response that stays open (watch); each writeChunk() is one chunk.
    void beginStream(int status, const QByteArray& contentType);
    void writeChunk(const QByteArray& data);
    void endStream();
    bool streaming() const { return m_streaming; }
    void close();

Q_SIGNALS:
    void closed();

private:
    void readAvailable();
    bool parseHead();
    bool parseChunkedBody();
    void finishRequest();
    QByteArray responseHead(int status, const QByteArray& contentType,
                            const QList<std::pair<QByteArray, QByteArray>>& headers,
                            qint64 contentLength) const;

    QPointer<QSslSocket> m_socket;
    QByteArray m_buffer;
    HttpRequest m_request;
    bool m_haveHead = false;
    bool m_chunkedBody = false;
    qsizetype m_contentLength = 0;
    qsizetype m_discarded = 0; // bytes of an oversized body skipped so far
    bool m_busy = false;       // a request is being answered; later ones wait in the buffer
    bool m_streaming = false;
    bool m_closeAfterResponse = false;
};

QByteArray reasonPhrase(int status);

} // namespace driftdeck::kubesim
