// The kubesim HTTP/1.1 request parser. The first byte sets how the rest is cut into reads (as a
// socket may deliver it); the requests parsed must not depend on that cut. No request may carry a
// body beyond the limit.

#include "fuzzsupport.h"
#include "kubesim/httprequestparser.h"

using namespace driftdeck;
using kubesim::HttpRequestParser;

namespace {

// One line per parser event, enough to compare two runs.
QByteArray run(const QByteArray& stream, qsizetype readSize) {
    HttpRequestParser parser;
    QByteArray events;
    qsizetype offset = 0;
    for (;;) {
        const HttpRequestParser::Step step = parser.next();
        if (step == HttpRequestParser::Step::NeedMore) {
            if (offset >= stream.size())
                return events + "end\n";
            parser.append(stream.mid(offset, readSize));
            offset += readSize;
            continue;
        }
        if (step == HttpRequestParser::Step::Malformed)
            return events + "malformed\n";
        if (step == HttpRequestParser::Step::SendContinue) {
            events += "continue\n";
            continue;
        }
        const kubesim::HttpRequest request = parser.takeRequest();
        if (request.body.size() > HttpRequestParser::kMaxBody)
            fuzz::propertyFailed("a request body beyond kMaxBody",
                                 QByteArray::number(HttpRequestParser::kMaxBody),
                                 QByteArray::number(request.body.size()));
        QList<QByteArray> headerNames = request.headers.keys();
        std::sort(headerNames.begin(), headerNames.end());
        events += "request " + request.method + ' ' + request.path.toUtf8() + '?' +
                  request.query.toString().toUtf8();
        for (const QByteArray& name : headerNames)
            events += ' ' + name + '=' + request.headers.value(name);
        events += " body=" + request.body.toHex() + (parser.closeAfterResponse() ? " close\n" : "\n");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    const qsizetype readSize = 1 + data[0] % 16;
    const QByteArray stream = fuzz::bytes(data + 1, size - 1);
    const QByteArray whole = run(stream, qMax<qsizetype>(stream.size(), 1));
    const QByteArray pieces = run(stream, readSize);
    if (whole != pieces)
        fuzz::propertyFailed("the requests depend on how the bytes arrive", whole, pieces);
    return 0;
}
