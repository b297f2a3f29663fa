#include "kubesim/controller.h"

#include "kubesim/controllersupport.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcControllers, "driftdeck.kubesim.controllers")

namespace driftdeck::kubesim {

using namespace controllers;

namespace {

const QSet<QString> kWatched{QStringLiteral("Deployment"),
                             QStringLiteral("ReplicaSet"),
                             QStringLiteral("StatefulSet"),
                             QStringLiteral("DaemonSet"),
                             QStringLiteral("Job"),
                             QStringLiteral("Pod"),
                             QStringLiteral("Service"),
                             QStringLiteral("Namespace"),
                             QStringLiteral("ConfigMap"),
                             QStringLiteral("ServiceAccount"),
                             QStringLiteral("HorizontalPodAutoscaler"),
                             QStringLiteral("PersistentVolumeClaim"),
                             QStringLiteral("Ingress")};

QString groupOfKind(const QString& kind) {
    if (kind == QLatin1String("Ingress"))
        return QStringLiteral("networking.k8s.io");
    if (kind == QLatin1String("Pod") || kind == QLatin1String("Service") ||
        kind == QLatin1String("PersistentVolumeClaim") || kind == QLatin1String("Namespace") ||
        kind == QLatin1String("ConfigMap") || kind == QLatin1String("ServiceAccount"))
        return {};
    if (kind == QLatin1String("Job"))
        return QStringLiteral("batch");
    if (kind == QLatin1String("HorizontalPodAutoscaler"))
        return QStringLiteral("autoscaling");
    return QStringLiteral("apps");
}

bool crashLoops(const QJsonObject& pod) {
    for (const QJsonValue& c :
         pod.value(QLatin1String("spec")).toObject().value(QLatin1String("containers")).toArray())
        if (c.toObject().value(QLatin1String("image")).toString().contains(QLatin1String("crashloop")))
            return true;
    return false;
}

QJsonObject podCondition(const QString& type, const QString& status, const QString& time,
                         const QString& reason = {}) {
    QJsonObject c{{QStringLiteral("type"), type},
                  {QStringLiteral("status"), status},
                  {QStringLiteral("lastProbeTime"), QJsonValue(QJsonValue::Null)},
                  {QStringLiteral("lastTransitionTime"), time}};
    if (!reason.isEmpty())
        c.insert(QStringLiteral("reason"), reason);
    return c;
}

} // namespace

ClusterControllers::ClusterControllers(ObjectStore& store, ControllerOptions options, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_options(std::move(options)) {
    m_listener = m_store.onChange([this](const WatchEvent& event) { onEvent(event); });
    // The namespaces the store starts with get their ConfigMap and ServiceAccount too.
    if (const auto type = typeOf(m_store, {}, QStringLiteral("Namespace")))
        for (const QJsonObject& ns : m_store.list(*type))
            enqueue(QStringLiteral("Namespace"), {}, nameOf(ns));
}

ClusterControllers::~ClusterControllers() {
    m_store.removeListener(m_listener);
}

void ClusterControllers::resyncAll() {
    for (const QString& kind : kWatched) {
        const auto type = typeOf(m_store, groupOfKind(kind), kind);
        if (!type)
            continue;
        for (const QJsonObject& obj : m_store.list(*type))
            enqueue(kind, nsOf(obj), nameOf(obj));
    }
}

void ClusterControllers::onEvent(const WatchEvent& event) {
    const QString kind = event.resourceType.kind;
    if (!kWatched.contains(kind) || event.resourceType.group != groupOfKind(kind))
        return;
    const QJsonObject& obj = event.object;
    // What the namespace's publishers own: recreated when deleted, like on a real cluster.
    if (kind == QLatin1String("ConfigMap") || kind == QLatin1String("ServiceAccount")) {
        if (event.type == WatchEvent::Type::Deleted)
            enqueue(QStringLiteral("Namespace"), {}, nsOf(obj));
        return;
    }
    if (event.type == WatchEvent::Type::Deleted) {
        m_podReadyAt.remove(uidOf(obj));
        m_podRestartAt.remove(uidOf(obj));
    } else {
        enqueue(kind, nsOf(obj), nameOf(obj));
    }
    // An owner reacts to its dependents: pods to their workload, replica sets to their deployment.
    if (const auto owner = controllerOf(obj); owner && kWatched.contains(owner->first))
        enqueue(owner->first, nsOf(obj), owner->second);
}

void ClusterControllers::enqueue(const QString& kind, const QString& ns, const QString& name,
                                 std::chrono::milliseconds delay) {
    const QString key = kind + QLatin1Char('/') + ns + QLatin1Char('/') + name;
    if (delay.count() > 0) {
        // One delayed requeue per object at a time is enough: the reconcile recomputes everything.
        const QString timer = key + QLatin1Char('@') + QString::number(delay.count());
        if (m_timers.contains(timer))
            return;
        m_timers.insert(timer);
        // Timers belong to this object, so none fires after it is gone (the store may outlive it).
        QTimer::singleShot(delay, this, [this, timer, kind, ns, name] {
            m_timers.remove(timer);
            enqueue(kind, ns, name);
        });
        return;
    }
    m_pending.insert(key);
    if (!m_drainScheduled) {
        m_drainScheduled = true;
        // Never write from inside a store listener: the store is mid-commit there.
        QTimer::singleShot(0, this, [this] { drain(); });
    }
}

void ClusterControllers::drain() {
    m_drainScheduled = false;
    // Bounded: writes made while draining queue the next round instead of looping here.
    const QSet<QString> batch = std::exchange(m_pending, {});
    for (const QString& key : batch) {
        const QStringList parts = key.split(QLatin1Char('/'));
        reconcile(Key{parts.value(0), parts.value(1), parts.value(2)});
    }
}

void ClusterControllers::reconcile(const Key& key) {
    if (key.kind == QLatin1String("Deployment"))
        reconcileDeployment(key.ns, key.name);
    else if (key.kind == QLatin1String("ReplicaSet"))
        reconcileReplicaSet(key.ns, key.name);
    else if (key.kind == QLatin1String("StatefulSet"))
        reconcileStatefulSet(key.ns, key.name);
    else if (key.kind == QLatin1String("DaemonSet"))
        reconcileDaemonSet(key.ns, key.name);
    else if (key.kind == QLatin1String("Job"))
        reconcileJob(key.ns, key.name);
    else if (key.kind == QLatin1String("Pod"))
        reconcilePod(key.ns, key.name);
    else if (key.kind == QLatin1String("Service"))
        reconcileService(key.ns, key.name);
    else if (key.kind == QLatin1String("Namespace"))
        reconcileNamespace(key.name);
    else if (key.kind == QLatin1String("HorizontalPodAutoscaler"))
        reconcileHorizontalPodAutoscaler(key.ns, key.name);
    else if (key.kind == QLatin1String("PersistentVolumeClaim"))
        reconcilePersistentVolumeClaim(key.ns, key.name);
    else if (key.kind == QLatin1String("Ingress"))
        reconcileIngress(key.ns, key.name);
}

// The scheduler and kubelet of the single simulated node: bind, start, become ready (or crash-loop,
// or complete for pods that do not restart).
void ClusterControllers::reconcilePod(const QString& ns, const QString& name) {
    const auto type = typeOf(m_store, {}, QStringLiteral("Pod"));
    auto pod = m_store.get(*type, ns, name);
    if (!pod || isDeleting(*pod))
        return;
    const QString uid = uidOf(*pod);
    QJsonObject spec = pod->value(QLatin1String("spec")).toObject();
    if (spec.value(QLatin1String("nodeName")).toString().isEmpty()) {
        spec.insert(QStringLiteral("nodeName"), m_options.nodeName);
        pod->insert(QStringLiteral("spec"), spec);
        auto bound = writeObject(m_store, *type, *pod, QStringLiteral("kube-scheduler"));
        if (auto* obj = std::get_if<QJsonObject>(&bound))
            *pod = *obj;
        else
            return;
    }
    const QString phase = podPhase(*pod);
    if (phase == QLatin1String("Succeeded") || phase == QLatin1String("Failed"))
        return;
    const QJsonArray containers = spec.value(QLatin1String("containers")).toArray();
    const QJsonObject oldStatus = pod->value(QLatin1String("status")).toObject();
    const QString started = oldStatus.value(QLatin1String("startTime")).toString(nowString());
    QJsonObject status{{QStringLiteral("hostIP"), QStringLiteral("172.18.0.2")},
                       {QStringLiteral("hostIPs"),
                        QJsonArray{QJsonObject{{QStringLiteral("ip"), QStringLiteral("172.18.0.2")}}}},
                       {QStringLiteral("qosClass"),
                        oldStatus.value(QLatin1String("qosClass")).toString(QStringLiteral("BestEffort"))},
                       {QStringLiteral("startTime"), started}};
    if (!m_podReadyAt.contains(uid))
        m_podReadyAt.insert(uid, nowMs() + m_options.readyDelay.count());
    const qint64 readyAt = m_podReadyAt.value(uid);
    const QString time = nowString();
    const auto containerStatus = [&](const QJsonObject& c, const QJsonObject& state, bool ready,
                                     int restarts) {
        return QJsonObject{{QStringLiteral("name"), c.value(QLatin1String("name"))},
                           {QStringLiteral("image"), c.value(QLatin1String("image"))},
                           {QStringLiteral("imageID"), QString()},
                           {QStringLiteral("lastState"), QJsonObject()},
                           {QStringLiteral("ready"), ready},
                           {QStringLiteral("restartCount"), restarts},
                           {QStringLiteral("started"), ready},
                           {QStringLiteral("state"), state}};
    };
    QJsonArray statuses;
    if (nowMs() < readyAt) {
        for (const QJsonValue& c : containers)
            statuses.append(containerStatus(
                c.toObject(),
                QJsonObject{{QStringLiteral("waiting"),
                             QJsonObject{{QStringLiteral("reason"), QStringLiteral("ContainerCreating")}}}},
                false, 0));
        status.insert(QStringLiteral("phase"), QStringLiteral("Pending"));
        status.insert(
            QStringLiteral("conditions"),
            QJsonArray{podCondition(QStringLiteral("PodScheduled"), QStringLiteral("True"), started)});
        status.insert(QStringLiteral("containerStatuses"), statuses);
        enqueue(QStringLiteral("Pod"), ns, name, std::chrono::milliseconds(readyAt - nowMs() + 1));
    } else {
        const QString podIp =
            oldStatus.value(QLatin1String("podIP")).toString(QStringLiteral("10.244.0.%1").arg(m_nextPodIp));
        if (!oldStatus.contains(QLatin1String("podIP")))
            m_nextPodIp = m_nextPodIp >= 250 ? 10 : m_nextPodIp + 1;
        status.insert(QStringLiteral("podIP"), podIp);
        status.insert(QStringLiteral("podIPs"), QJsonArray{QJsonObject{{QStringLiteral("ip"), podIp}}});
        const bool runsOnce =
            spec.value(QLatin1String("restartPolicy")).toString() != QLatin1String("Always");
        if (crashLoops(*pod) && !runsOnce) {
            // Restart count grows on a timer; the container never becomes ready.
            int restarts = oldStatus.value(QLatin1String("containerStatuses"))
                               .toArray()
                               .at(0)
                               .toObject()
                               .value(QLatin1String("restartCount"))
                               .toInt();
            if (nowMs() >= m_podRestartAt.value(uid, 0)) {
                if (m_podRestartAt.contains(uid))
                    ++restarts;
                m_podRestartAt.insert(uid, nowMs() + m_options.restartInterval.count());
            }
            for (const QJsonValue& c : containers) {
                const QJsonObject waiting{
                    {QStringLiteral("waiting"),
                     QJsonObject{{QStringLiteral("reason"), QStringLiteral("CrashLoopBackOff")},
                                 {QStringLiteral("message"),
                                  QStringLiteral("back-off restarting failed container %1 in pod %2")
                                      .arg(c.toObject().value(QLatin1String("name")).toString(), name)}}}};
                statuses.append(containerStatus(c.toObject(), waiting, false, restarts));
            }
            status.insert(QStringLiteral("phase"), QStringLiteral("Running"));
            status.insert(
                QStringLiteral("conditions"),
                QJsonArray{podCondition(QStringLiteral("PodReadyToStartContainers"), QStringLiteral("True"),
                                        started),
                           podCondition(QStringLiteral("Initialized"), QStringLiteral("True"), started),
                           podCondition(QStringLiteral("Ready"), QStringLiteral("False"), started,
                                        QStringLiteral("ContainersNotReady")),
                           podCondition(QStringLiteral("ContainersReady"), QStringLiteral("False"), started,
                                        QStringLiteral("ContainersNotReady")),
                           podCondition(QStringLiteral("PodScheduled"), QStringLiteral("True"), started)});
            enqueue(QStringLiteral("Pod"), ns, name, m_options.restartInterval);
        } else if (runsOnce) {
            const bool fails = crashLoops(*pod);
            for (const QJsonValue& c : containers) {
                const QJsonObject terminated{
                    {QStringLiteral("terminated"),
                     QJsonObject{{QStringLiteral("exitCode"), fails ? 1 : 0},
                                 {QStringLiteral("reason"),
                                  fails ? QStringLiteral("Error") : QStringLiteral("Completed")},
                                 {QStringLiteral("startedAt"), started},
                                 {QStringLiteral("finishedAt"), time}}}};
                statuses.append(containerStatus(c.toObject(), terminated, false, 0));
            }
            status.insert(QStringLiteral("phase"),
                          fails ? QStringLiteral("Failed") : QStringLiteral("Succeeded"));
            const QString reason = fails ? QStringLiteral("PodFailed") : QStringLiteral("PodCompleted");
            status.insert(
                QStringLiteral("conditions"),
                QJsonArray{
                    podCondition(QStringLiteral("Initialized"), QStringLiteral("True"), started, reason),
                    podCondition(QStringLiteral("Ready"), QStringLiteral("False"), time, reason),
                    podCondition(QStringLiteral("ContainersReady"), QStringLiteral("False"), time, reason),
                    podCondition(QStringLiteral("PodScheduled"), QStringLiteral("True"), started)});
        } else {
            for (const QJsonValue& c : containers)
                statuses.append(
                    containerStatus(c.toObject(),
                                    QJsonObject{{QStringLiteral("running"),
                                                 QJsonObject{{QStringLiteral("startedAt"), started}}}},
                                    true, 0));
            status.insert(QStringLiteral("phase"), QStringLiteral("Running"));
            const QString readySince = podReady(*pod) ? conditionOf(oldStatus, QStringLiteral("Ready"))
                                                            .value(QLatin1String("lastTransitionTime"))
                                                            .toString()
                                                      : time;
            status.insert(
                QStringLiteral("conditions"),
                QJsonArray{
                    podCondition(QStringLiteral("PodReadyToStartContainers"), QStringLiteral("True"),
                                 started),
                    podCondition(QStringLiteral("Initialized"), QStringLiteral("True"), started),
                    podCondition(QStringLiteral("Ready"), QStringLiteral("True"), readySince),
                    podCondition(QStringLiteral("ContainersReady"), QStringLiteral("True"), readySince),
                    podCondition(QStringLiteral("PodScheduled"), QStringLiteral("True"), started)});
        }
        status.insert(QStringLiteral("containerStatuses"), statuses);
    }
    writeStatus(m_store, *type, *pod, status, QStringLiteral("kubelet"));
}

// A cloud provider in miniature: LoadBalancer Services get an external address (data only; nothing
// listens there).
void ClusterControllers::reconcileService(const QString& ns, const QString& name) {
    const auto type = typeOf(m_store, {}, QStringLiteral("Service"));
    auto svc = m_store.get(*type, ns, name);
    if (!svc || isDeleting(*svc))
        return;
    const bool lb = svc->value(QLatin1String("spec")).toObject().value(QLatin1String("type")).toString() ==
                    QLatin1String("LoadBalancer");
    const QJsonObject status = svc->value(QLatin1String("status")).toObject();
    const bool hasIngress = !status.value(QLatin1String("loadBalancer"))
                                 .toObject()
                                 .value(QLatin1String("ingress"))
                                 .toArray()
                                 .isEmpty();
    if (lb == hasIngress)
        return;
    QJsonObject loadBalancer;
    if (lb) {
        loadBalancer.insert(
            QStringLiteral("ingress"),
            QJsonArray{
                QJsonObject{{QStringLiteral("ip"), QStringLiteral("172.18.255.%1").arg(m_nextLoadBalancerIp)},
                            {QStringLiteral("ipMode"), QStringLiteral("VIP")}}});
        m_nextLoadBalancerIp = m_nextLoadBalancerIp >= 250 ? 200 : m_nextLoadBalancerIp + 1;
    }
    QJsonObject newStatus = status;
    newStatus.insert(QStringLiteral("loadBalancer"), loadBalancer);
    writeStatus(m_store, *type, *svc, newStatus, QStringLiteral("service-controller"));
}

} // namespace driftdeck::kubesim
