#include "kube/apitypes.h"

#include "kube/redaction.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace driftdeck::kube {

QString byteSize(qint64 bytes) {
    constexpr qint64 kMiB = 1024 * 1024;
    const QString exact = QString::number(bytes) + QStringLiteral(" bytes");
    if (bytes < kMiB)
        return exact;
    return QString::number(bytes / kMiB) + QStringLiteral(" MiB (") + exact + QLatin1Char(')');
}

bool ApiRequest::isIdempotent() const {
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
           method == "OPTIONS";
}

std::optional<ApiStatus> ApiStatus::fromObject(const QJsonObject& object) {
    if (object.value(QLatin1String("kind")).toString() != QLatin1String("Status"))
        return std::nullopt;
    ApiStatus s;
    s.code = object.value(QLatin1String("code")).toInt();
    s.reason = object.value(QLatin1String("reason")).toString();
    s.message = object.value(QLatin1String("message")).toString();
    const QJsonObject details = object.value(QLatin1String("details")).toObject();
    s.retryAfterSeconds = details.value(QLatin1String("retryAfterSeconds")).toInt();
    for (const QJsonValue& c : details.value(QLatin1String("causes")).toArray()) {
        const QJsonObject o = c.toObject();
        s.causes.append({o.value(QLatin1String("reason")).toString(),
                         o.value(QLatin1String("message")).toString(),
                         o.value(QLatin1String("field")).toString()});
    }
    return s;
}

std::optional<ApiStatus> ApiStatus::parse(const QByteArray& body) {
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isObject())
        return std::nullopt;
    return fromObject(doc.object());
}

QJsonObject ApiReply::json() const {
    return QJsonDocument::fromJson(body).object();
}

Error errorForStatus(int httpStatus, const ApiStatus& status, const QString& cluster, const QString& what) {
    Error::Code code = Error::Code::Internal;
    QString fallback;
    switch (httpStatus) {
    case 400:
    case 422:
        code = Error::Code::Invalid;
        fallback = QStringLiteral("the request is invalid");
        break;
    case 401:
        code = Error::Code::Unauthorized;
        fallback = QStringLiteral("the cluster did not accept the credentials (401 Unauthorized)");
        break;
    case 403:
        code = Error::Code::Forbidden;
        fallback = QStringLiteral("forbidden (403)");
        break;
    case 404:
        code = Error::Code::NotFound;
        fallback = QStringLiteral("not found (404)");
        break;
    case 409:
        code = Error::Code::Conflict;
        fallback = QStringLiteral("conflict (409)");
        break;
    case 410:
        // Kept apart by ApiReply::isGone(): callers relist instead of failing.
        code = Error::Code::Conflict;
        fallback = QStringLiteral("the requested resourceVersion has expired (410 Gone)");
        break;
    case 413:
        code = Error::Code::TooLarge;
        fallback = QStringLiteral("request too large (413)");
        break;
    case 429:
        code = Error::Code::Unavailable;
        fallback = QStringLiteral("the cluster is throttling requests (429 Too Many Requests)");
        break;
    default:
        code = httpStatus >= 500 ? Error::Code::Unavailable : Error::Code::Internal;
        fallback = QStringLiteral("HTTP ") + QString::number(httpStatus);
        break;
    }
    const QString message = status.message.isEmpty() ? fallback : status.message;
    QStringList detail;
    if (!status.reason.isEmpty())
        detail << QStringLiteral("reason: ") + status.reason;
    for (const StatusCause& c : status.causes)
        detail << QStringLiteral("cause: ") + c.reason + QStringLiteral(" ") + c.field +
                      QStringLiteral(": ") + c.message;
    Error error = kubeError(code, cluster + QStringLiteral(": ") + what + QStringLiteral(": ") + message,
                            detail.join(QLatin1Char('\n')));
    error.context.cluster = cluster;
    error.context.httpStatus = httpStatus;
    error.context.retryable = httpStatus == 429 || httpStatus >= 500;
    return error;
}

} // namespace driftdeck::kube
