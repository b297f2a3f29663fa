#include "health/healthrules_p.h"

#include <QStringList>

// Pod health: what the kubelet reports per container first (a crash loop or an image that cannot be
// pulled is Degraded whatever the phase says), then the phase. Argo CD reads container errors only
// for restartPolicy Always; a Job's pod stuck on ErrImagePull is just as broken, so Driftdeck reads
// them for every policy.
namespace driftdeck::health::detail {

using namespace Qt::StringLiterals;

namespace {

struct ContainerStatus {
    QString label; // "container web" or "init container migrate"
    QJsonObject status;
};

QList<ContainerStatus> containerStatuses(const QJsonObject& podStatus) {
    QList<ContainerStatus> all;
    for (const QJsonValue& value : podStatus.value("initContainerStatuses"_L1).toArray()) {
        const QJsonObject status = value.toObject();
        all.append({u"init container "_s + text(status, "name"_L1), status});
    }
    for (const QJsonValue& value : podStatus.value("containerStatuses"_L1).toArray()) {
        const QJsonObject status = value.toObject();
        all.append({u"container "_s + text(status, "name"_L1), status});
    }
    return all;
}

bool isImagePullFailure(const QString& reason) {
    return reason == "ErrImagePull"_L1 || reason == "ImagePullBackOff"_L1 ||
           reason == "InvalidImageName"_L1 || reason == "ErrImageNeverPull"_L1 ||
           reason == "RegistryUnavailable"_L1;
}

// The kubelet's waiting reasons that need a person: Err*, *Error, *BackOff (Argo CD's test too).
bool isFailureReason(const QString& reason) {
    return reason.startsWith("Err"_L1) || reason.endsWith("Error"_L1) || reason.endsWith("BackOff"_L1) ||
           isImagePullFailure(reason);
}

// "OOMKilled (exit code 137)"
QString describeTermination(const QJsonObject& terminated) {
    QString reason = text(terminated, "reason"_L1);
    if (reason.isEmpty())
        reason = u"exited"_s;
    return u"%1 (exit code %2)"_s.arg(reason).arg(number(terminated, "exitCode"_L1));
}

QString restartNote(const QJsonObject& status) {
    const qint64 restarts = number(status, "restartCount"_L1);
    QString note = restarts == 1 ? u"restarted once"_s : u"restarted %1 times"_s.arg(restarts);
    const QJsonObject lastTerminated = field(field(status, "lastState"_L1), "terminated"_L1);
    if (!lastTerminated.isEmpty())
        note += u", last exit: "_s + describeTermination(lastTerminated);
    return note;
}

// The problem a container has right now, or an empty string.
QString containerProblem(const ContainerStatus& container) {
    const QJsonObject state = field(container.status, "state"_L1);
    const QJsonObject waiting = field(state, "waiting"_L1);
    const QString reason = text(waiting, "reason"_L1);
    if (isImagePullFailure(reason))
        return u"image pull failed for %1: %2"_s.arg(text(container.status, "image"_L1), reason);
    if (reason == "CrashLoopBackOff"_L1)
        return u"%1: CrashLoopBackOff (%2)"_s.arg(container.label, restartNote(container.status));
    if (isFailureReason(reason)) {
        const QString message = text(waiting, "message"_L1);
        return container.label + u": "_s + reason + (message.isEmpty() ? QString() : u": "_s + message);
    }
    const QJsonObject terminated = field(state, "terminated"_L1);
    if (text(terminated, "reason"_L1) == "OOMKilled"_L1)
        return container.label + u": "_s + describeTermination(terminated);
    return {};
}

Health pendingHealth(const QJsonObject& object, const QList<ContainerStatus>& containers) {
    const QJsonObject scheduled = condition(object, "PodScheduled"_L1);
    if (conditionIs(scheduled, "False"_L1) && text(scheduled, "reason"_L1) == "Unschedulable"_L1)
        return make(HealthStatus::Progressing, u"Pod unschedulable: "_s + text(scheduled, "message"_L1));
    for (const ContainerStatus& container : containers) {
        const QString reason = text(field(field(container.status, "state"_L1), "waiting"_L1), "reason"_L1);
        if (!reason.isEmpty())
            return make(HealthStatus::Progressing, u"Pod pending: %1: %2"_s.arg(container.label, reason));
    }
    const QString message = text(statusOf(object), "message"_L1);
    return make(HealthStatus::Progressing,
                message.isEmpty() ? u"Pod pending"_s : u"Pod pending: "_s + message);
}

Health failedHealth(const QJsonObject& podStatus, const QList<ContainerStatus>& containers) {
    const QString reason = text(podStatus, "reason"_L1);
    const QString message = text(podStatus, "message"_L1);
    if (!reason.isEmpty()) // Evicted, DeadlineExceeded, NodeLost ...
        return make(HealthStatus::Degraded,
                    u"Pod failed: "_s + reason + (message.isEmpty() ? QString() : u": "_s + message));
    for (const ContainerStatus& container : containers) {
        const QJsonObject terminated = field(field(container.status, "state"_L1), "terminated"_L1);
        if (!terminated.isEmpty() && number(terminated, "exitCode"_L1) != 0)
            return make(HealthStatus::Degraded,
                        u"Pod failed: %1: %2"_s.arg(container.label, describeTermination(terminated)));
    }
    return make(HealthStatus::Degraded, message.isEmpty() ? u"Pod failed"_s : u"Pod failed: "_s + message);
}

Health runningHealth(const QJsonObject& object, const QList<ContainerStatus>& containers) {
    const QString restartPolicy = text(specOf(object), "restartPolicy"_L1);
    if (!restartPolicy.isEmpty() && restartPolicy != "Always"_L1) {
        // A pod that runs to completion (a Job's, a hook's) is not done while it runs.
        return make(HealthStatus::Progressing, u"Pod running (restartPolicy %1: it ends when its containers "
                                               u"exit)"_s.arg(restartPolicy));
    }
    qint64 ready = 0;
    qint64 total = 0;
    for (const ContainerStatus& container : containers) {
        if (container.label.startsWith("init "_L1))
            continue;
        ++total;
        ready += container.status.value("ready"_L1).toBool() ? 1 : 0;
    }
    if (conditionIs(condition(object, "Ready"_L1), "True"_L1))
        return make(HealthStatus::Healthy, u"Pod running, %1 of %2 containers ready"_s.arg(ready).arg(total));
    // Not ready after a container has already died once: it is failing, not starting. With
    // restartPolicy Always a container that has exited is one the kubelet must restart.
    for (const ContainerStatus& container : containers) {
        const QJsonObject terminated = field(field(container.status, "state"_L1), "terminated"_L1);
        if (!container.label.startsWith("init "_L1) && !terminated.isEmpty())
            return make(HealthStatus::Degraded, u"%1: %2, restartPolicy Always restarts it"_s.arg(
                                                    container.label, describeTermination(terminated)));
    }
    for (const ContainerStatus& container : containers) {
        if (!container.status.value("ready"_L1).toBool() &&
            !field(field(container.status, "lastState"_L1), "terminated"_L1).isEmpty())
            return make(HealthStatus::Degraded,
                        u"%1: not ready, %2"_s.arg(container.label, restartNote(container.status)));
    }
    return make(HealthStatus::Progressing, u"Pod running, %1 of %2 containers ready"_s.arg(ready).arg(total));
}

} // namespace

Health podHealth(const QJsonObject& object) {
    const QJsonObject status = statusOf(object);
    const QList<ContainerStatus> containers = containerStatuses(status);
    QStringList problems;
    for (const ContainerStatus& container : containers) {
        const QString problem = containerProblem(container);
        if (!problem.isEmpty())
            problems << problem;
    }
    if (!problems.isEmpty())
        return make(HealthStatus::Degraded, problems.join(u"; "_s));

    const QString phase = text(status, "phase"_L1);
    if (phase == "Pending"_L1)
        return pendingHealth(object, containers);
    if (phase == "Succeeded"_L1)
        return make(HealthStatus::Healthy, u"Pod completed"_s);
    if (phase == "Failed"_L1)
        return failedHealth(status, containers);
    if (phase == "Running"_L1)
        return runningHealth(object, containers);
    const QString message = text(status, "message"_L1);
    if (phase.isEmpty())
        return make(HealthStatus::Unknown, u"Pod has no phase yet"_s);
    return make(HealthStatus::Unknown,
                u"Pod phase %1"_s.arg(phase) + (message.isEmpty() ? QString() : u": "_s + message));
}

} // namespace driftdeck::health::detail
