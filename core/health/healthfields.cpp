#include "health/healthrules_p.h"

#include <cmath>

namespace driftdeck::health::detail {

using namespace Qt::StringLiterals;

namespace {
// Long enough for a kubelet or scheduler message, short enough for one row of a table.
constexpr qsizetype kMaxMessage = 300;
} // namespace

QJsonObject field(const QJsonObject& object, QLatin1StringView key) {
    return object.value(key).toObject();
}

QJsonObject specOf(const QJsonObject& object) {
    return field(object, "spec"_L1);
}

QJsonObject statusOf(const QJsonObject& object) {
    return field(object, "status"_L1);
}

QString text(const QJsonObject& object, QLatin1StringView key) {
    return object.value(key).toString();
}

qint64 number(const QJsonObject& object, QLatin1StringView key, qint64 fallback) {
    const QJsonValue value = object.value(key);
    if (!value.isDouble())
        return fallback;
    const double d = value.toDouble();
    // Outside this range the value is nonsense for a count; keep the cast defined.
    if (!std::isfinite(d) || std::fabs(d) > 9.0e15)
        return fallback;
    return qint64(d);
}

bool has(const QJsonObject& object, QLatin1StringView key) {
    return object.contains(key) && !object.value(key).isNull();
}

QJsonObject findCondition(const QJsonArray& conditions, QLatin1StringView type) {
    for (const QJsonValue& value : conditions) {
        const QJsonObject candidate = value.toObject();
        if (candidate.value("type"_L1).toString() == type)
            return candidate;
    }
    return {};
}

QJsonObject condition(const QJsonObject& object, QLatin1StringView type) {
    return findCondition(statusOf(object).value("conditions"_L1).toArray(), type);
}

bool conditionIs(const QJsonObject& condition, QLatin1StringView status) {
    return condition.value("status"_L1).toString() == status;
}

QString describeCondition(const QJsonObject& condition) {
    const QString reason = text(condition, "reason"_L1);
    const QString message = text(condition, "message"_L1);
    if (reason.isEmpty())
        return message;
    if (message.isEmpty())
        return reason;
    return reason + u": "_s + message;
}

QString oneLine(const QString& message) {
    QString line = message.simplified();
    if (line.size() > kMaxMessage) {
        line.truncate(kMaxMessage);
        line += u"..."_s;
    }
    return line;
}

Health make(HealthStatus status, const QString& message) {
    return Health{status, oneLine(message)};
}

bool generationPending(const QJsonObject& object) {
    return number(field(object, "metadata"_L1), "generation"_L1) >
           number(statusOf(object), "observedGeneration"_L1);
}

QString generationMessage(const QJsonObject& object) {
    return u"waiting for the controller to observe generation %1 (observed %2)"_s
        .arg(number(field(object, "metadata"_L1), "generation"_L1))
        .arg(number(statusOf(object), "observedGeneration"_L1));
}

} // namespace driftdeck::health::detail
