#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QUrlQuery>

// HTTP/1.1 request framing without I/O: bytes go in with append(), complete requests come out of
// next(). HttpConnection owns the socket and the responses; this owns the parsing rules and their
// limits, so they can be tested and fuzzed on their own (fuzz/http_request.cpp).
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

class HttpRequestParser {
public:
    static constexpr qsizetype kMaxHead = 64 * 1024;
    static constexpr qsizetype kMaxBody = 3 * 1024 * 1024; // the real server's request limit
    // Set on a request whose body exceeded kMaxBody: the body is dropped and the server answers 413.
    static constexpr const char* kBodyTooLargeHeader = "x-kubesim-body-too-large";

    enum class Step {
        NeedMore,     // wait for more bytes
        SendContinue, // `Expect: 100-continue`: write "100 Continue", then call next() again
        Request,      // a complete request: takeRequest()
        Malformed,    // the stream cannot be read further: close the connection
    };

    // Bytes after a request that closes the connection are not read: the stream ends there.
    void append(const QByteArray& data) {
        if (!m_finished)
            m_buffer.append(data);
    }
    // Advances as far as the buffered bytes allow. After Request, call next() again only once the
    // request has been answered: requests on one connection are served in order.
    Step next();
    HttpRequest takeRequest();
    // The request just taken asked for `Connection: close`, or its body was too large to keep.
    bool closeAfterResponse() const { return m_closeAfterResponse; }
    bool hasBufferedBytes() const { return !m_buffer.isEmpty(); }

private:
    enum class Progress { NeedMore, Done, Malformed };
    Progress parseHead();
    Progress readLengthBody();
    Progress readChunkedBody();

    QByteArray m_buffer;
    HttpRequest m_request;
    bool m_haveHead = false;
    bool m_continuePending = false;
    bool m_chunkedBody = false;
    qsizetype m_contentLength = 0;
    qsizetype m_discarded = 0; // bytes of an oversized body skipped so far
    bool m_bodyTooLarge = false;
    bool m_closeAfterResponse = false;
    bool m_finished = false; // a request that closes the connection was read
};

} // namespace driftdeck::kubesim
