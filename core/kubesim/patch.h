#pragma once

#include "kubeobj/jsonmerge.h"
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

using kubeobj::mergeJson;

ApiError badRequest(const QString& message);
ApiError invalid(const QString& message);

} // namespace driftdeck::kubesim::patch
