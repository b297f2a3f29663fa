#include "health/healthrules_p.h"

// Jobs finish: Complete is Healthy and Failed Degraded, whatever else the status says; a suspended
// Job or CronJob waits for a person on purpose, which is Suspended, not Progressing.
namespace driftdeck::health::detail {

using namespace Qt::StringLiterals;

Health jobHealth(const QJsonObject& object) {
    const QJsonObject status = statusOf(object);
    // FailureTarget is set first, while the controller still terminates the job's pods.
    for (const QLatin1StringView type : {"Failed"_L1, "FailureTarget"_L1}) {
        const QJsonObject failed = condition(object, type);
        if (conditionIs(failed, "True"_L1))
            return make(HealthStatus::Degraded, u"Job failed: "_s + describeCondition(failed));
    }
    const qint64 succeeded = number(status, "succeeded"_L1);
    for (const QLatin1StringView type : {"Complete"_L1, "SuccessCriteriaMet"_L1}) {
        if (conditionIs(condition(object, type), "True"_L1))
            return make(HealthStatus::Healthy, u"Job completed, %1 pods succeeded"_s.arg(succeeded));
    }
    if (specOf(object).value("suspend"_L1).toBool() ||
        conditionIs(condition(object, "Suspended"_L1), "True"_L1))
        return make(HealthStatus::Suspended, u"Job is suspended"_s);
    const qint64 completions = number(specOf(object), "completions"_L1, 1);
    return make(HealthStatus::Progressing,
                u"Job running: %1 active, %2 of %3 completions succeeded"_s.arg(number(status, "active"_L1))
                    .arg(succeeded)
                    .arg(completions));
}

Health cronJobHealth(const QJsonObject& object) {
    if (specOf(object).value("suspend"_L1).toBool())
        return make(HealthStatus::Suspended, u"CronJob is suspended"_s);
    // CronJob's own status has no conditions; controllers and policies that add one say so this way.
    for (const QLatin1StringView type : {"Failed"_L1, "LastJobFailed"_L1}) {
        const QJsonObject failed = condition(object, type);
        if (conditionIs(failed, "True"_L1))
            return make(HealthStatus::Degraded, u"CronJob's last job failed: "_s + describeCondition(failed));
    }
    const QJsonObject status = statusOf(object);
    const qsizetype active = status.value("active"_L1).toArray().size();
    const QString lastSchedule = text(status, "lastScheduleTime"_L1);
    if (lastSchedule.isEmpty())
        return make(HealthStatus::Healthy, u"not scheduled yet"_s);
    return make(HealthStatus::Healthy, u"last scheduled %1, %2 active jobs"_s.arg(lastSchedule).arg(active));
}

} // namespace driftdeck::health::detail
