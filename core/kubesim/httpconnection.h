#pragma once

#include "kubesim/httprequestparser.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslSocket>
#include <QString>

#include <functional>

namespace driftdeck::kubesim {

struct HttpResponse {
    int status = 200;
    QByteArray contentType = "application/json";
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
};

// One HTTP/1.1 keep-alive connection over TLS: reads requests one at a time through an
// HttpRequestParser, writes responses, and can turn into a chunked stream for a watch.
class HttpConnection : public QObject {
    Q_OBJECT
public:
    static constexpr qsizetype kMaxBody = HttpRequestParser::kMaxBody;

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
    QByteArray responseHead(int status, const QByteArray& contentType,
                            const QList<std::pair<QByteArray, QByteArray>>& headers,
                            qint64 contentLength) const;

    QPointer<QSslSocket> m_socket;
    HttpRequestParser m_parser;
    bool m_busy = false; // a request is being answered; later ones wait in the buffer
    bool m_streaming = false;
    bool m_closeAfterResponse = false;
};

QByteArray reasonPhrase(int status);

} // namespace driftdeck::kubesim
