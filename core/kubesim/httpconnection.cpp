#include "kubesim/httpconnection.h"

#include <QUrl>

namespace driftdeck::kubesim {

QByteArray reasonPhrase(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 413:
        return "Request Entity Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

HttpConnection::HttpConnection(QSslSocket* socket, QObject* parent)
    : QObject(parent)
    , m_socket(socket) {
    socket->setParent(this);
    // Responses are small and written whole; without TCP_NODELAY they wait for delayed ACKs.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QSslSocket::readyRead, this, &HttpConnection::readAvailable);
    connect(socket, &QSslSocket::disconnected, this, &HttpConnection::closed);
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::readAvailable, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::close() {
    if (m_socket) {
        m_socket->disconnectFromHost();
        if (m_socket && m_socket->state() != QAbstractSocket::UnconnectedState)
            m_socket->abort();
    }
}

void HttpConnection::readAvailable() {
    if (!m_socket)
        return;
    m_buffer.append(m_socket->readAll());
    while (!m_busy) {
        if (!m_haveHead && !parseHead())
            return;
        if (m_chunkedBody) {
            if (!parseChunkedBody())
                return;
        } else {
            if (m_contentLength > kMaxBody) {
                // Too large to keep: discard the body as it arrives (so the client gets to read the
                // 413 rather than a reset), answer, then close.
                const qsizetype take = qMin(m_buffer.size(), m_contentLength - m_discarded);
                m_buffer.remove(0, take);
                m_discarded += take;
                if (m_discarded < m_contentLength)
                    return;
                m_discarded = 0;
                m_closeAfterResponse = true;
                finishRequest();
                return;
            }
            if (m_buffer.size() < m_contentLength)
                return;
            m_request.body = m_buffer.left(m_contentLength);
            m_buffer.remove(0, m_contentLength);
        }
        finishRequest();
    }
}

bool HttpConnection::parseHead() {
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_buffer.size() > 64 * 1024)
            close();
        return false;
    }
    const QList<QByteArray> lines = m_buffer.left(end).split('\n');
    m_buffer.remove(0, end + 4);
    m_request = HttpRequest();
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() < 3) {
        close();
        return false;
    }
    m_request.method = requestLine.at(0);
    const QUrl url = QUrl::fromEncoded(requestLine.at(1));
    m_request.path = url.path(QUrl::FullyDecoded);
    // Go clients (kubectl, client-go) send a space in the query as `+` (form encoding), and a literal
    // plus as %2B; QUrlQuery leaves `+` alone, so make it a space before decoding.
    m_request.query =
        QUrlQuery(url.query(QUrl::FullyEncoded).replace(QLatin1Char('+'), QStringLiteral("%20")));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray& line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            m_request.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    m_chunkedBody = m_request.header("transfer-encoding").toLower().contains("chunked");
    m_contentLength = m_request.header("content-length").toLongLong();
    m_closeAfterResponse = m_request.header("connection").toLower() == "close";
    if (m_request.header("expect").toLower() == "100-continue") {
        // The client waits for a go-ahead before sending the body; for an oversized body it gets
        // the 413 instead and sends nothing, so there is nothing to skip.
        if (m_contentLength > kMaxBody)
            m_discarded = m_contentLength;
        else
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    }
    m_haveHead = true;
    return true;
}

bool HttpConnection::parseChunkedBody() {
    for (;;) {
        const qsizetype lineEnd = m_buffer.indexOf("\r\n");
        if (lineEnd < 0)
            return false;
        bool ok = false;
        const qsizetype size = m_buffer.left(lineEnd).split(';').value(0).trimmed().toLongLong(&ok, 16);
        if (!ok) {
            close();
            return false;
        }
        if (size == 0) {
            const qsizetype trailerEnd = m_buffer.indexOf("\r\n", lineEnd + 2);
            if (trailerEnd < 0)
                return false;
            m_buffer.remove(0, trailerEnd + 2);
            return true;
        }
        if (m_buffer.size() < lineEnd + 2 + size + 2)
            return false;
        m_request.body.append(m_buffer.mid(lineEnd + 2, size));
        m_buffer.remove(0, lineEnd + 2 + size + 2);
        if (m_request.body.size() > kMaxBody) {
            m_contentLength = m_request.body.size();
            m_closeAfterResponse = true;
            m_buffer.clear();
            return true;
        }
    }
}

void HttpConnection::finishRequest() {
    m_haveHead = false;
    m_busy = true;
    if (m_chunkedBody && m_request.body.size() > kMaxBody)
        m_contentLength = m_request.body.size();
    if (!m_chunkedBody)
        m_contentLength = qMax(m_contentLength, m_request.body.size());
    HttpRequest request = std::move(m_request);
    if (m_contentLength > kMaxBody)
        request.headers.insert("x-kubesim-body-too-large", "1");
    m_request = HttpRequest();
    if (onRequest)
        onRequest(this, std::move(request));
}

QByteArray HttpConnection::responseHead(int status, const QByteArray& contentType,
                                        const QList<std::pair<QByteArray, QByteArray>>& headers,
                                        qint64 contentLength) const {
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    head += "Content-Type: " + contentType + "\r\n";
    head += "Cache-Control: no-cache, private\r\n";
    for (const auto& [name, value] : headers)
        head += name + ": " + value + "\r\n";
    if (contentLength >= 0)
        head += "Content-Length: " + QByteArray::number(contentLength) + "\r\n";
    else
        head += "Transfer-Encoding: chunked\r\n";
    if (m_closeAfterResponse)
        head += "Connection: close\r\n";
    head += "\r\n";
    return head;
}

void HttpConnection::respond(const HttpResponse& response) {
    if (!m_socket)
        return;
    m_socket->write(
        responseHead(response.status, response.contentType, response.headers, response.body.size()) +
        response.body);
    m_busy = false;
    if (m_closeAfterResponse) {
        m_socket->disconnectFromHost();
        return;
    }
    if (!m_buffer.isEmpty())
        QMetaObject::invokeMethod(this, &HttpConnection::readAvailable, Qt::QueuedConnection);
}

void HttpConnection::beginStream(int status, const QByteArray& contentType) {
    if (!m_socket)
        return;
    m_streaming = true;
    m_socket->write(responseHead(status, contentType, {}, -1));
}

void HttpConnection::writeChunk(const QByteArray& data) {
    if (!m_socket || data.isEmpty())
        return;
    m_socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
}

void HttpConnection::endStream() {
    if (!m_socket || !m_streaming)
        return;
    m_socket->write("0\r\n\r\n");
    m_streaming = false;
    m_busy = false;
    if (m_closeAfterResponse) {
        m_socket->disconnectFromHost();
        return;
    }
    if (!m_buffer.isEmpty())
        QMetaObject::invokeMethod(this, &HttpConnection::readAvailable, Qt::QueuedConnection);
}

} // namespace driftdeck::kubesim
