#include "kubesim/httprequestparser.h"

#include <QList>
#include <QUrl>

namespace driftdeck::kubesim {

HttpRequestParser::Step HttpRequestParser::next() {
    if (m_finished)
        return Step::NeedMore;
    if (!m_haveHead) {
        switch (parseHead()) {
        case Progress::NeedMore:
            return Step::NeedMore;
        case Progress::Malformed:
            return Step::Malformed;
        case Progress::Done:
            break;
        }
    }
    if (m_continuePending) {
        m_continuePending = false;
        return Step::SendContinue;
    }
    switch (m_chunkedBody ? readChunkedBody() : readLengthBody()) {
    case Progress::NeedMore:
        return Step::NeedMore;
    case Progress::Malformed:
        return Step::Malformed;
    case Progress::Done:
        break;
    }
    m_haveHead = false;
    if (m_bodyTooLarge) {
        m_request.body.clear();
        m_request.headers.insert(kBodyTooLargeHeader, "1");
        m_closeAfterResponse = true;
    }
    if (m_closeAfterResponse) {
        m_finished = true;
        m_buffer.clear();
    }
    return Step::Request;
}

HttpRequest HttpRequestParser::takeRequest() {
    HttpRequest request = std::move(m_request);
    m_request = HttpRequest();
    return request;
}

HttpRequestParser::Progress HttpRequestParser::parseHead() {
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return m_buffer.size() > kMaxHead ? Progress::Malformed : Progress::NeedMore;
    if (end > kMaxHead)
        return Progress::Malformed;
    const QList<QByteArray> lines = m_buffer.left(end).split('\n');
    m_buffer.remove(0, end + 4);
    m_request = HttpRequest();
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() < 3)
        return Progress::Malformed;
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
    m_contentLength = 0;
    if (!m_chunkedBody && m_request.headers.contains("content-length")) {
        bool ok = false;
        m_contentLength = m_request.header("content-length").toLongLong(&ok);
        if (!ok || m_contentLength < 0)
            return Progress::Malformed; // the real server answers 400; we cannot frame the body
    }
    m_discarded = 0;
    m_bodyTooLarge = m_contentLength > kMaxBody;
    m_closeAfterResponse = m_request.header("connection").toLower() == "close";
    // The client waits for a go-ahead before sending the body; for an oversized body it gets the
    // 413 instead and sends nothing, so there is nothing to skip.
    if (m_request.header("expect").toLower() == "100-continue") {
        if (m_bodyTooLarge)
            m_discarded = m_contentLength;
        else
            m_continuePending = true;
    }
    m_haveHead = true;
    return Progress::Done;
}

HttpRequestParser::Progress HttpRequestParser::readLengthBody() {
    if (m_bodyTooLarge) {
        // Too large to keep: discard the body as it arrives (so the client gets to read the 413
        // rather than a reset).
        const qsizetype take = qMin(m_buffer.size(), m_contentLength - m_discarded);
        m_buffer.remove(0, take);
        m_discarded += take;
        return m_discarded < m_contentLength ? Progress::NeedMore : Progress::Done;
    }
    if (m_buffer.size() < m_contentLength)
        return Progress::NeedMore;
    m_request.body = m_buffer.left(m_contentLength);
    m_buffer.remove(0, m_contentLength);
    return Progress::Done;
}

HttpRequestParser::Progress HttpRequestParser::readChunkedBody() {
    for (;;) {
        const qsizetype lineEnd = m_buffer.indexOf("\r\n");
        if (lineEnd < 0)
            return m_buffer.size() > kMaxHead ? Progress::Malformed : Progress::NeedMore;
        bool ok = false;
        const qlonglong size = m_buffer.left(lineEnd).split(';').value(0).trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0)
            return Progress::Malformed;
        if (size == 0) {
            // The last chunk, then optional trailer lines, then an empty line.
            const qsizetype trailerEnd = m_buffer.indexOf("\r\n\r\n", lineEnd);
            if (trailerEnd < 0)
                return m_buffer.size() > kMaxHead ? Progress::Malformed : Progress::NeedMore;
            m_buffer.remove(0, trailerEnd + 4);
            return Progress::Done;
        }
        if (size > kMaxBody - m_request.body.size()) {
            // Never buffer what will be refused: the rest of the stream cannot be framed reliably
            // once we stop reading chunks, so the connection closes after the 413.
            m_bodyTooLarge = true;
            m_buffer.clear();
            return Progress::Done;
        }
        if (m_buffer.size() < lineEnd + 2 + size + 2)
            return Progress::NeedMore;
        if (m_buffer.mid(lineEnd + 2 + size, 2) != "\r\n")
            return Progress::Malformed;
        m_request.body.append(m_buffer.mid(lineEnd + 2, size));
        m_buffer.remove(0, lineEnd + 2 + size + 2);
    }
}

} // namespace driftdeck::kubesim
