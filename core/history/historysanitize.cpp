#include "history/historysanitize_p.h"
#include "model/redact.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace driftdeck::history::detail {
namespace {

// Identifier-like fields (names, revisions) are not free text, but a hostile caller could still
// send megabytes; they get a generous cap without a note.
constexpr int kMaxNameLength = 1024;
constexpr int kMaxJsonDepth = 32;

QString truncationNote(qsizetype dropped) {
    return QStringLiteral(" [truncated: %1 more characters]").arg(dropped);
}

QString capped(const QString& text, int maxLength) {
    if (text.size() <= maxLength)
        return text;
    return text.left(maxLength) + truncationNote(text.size() - maxLength);
}

bool credentialKey(const QString& key) {
    static const QRegularExpression pattern(
        QStringLiteral("token|password|passwd|secret|credential|private[-_]?key|client[-_]?key|bearer|"
                       "authorization|api[-_]?key"),
        QRegularExpression::CaseInsensitiveOption);
    return pattern.match(key).hasMatch();
}

QJsonValue safeValue(const QString& key, const QJsonValue& value, int depth);

QJsonArray safeArray(const QString& key, const QJsonArray& array, int depth) {
    QJsonArray out;
    for (const QJsonValue& item : array)
        out.append(safeValue(key, item, depth + 1));
    return out;
}

QJsonObject safeObject(const QJsonObject& object, int depth) {
    QJsonObject out;
    for (auto it = object.begin(); it != object.end(); ++it)
        out.insert(capped(it.key(), kMaxNameLength), safeValue(it.key(), it.value(), depth + 1));
    return out;
}

QJsonValue safeValue(const QString& key, const QJsonValue& value, int depth) {
    if (depth > kMaxJsonDepth)
        return QStringLiteral("[truncated: nested too deep]");
    if (credentialKey(key) && !value.isNull() && !value.isBool())
        return QStringLiteral("<redacted>");
    if (value.isString())
        return safeText(value.toString());
    if (value.isArray())
        return safeArray(key, value.toArray(), depth);
    if (value.isObject())
        return safeObject(value.toObject(), depth);
    return value;
}

} // namespace

QString safeText(const QString& text, int maxLength) {
    // Redact first: capping first could cut a credential in half and leave a piece the redactor no
    // longer recognises. The redactor's own cost is bounded by a window far larger than what is kept.
    constexpr qsizetype kRedactWindow = 16 * HistoryLimits::maxTextLength;
    const qsizetype window = std::min(text.size(), kRedactWindow);
    QString redacted = redactCredentials(text.left(window));
    qsizetype dropped = text.size() - window;
    if (redacted.size() > maxLength) {
        dropped += redacted.size() - maxLength;
        redacted.truncate(maxLength);
    }
    if (dropped > 0)
        redacted += truncationNote(dropped);
    return redacted;
}

QJsonObject safeOptions(const QJsonObject& options) {
    QJsonObject safe = safeObject(options, 0);
    const qsizetype bytes = QJsonDocument(safe).toJson(QJsonDocument::Compact).size();
    if (bytes <= HistoryLimits::maxOptionsBytes)
        return safe;
    QJsonObject note;
    note.insert(QStringLiteral("truncated"),
                QStringLiteral("the options were %1 bytes, more than the %2 bytes a record keeps")
                    .arg(bytes)
                    .arg(HistoryLimits::maxOptionsBytes));
    return note;
}

OperationRecord sanitised(OperationRecord record) {
    record.user = capped(record.user, kMaxNameLength);
    record.kind = capped(record.kind, kMaxNameLength);
    record.application = capped(record.application, kMaxNameLength);
    record.cluster = capped(record.cluster, kMaxNameLength);
    record.revision = capped(record.revision, kMaxNameLength);
    record.revisionLabel = safeText(record.revisionLabel, kMaxNameLength);
    record.operationId = capped(record.operationId, kMaxNameLength);
    record.outcome = capped(record.outcome, kMaxNameLength);
    record.options = safeOptions(record.options);
    record.error = safeText(record.error);
    if (record.resources.size() > HistoryLimits::maxResources) {
        record.resourcesOmitted += record.resources.size() - HistoryLimits::maxResources;
        record.resources.resize(HistoryLimits::maxResources);
    }
    for (ResourceOutcome& resource : record.resources) {
        resource.group = capped(resource.group, kMaxNameLength);
        resource.kind = capped(resource.kind, kMaxNameLength);
        resource.ns = capped(resource.ns, kMaxNameLength);
        resource.name = capped(resource.name, kMaxNameLength);
        resource.action = capped(resource.action, kMaxNameLength);
        resource.status = capped(resource.status, kMaxNameLength);
        resource.message = safeText(resource.message);
    }
    return record;
}

AppState sanitised(AppState state) {
    state.application = capped(state.application, kMaxNameLength);
    state.pinnedRevision = capped(state.pinnedRevision, kMaxNameLength);
    state.reason = safeText(state.reason);
    return state;
}

} // namespace driftdeck::history::detail
