#include "kubesim/patch.h"
#include "kubesim/semantics.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace driftdeck::kubesim {
namespace patch {

std::variant<QJsonValue, ApiError> parseBody(const QByteArray& body) {
    // QJsonDocument reads only arrays and objects at the top; that is all a patch can be.
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || doc.isNull())
        return badRequest(QStringLiteral("error decoding patch: invalid JSON at offset %1: %2")
                              .arg(error.offset)
                              .arg(error.errorString()));
    if (doc.isArray())
        return QJsonValue(doc.array());
    return QJsonValue(doc.object());
}

ApiError badRequest(const QString& message) {
    return ApiError{400, QStringLiteral("BadRequest"), message, {}};
}

ApiError invalid(const QString& message) {
    return ApiError{422, QStringLiteral("Invalid"), message, {}};
}

} // namespace patch

std::variant<QJsonObject, ApiError> mergePatch(const KindRef& kind, const QJsonObject& live,
                                               const QByteArray& patchJson) {
    Q_UNUSED(kind); // merge patch knows no types: lists are always replaced
    auto parsed = patch::parseBody(patchJson);
    if (auto* error = std::get_if<ApiError>(&parsed))
        return *error;
    const QJsonValue p = std::get<QJsonValue>(parsed);
    if (!p.isObject())
        return patch::badRequest(
            QStringLiteral("json: cannot unmarshal array into Go value of type map[string]interface {}"));
    return patch::mergeJson(live, p).toObject();
}

} // namespace driftdeck::kubesim
