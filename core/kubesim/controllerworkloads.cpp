// Deployment, ReplicaSet, StatefulSet, DaemonSet and Job controllers: the parts of their real
// behaviour that clients observe (object names, labels, owner references, status fields and the
// condition reasons `kubectl rollout status` and health checks read).

#include "kubesim/controller.h"
#include "kubesim/controllersupport.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace driftdeck::kubesim {

using namespace controllers;

namespace {

QJsonObject object(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toObject();
}

int replicasOf(const QJsonObject& obj) {
    return object(obj, "spec").value(QLatin1String("replicas")).toInt(1);
}

// maxUnavailable resolved against the desired count (percentages round down, as for Deployments).
int maxUnavailable(const QJsonObject& deployment, int replicas) {
    const QJsonObject strategy = object(object(deployment, "spec"), "strategy");
    if (strategy.value(QLatin1String("type")).toString() == QLatin1String("Recreate"))
        return 0;
    const QJsonValue v = object(strategy, "rollingUpdate").value(QLatin1String("maxUnavailable"));
    if (v.isString() && v.toString().endsWith(QLatin1Char('%')))
        return replicas * v.toString().chopped(1).toInt() / 100;
    return v.isDouble() ? v.toInt() : replicas / 4;
}

int revisionOf(const QJsonObject& rs) {
    return object(meta(rs), "annotations")
        .value(QLatin1String("deployment.kubernetes.io/revision"))
        .toString()
        .toInt();
}

} // namespace

