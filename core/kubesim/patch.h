#pragma once

#include "kubesim/apierror.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <optional>
#include <variant>

// Pieces shared by the three patch formats.
namespace driftdeck::kubesim::patch {

// Parses a patch body; a body that is not JSON gives 400 BadRequest worded like the real server.
std::variant<QJsonValue, ApiError> parseBody(const QByteArray& body);

// RFC 7386 merge of `patch` into `target` (null deletes, objects merge, everything else replaces).
QJsonValue mergeJson(const QJsonValue& target, const QJsonValue& patch);

ApiError badRequest(const QString& message);
ApiError invalid(const QString& message);

} // namespace driftdeck::kubesim::patch
