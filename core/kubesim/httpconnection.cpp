#include "kubesim/httpconnection.h"

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
    m_parser.append(m_socket->readAll());
    while (!m_busy) {
        switch (m_parser.next()) {
        case HttpRequestParser::Step::NeedMore:
            return;
        case HttpRequestParser::Step::Malformed:
            close();
            return;
        case HttpRequestParser::Step::SendContinue:
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            break;
        case HttpRequestParser::Step::Request: {
            m_busy = true;
            m_closeAfterResponse = m_parser.closeAfterResponse();
            HttpRequest request = m_parser.takeRequest();
            if (onRequest)
                onRequest(this, std::move(request));
            break;
        }
        }
    }
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
    if (m_parser.hasBufferedBytes())
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
    if (m_parser.hasBufferedBytes())
        QMetaObject::invokeMethod(this, &HttpConnection::readAvailable, Qt::QueuedConnection);
}

} // namespace driftdeck::kubesim