void ClusterControllers::reconcileDeployment(const QString& ns, const QString& name) {
    const auto type = typeOf(m_store, QStringLiteral("apps"), QStringLiteral("Deployment"));
    const auto rsType = typeOf(m_store, QStringLiteral("apps"), QStringLiteral("ReplicaSet"));
    auto deployment = m_store.get(*type, ns, name);
    if (!deployment || isDeleting(*deployment))
        return;
    const QJsonObject spec = object(*deployment, "spec");
    const int replicas = replicasOf(*deployment);
    QJsonObject podTemplate = object(spec, "template");
    const QString hash = templateHash(podTemplate);

    QList<QJsonObject> sets = ownedBy(m_store, *rsType, ns, uidOf(*deployment));
    std::optional<QJsonObject> current;
    int maxRevision = 0;
    for (const QJsonObject& rs : sets) {
        maxRevision = std::max(maxRevision, revisionOf(rs));
        if (object(meta(rs), "labels").value(QLatin1String("pod-template-hash")).toString() == hash)
            current = rs;
    }
    bool createdNow = false;
    if (!current) {
        QJsonObject tmeta = object(podTemplate, "metadata");
        QJsonObject labels = object(tmeta, "labels");
        labels.insert(QStringLiteral("pod-template-hash"), hash);
        tmeta.insert(QStringLiteral("labels"), labels);
        podTemplate.insert(QStringLiteral("metadata"), tmeta);
        QJsonObject selector = object(spec, "selector");
        QJsonObject matchLabels = object(selector, "matchLabels");
        matchLabels.insert(QStringLiteral("pod-template-hash"), hash);
        selector.insert(QStringLiteral("matchLabels"), matchLabels);
        const QString revision = QString::number(maxRevision + 1);
        // As Kubernetes' Deployment controller: the Deployment's annotations are copied (but for
        // kubectl's last-applied configuration and the controller's own), then its own are set.
        QJsonObject rsAnnotations;
        const QJsonObject deploymentAnnotations = object(meta(*deployment), "annotations");
        for (auto it = deploymentAnnotations.begin(); it != deploymentAnnotations.end(); ++it)
            if (it.key() != QLatin1String("kubectl.kubernetes.io/last-applied-configuration") &&
                !it.key().startsWith(QLatin1String("deployment.kubernetes.io/")))
                rsAnnotations.insert(it.key(), it.value());
        rsAnnotations.insert(QStringLiteral("deployment.kubernetes.io/desired-replicas"),
                             QString::number(replicas));
        rsAnnotations.insert(QStringLiteral("deployment.kubernetes.io/max-replicas"),
                             QString::number(replicas + std::max(1, replicas / 4)));
        rsAnnotations.insert(QStringLiteral("deployment.kubernetes.io/revision"), revision);
        QJsonObject rsSpec{{QStringLiteral("replicas"), replicas},
                           {QStringLiteral("selector"), selector},
                           {QStringLiteral("template"), podTemplate}};
        if (spec.contains(QLatin1String("minReadySeconds")))
            rsSpec.insert(QStringLiteral("minReadySeconds"), spec.value(QLatin1String("minReadySeconds")));
        const QJsonObject rs{
            {QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
            {QStringLiteral("kind"), QStringLiteral("ReplicaSet")},
            {QStringLiteral("metadata"),
             QJsonObject{{QStringLiteral("name"), QString(name + QLatin1Char('-') + hash)},
                         {QStringLiteral("namespace"), ns},
                         {QStringLiteral("labels"), labels},
                         {QStringLiteral("annotations"), rsAnnotations},
                         {QStringLiteral("ownerReferences"), QJsonArray{controllerRef(*deployment)}}}},
            {QStringLiteral("spec"), rsSpec}};
        auto created = m_store.create(*rsType, rs,
                                      WriteOptions{kControllerManager, false, {}, QStringLiteral("Update")});
        if (!std::holds_alternative<QJsonObject>(created))
            return;
        current = std::get<QJsonObject>(created);
        sets.append(*current);
        createdNow = true;
    } else if (object(*current, "spec").value(QLatin1String("replicas")).toInt() != replicas) {
        QJsonObject rs = *current;
        QJsonObject rsSpec = object(rs, "spec");
        rsSpec.insert(QStringLiteral("replicas"), replicas);
        rs.insert(QStringLiteral("spec"), rsSpec);
        writeObject(m_store, *rsType, rs);
    }

    // Rolling update in one step: old replica sets go to zero once the new one is fully available.
    const QJsonObject currentStatus = object(*current, "status");
    const bool newAvailable = currentStatus.value(QLatin1String("availableReplicas")).toInt() >= replicas &&
                              object(*current, "spec").value(QLatin1String("replicas")).toInt() == replicas;
    int total = 0, ready = 0, available = 0;
    QList<QJsonObject> oldSets;
    for (const QJsonObject& rs : std::as_const(sets)) {
        const QJsonObject st = object(rs, "status");
        total += st.value(QLatin1String("replicas")).toInt();
        ready += st.value(QLatin1String("readyReplicas")).toInt();
        available += st.value(QLatin1String("availableReplicas")).toInt();
        if (nameOf(rs) == nameOf(*current))
            continue;
        oldSets.append(rs);
        if (newAvailable && object(rs, "spec").value(QLatin1String("replicas")).toInt() != 0) {
            QJsonObject scaled = rs;
            QJsonObject rsSpec = object(scaled, "spec");
            rsSpec.insert(QStringLiteral("replicas"), 0);
            scaled.insert(QStringLiteral("spec"), rsSpec);
            writeObject(m_store, *rsType, scaled);
        }
    }
    // Keep revisionHistoryLimit old replica sets that are scaled down.
    std::sort(oldSets.begin(), oldSets.end(),
              [](const QJsonObject& a, const QJsonObject& b) { return revisionOf(a) < revisionOf(b); });
    const int limit = spec.value(QLatin1String("revisionHistoryLimit")).toInt(10);
    for (qsizetype i = 0; i + limit < oldSets.size(); ++i)
        if (object(oldSets.at(i), "spec").value(QLatin1String("replicas")).toInt() == 0 &&
            object(oldSets.at(i), "status").value(QLatin1String("replicas")).toInt() == 0)
            m_store.remove(*rsType, ns, nameOf(oldSets.at(i)));

    // The revision annotation follows the current replica set, as `kubectl rollout history` expects.
    const QString revision = QString::number(revisionOf(*current));
    QJsonObject annotations = object(meta(*deployment), "annotations");
    if (annotations.value(QLatin1String("deployment.kubernetes.io/revision")).toString() != revision) {
        annotations.insert(QStringLiteral("deployment.kubernetes.io/revision"), revision);
        QJsonObject m = meta(*deployment);
        m.insert(QStringLiteral("annotations"), annotations);
        deployment->insert(QStringLiteral("metadata"), m);
        auto written = writeObject(m_store, *type, *deployment);
        if (auto* obj = std::get_if<QJsonObject>(&written))
            *deployment = *obj;
    }

    const int updated = currentStatus.value(QLatin1String("replicas")).toInt();
    const QJsonObject oldStatus = object(*deployment, "status");
    QJsonObject status{
        {QStringLiteral("observedGeneration"), meta(*deployment).value(QLatin1String("generation"))},
        {QStringLiteral("replicas"), total},
        {QStringLiteral("updatedReplicas"), updated},
        {QStringLiteral("readyReplicas"), ready},
        {QStringLiteral("availableReplicas"), available},
        {QStringLiteral("unavailableReplicas"), std::max(0, total - available)}};
    QJsonArray conditions = oldStatus.value(QLatin1String("conditions")).toArray();
    if (available >= replicas - maxUnavailable(*deployment, replicas))
        conditions = setCondition(conditions, QStringLiteral("Available"), QStringLiteral("True"),
                                  QStringLiteral("MinimumReplicasAvailable"),
                                  QStringLiteral("Deployment has minimum availability."), true);
    else
        conditions = setCondition(conditions, QStringLiteral("Available"), QStringLiteral("False"),
                                  QStringLiteral("MinimumReplicasUnavailable"),
                                  QStringLiteral("Deployment does not have minimum availability."), true);
    const QString rsName = nameOf(*current);
    const bool complete = updated == replicas && total == replicas && available >= replicas && newAvailable;
    const QJsonObject progressing = conditionOf(oldStatus, QStringLiteral("Progressing"));
    if (complete) {
        conditions =
            setCondition(conditions, QStringLiteral("Progressing"), QStringLiteral("True"),
                         QStringLiteral("NewReplicaSetAvailable"),
                         QStringLiteral("ReplicaSet \"%1\" has successfully progressed.").arg(rsName), true);
    } else if (progressing.value(QLatin1String("reason")).toString() !=
               QLatin1String("ProgressDeadlineExceeded")) {
        const int deadline = spec.value(QLatin1String("progressDeadlineSeconds")).toInt(600);
        const bool sameRollout =
            !createdNow && !progressing.isEmpty() &&
            progressing.value(QLatin1String("message")).toString().contains(rsName) &&
            progressing.value(QLatin1String("reason")).toString() != QLatin1String("NewReplicaSetAvailable");
        const QDateTime since =
            sameRollout ? QDateTime::fromString(progressing.value(QLatin1String("lastUpdateTime")).toString(),
                                                Qt::ISODate)
                        : QDateTime::currentDateTimeUtc();
        const qint64 elapsedMs = since.msecsTo(QDateTime::currentDateTimeUtc());
        if (sameRollout && elapsedMs >= qint64(deadline) * 1000) {
            conditions = setCondition(
                conditions, QStringLiteral("Progressing"), QStringLiteral("False"),
                QStringLiteral("ProgressDeadlineExceeded"),
                QStringLiteral("ReplicaSet \"%1\" has timed out progressing.").arg(rsName), true);
        } else {
            if (!sameRollout)
                conditions = setCondition(
                    conditions, QStringLiteral("Progressing"), QStringLiteral("True"),
                    createdNow ? QStringLiteral("NewReplicaSetCreated") : QStringLiteral("ReplicaSetUpdated"),
                    createdNow ? QStringLiteral("Created new replica set \"%1\"").arg(rsName)
                               : QStringLiteral("ReplicaSet \"%1\" is progressing.").arg(rsName),
                    true);
            enqueue(QStringLiteral("Deployment"), ns, name,
                    std::chrono::milliseconds(std::max<qint64>(qint64(deadline) * 1000 - elapsedMs, 0) + 50));
        }
    }
    // Real servers list Available before Progressing.
    QList<QJsonObject> sorted;
    for (const QJsonValue& c : std::as_const(conditions))
        sorted.append(c.toObject());
    std::stable_sort(sorted.begin(), sorted.end(), [](const QJsonObject& a, const QJsonObject& b) {
        return a.value(QLatin1String("type")).toString() < b.value(QLatin1String("type")).toString();
    });
    QJsonArray ordered;
    for (const QJsonObject& c : std::as_const(sorted))
        ordered.append(c);
    status.insert(QStringLiteral("conditions"), ordered);
    writeStatus(m_store, *type, *deployment, status);
}

void ClusterControllers::reconcileReplicaSet(const QString& ns, const QString& name) {
    const auto type = typeOf(m_store, QStringLiteral("apps"), QStringLiteral("ReplicaSet"));
    const auto podType = typeOf(m_store, {}, QStringLiteral("Pod"));
    auto rs = m_store.get(*type, ns, name);
    if (!rs || isDeleting(*rs))
        return;
    const int replicas = replicasOf(*rs);
    QList<QJsonObject> pods;
    for (const QJsonObject& p : ownedBy(m_store, *podType, ns, uidOf(*rs)))
        if (!isDeleting(p))
            pods.append(p);
    while (pods.size() < replicas) {
        const QJsonObject pod = podFromTemplate(*rs, object(object(*rs, "spec"), "template"),
                                                name + QLatin1Char('-') + randomSuffix(), {});
        auto created = m_store.create(*podType, pod,
                                      WriteOptions{kControllerManager, false, {}, QStringLiteral("Update")});
        if (!std::holds_alternative<QJsonObject>(created))
            break;
        pods.append(std::get<QJsonObject>(created));
    }
    // Scale down: not-ready pods first, then the newest.
    std::stable_sort(pods.begin(), pods.end(),
                     [](const QJsonObject& a, const QJsonObject& b) { return podReady(a) > podReady(b); });
    while (pods.size() > replicas) {
        m_store.remove(*podType, ns, nameOf(pods.takeLast()));
    }
    int ready = 0;
    for (const QJsonObject& p : std::as_const(pods))
        ready += podReady(p) ? 1 : 0;
    const QJsonObject status{
        {QStringLiteral("replicas"), int(pods.size())},
        {QStringLiteral("fullyLabeledReplicas"), int(pods.size())},
        {QStringLiteral("readyReplicas"), ready},
        {QStringLiteral("availableReplicas"), ready},
        {QStringLiteral("observedGeneration"), meta(*rs).value(QLatin1String("generation"))}};
    writeStatus(m_store, *type, *rs, status);
}

} // namespace driftdeck::kubesim
