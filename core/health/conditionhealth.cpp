#include "health/healthrules_p.h"

#include <array>

// The rule for kinds without their own: custom resources and anything else that follows the API
// conventions. It reads, in order: kstatus's Stalled, observedGeneration behind generation,
// Ready/Available, and kstatus's Reconciling. An object with none of these is Healthy (health.h).
namespace driftdeck::health::detail {

using namespace Qt::StringLiterals;

namespace {

// A Ready=False whose reason says work is under way is not a failure yet. Controllers spell this
// differently (Progressing, Reconciling, Provisioning, InProgress, ...), hence the word stems.
bool reasonSaysInProgress(const QString& reason) {
    static constexpr std::array kStems{"progress"_L1,   "reconcil"_L1,  "pending"_L1, "provision"_L1,
                                       "creating"_L1,   "initializ"_L1, "waiting"_L1, "deploying"_L1,
                                       "installing"_L1, "updating"_L1,  "starting"_L1};
    for (const QLatin1StringView stem : kStems) {
        if (reason.contains(stem, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

Health conditionHealth(const QJsonObject& object) {
    const QJsonObject stalled = condition(object, "Stalled"_L1);
    if (conditionIs(stalled, "True"_L1))
        return make(HealthStatus::Degraded, u"stalled: "_s + describeCondition(stalled));
    // Only when the controller reports observedGeneration at all: many kinds never do.
    if (has(statusOf(object), "observedGeneration"_L1) && generationPending(object))
        return make(HealthStatus::Progressing, generationMessage(object));
    for (const QLatin1StringView type : {"Ready"_L1, "Available"_L1}) {
        const QJsonObject found = condition(object, type);
        if (found.isEmpty())
            continue;
        const QString what = describeCondition(found);
        const QString label = QString(type) + u'=' + text(found, "status"_L1);
        const QString message = what.isEmpty() ? label : label + u": "_s + what;
        if (conditionIs(found, "True"_L1))
            return make(HealthStatus::Healthy, what);
        if (conditionIs(found, "False"_L1))
            return make(reasonSaysInProgress(text(found, "reason"_L1)) ? HealthStatus::Progressing
                                                                       : HealthStatus::Degraded,
                        message);
        return make(HealthStatus::Progressing, message); // Unknown: the controller has not decided
    }
    const QJsonObject reconciling = condition(object, "Reconciling"_L1);
    if (conditionIs(reconciling, "True"_L1))
        return make(HealthStatus::Progressing, u"reconciling: "_s + describeCondition(reconciling));
    return make(HealthStatus::Healthy, {});
}

} // namespace driftdeck::health::detail
