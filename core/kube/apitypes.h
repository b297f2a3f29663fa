#pragma once

#include "model/error.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <chrono>
#include <optional>

namespace driftdeck::kube {

struct ApiRequest {
    QByteArray method = "GET";
    QString path; // "/api/v1/namespaces/default/configmaps"
    QUrlQuery query;
    QByteArray body;
    QByteArray contentType;                           // defaults to application/json when there is a body
    std::optional<std::chrono::milliseconds> timeout; // default: the cluster's requestTimeout
    int maxRetries = -1;                              // default: the cluster's maxRetries

    // GET, HEAD, PUT, DELETE, OPTIONS may be repeated after a connection error or a 5xx.
    bool isIdempotent() const;
};

struct StatusCause {
    QString reason;
    QString message;
    QString field;
};

// A Kubernetes `kind: Status` failure body.
struct ApiStatus {
    int code = 0;
    QString reason; // NotFound, Conflict, Expired, Gone, TooManyRequests, ...
    QString message;
    QList<StatusCause> causes;
    int retryAfterSeconds = 0;

    static std::optional<ApiStatus> parse(const QByteArray& body);
    static std::optional<ApiStatus> fromObject(const QJsonObject& object);
};

struct ApiReply {
    int httpStatus = 0; // 0 when no HTTP response arrived (connection, TLS, timeout, cancel)
    QByteArray body;
    std::optional<Error> error; // set on failure; message and detail are redacted
    ApiStatus status;           // parsed from a failure body when it was a Status
    int attempts = 0;
    int retryAfterSeconds = 0; // from the Retry-After header or the Status details
    bool http2 = false;        // the exchange used HTTP/2 (negotiated by ALPN on TLS)
    // The server classified the request by API Priority and Fairness (X-Kubernetes-PF-* headers):
    // it protects itself, so the client stops throttling itself (ConnectionSettings).
    bool serverFlowControl = false;
    int throttledMs = 0; // how long the client-side rate limiter held the request back

    bool ok() const { return !error.has_value(); }
    // 410: the resourceVersion asked for is too old (watch, list continue token).
    bool isGone() const { return httpStatus == 410 || status.code == 410; }
    QJsonObject json() const;
};

// "16 MiB (16777216 bytes)", or "4096 bytes" below a MiB: limits named in messages.
QString byteSize(qint64 bytes);

// Maps a failed HTTP exchange to driftdeck::Error, keeping the server's own message:
// 401 Unauthorized, 403 Forbidden, 404 NotFound, 409 Conflict, 410 Conflict ("expired"),
// 422/400 Invalid, 413 TooLarge, 429 and 5xx Unavailable.
Error errorForStatus(int httpStatus, const ApiStatus& status, const QString& cluster, const QString& what);

} // namespace driftdeck::kube

Q_DECLARE_METATYPE(driftdeck::kube::ApiReply)
