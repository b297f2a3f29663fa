#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace driftdeck::kubesim {

// A failure as the Kubernetes API reports it: becomes a `kind: Status` body with this HTTP code.
struct ApiError {
    int code = 500;      // HTTP status: 400, 401, 403, 404, 409, 410, 413, 422, 429, 500 ...
    QString reason;      // BadRequest, Unauthorized, Forbidden, NotFound, AlreadyExists, Conflict, Gone,
                         // Expired, Invalid, RequestEntityTooLarge, TooManyRequests, InternalError ...
    QString message;     // human readable, as the real API server words it
    QJsonObject details; // {name, group, kind, causes: [{reason, message, field}], retryAfterSeconds}

    QJsonObject toStatus() const {
        QJsonObject status{{QStringLiteral("kind"), QStringLiteral("Status")},
                           {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                           {QStringLiteral("metadata"), QJsonObject()},
                           {QStringLiteral("status"), QStringLiteral("Failure")},
                           {QStringLiteral("message"), message},
                           {QStringLiteral("reason"), reason},
                           {QStringLiteral("code"), code}};
        if (!details.isEmpty())
            status.insert(QStringLiteral("details"), details);
        return status;
    }
};

} // namespace driftdeck::kubesim
