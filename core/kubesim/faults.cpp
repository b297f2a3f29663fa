#include "kubesim/faults.h"

#include <QJsonArray>

namespace driftdeck::kubesim {

QJsonObject FaultSettings::toJson() const {
    return QJsonObject{
        {QStringLiteral("latencyMs"), latencyMs},
        {QStringLiteral("errorRate"), errorRate},
        {QStringLiteral("throttleRate"), throttleRate},
        {QStringLiteral("retryAfterSeconds"), retryAfterSeconds},
        {QStringLiteral("dropWatchSeconds"), dropWatchSeconds},
        {QStringLiteral("refuseConnectionsMs"), refuseConnectionsMs},
        {QStringLiteral("stallWatches"), stallWatches},
        {QStringLiteral("rejectTokenRequests"), rejectTokenRequests},
        {QStringLiteral("forbiddenResources"), QJsonArray::fromStringList(forbiddenResources)}};
}

FaultSettings FaultSettings::fromJson(const QJsonObject& json, const FaultSettings& base) {
    FaultSettings s = base;
    s.latencyMs = qMax(0, json.value(QStringLiteral("latencyMs")).toInt(s.latencyMs));
    s.errorRate = qBound(0.0, json.value(QStringLiteral("errorRate")).toDouble(s.errorRate), 1.0);
    s.throttleRate = qBound(0.0, json.value(QStringLiteral("throttleRate")).toDouble(s.throttleRate), 1.0);
    s.retryAfterSeconds = qMax(1, json.value(QStringLiteral("retryAfterSeconds")).toInt(s.retryAfterSeconds));
    s.dropWatchSeconds = qMax(0, json.value(QStringLiteral("dropWatchSeconds")).toInt(s.dropWatchSeconds));
    s.refuseConnectionsMs =
        qMax(0, json.value(QStringLiteral("refuseConnectionsMs")).toInt(s.refuseConnectionsMs));
    s.stallWatches = json.value(QStringLiteral("stallWatches")).toBool(s.stallWatches);
    s.rejectTokenRequests =
        qMax(0, json.value(QStringLiteral("rejectTokenRequests")).toInt(s.rejectTokenRequests));
    if (json.contains(QStringLiteral("forbiddenResources"))) {
        s.forbiddenResources.clear();
        const QJsonArray resources = json.value(QStringLiteral("forbiddenResources")).toArray();
        for (const QJsonValue& resource : resources) // bounded: a fault setting, not a store
            if (s.forbiddenResources.size() < 256 && resource.isString() && resource.toString().size() <= 253)
                s.forbiddenResources.append(resource.toString());
    }
    return s;
}

} // namespace driftdeck::kubesim
