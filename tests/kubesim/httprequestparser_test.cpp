#include "kubesim/httprequestparser.h"

#include <gtest/gtest.h>

using namespace driftdeck::kubesim;
using Step = HttpRequestParser::Step;

namespace {

HttpRequestParser parserWith(const QByteArray& bytes) {
    HttpRequestParser parser;
    parser.append(bytes);
    return parser;
}

} // namespace

TEST(HttpRequestParser, PipelinedRequestsComeOutInOrder) {
    HttpRequestParser parser = parserWith("POST /api/v1/namespaces/d/configmaps?dryRun=All&a=b+c HTTP/1.1\r\n"
                                          "Content-Length: 2\r\nX-Name:  v \r\n\r\n{}"
                                          "GET /version HTTP/1.1\r\n\r\n");
    ASSERT_EQ(parser.next(), Step::Request);
    const HttpRequest post = parser.takeRequest();
    EXPECT_EQ(post.method, "POST");
    EXPECT_EQ(post.path, QStringLiteral("/api/v1/namespaces/d/configmaps"));
    EXPECT_EQ(post.queryValue("dryRun"), QStringLiteral("All"));
    EXPECT_EQ(post.queryValue("a"), QStringLiteral("b c"));
    EXPECT_EQ(post.header("x-name"), "v");
    EXPECT_EQ(post.body, "{}");
    EXPECT_FALSE(parser.closeAfterResponse());
    ASSERT_EQ(parser.next(), Step::Request);
    EXPECT_EQ(parser.takeRequest().path, QStringLiteral("/version"));
    EXPECT_EQ(parser.next(), Step::NeedMore);
}

TEST(HttpRequestParser, ABodyArrivingInPiecesWaits) {
    HttpRequestParser parser = parserWith("PUT /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nab");
    EXPECT_EQ(parser.next(), Step::NeedMore);
    parser.append("cde");
    ASSERT_EQ(parser.next(), Step::Request);
    EXPECT_EQ(parser.takeRequest().body, "abcde");
}

TEST(HttpRequestParser, ChunkedBodyWithExtensionsAndTrailers) {
    HttpRequestParser parser =
        parserWith("PATCH /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
                   "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n"
                   "GET /next HTTP/1.1\r\n\r\n");
    ASSERT_EQ(parser.next(), Step::SendContinue);
    ASSERT_EQ(parser.next(), Step::Request);
    EXPECT_EQ(parser.takeRequest().body, "abcde");
    ASSERT_EQ(parser.next(), Step::Request); // the trailer was skipped whole
    EXPECT_EQ(parser.takeRequest().path, QStringLiteral("/next"));
}

TEST(HttpRequestParser, MalformedFramingClosesTheConnection) {
    EXPECT_EQ(parserWith("GET /\r\n\r\n").next(), Step::Malformed);
    EXPECT_EQ(parserWith("PUT /x HTTP/1.1\r\nContent-Length: -5\r\n\r\n").next(), Step::Malformed);
    EXPECT_EQ(parserWith("PUT /x HTTP/1.1\r\nContent-Length: 12abc\r\n\r\n").next(), Step::Malformed);
    EXPECT_EQ(parserWith("PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").next(),
              Step::Malformed);
    EXPECT_EQ(parserWith("PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n").next(),
              Step::Malformed);
    EXPECT_EQ(parserWith(QByteArray(HttpRequestParser::kMaxHead + 1, 'a')).next(), Step::Malformed);
}

TEST(HttpRequestParser, AnOversizedChunkIsRefusedWithoutBufferingIt) {
    // Found by fuzz/http_request: what followed the refused chunk was read as another request.
    HttpRequestParser parser =
        parserWith("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\nabc");
    ASSERT_EQ(parser.next(), Step::Request);
    const HttpRequest request = parser.takeRequest();
    EXPECT_EQ(request.header(HttpRequestParser::kBodyTooLargeHeader), "1");
    EXPECT_TRUE(request.body.isEmpty());
    EXPECT_TRUE(parser.closeAfterResponse());
    parser.append("GET /smuggled HTTP/1.1\r\n\r\n");
    EXPECT_EQ(parser.next(), Step::NeedMore);
    EXPECT_FALSE(parser.hasBufferedBytes());
}

TEST(HttpRequestParser, AnOversizedLengthBodyIsSkippedAsItArrives) {
    const qsizetype size = HttpRequestParser::kMaxBody + 1;
    HttpRequestParser parser =
        parserWith("PUT /x HTTP/1.1\r\nContent-Length: " + QByteArray::number(size) + "\r\n\r\n");
    parser.append(QByteArray(size - 1, 'x'));
    EXPECT_EQ(parser.next(), Step::NeedMore);
    EXPECT_FALSE(parser.hasBufferedBytes());
    parser.append("x");
    ASSERT_EQ(parser.next(), Step::Request);
    EXPECT_EQ(parser.takeRequest().header(HttpRequestParser::kBodyTooLargeHeader), "1");
    EXPECT_TRUE(parser.closeAfterResponse());
}
