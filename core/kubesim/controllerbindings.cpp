// Two things a working cluster does that kube-controller-manager alone does not: a default
// StorageClass's provisioner (with Immediate binding) gives every PersistentVolumeClaim a volume, and
// an ingress controller gives every Ingress an address — as kind's local-path provisioner and an
// installed ingress-nginx do, and as kubesim's service controller already gives LoadBalancer
// Services theirs. Without them a claim stays Pending and an Ingress without an address forever,
// which health checks rightly call Progressing; with them the corpus applications can become Healthy.
#include "kubesim/controller.h"
#include "kubesim/controllersupport.h"

namespace driftdeck::kubesim {

using namespace controllers;

void ClusterControllers::reconcilePersistentVolumeClaim(const QString& ns, const QString& name) {
    const auto type = typeOf(m_store, {}, QStringLiteral("PersistentVolumeClaim"));
    auto claim = type ? m_store.get(*type, ns, name) : std::nullopt;
    if (!claim || isDeleting(*claim))
        return;
    QJsonObject status = claim->value(QLatin1String("status")).toObject();
    if (status.value(QLatin1String("phase")).toString() == QLatin1String("Bound"))
        return;
    QJsonObject spec = claim->value(QLatin1String("spec")).toObject();
    if (spec.value(QLatin1String("volumeName")).toString().isEmpty()) {
        // The binder records the volume in the claim's spec (a field no manifest sets).
        spec.insert(QStringLiteral("volumeName"), QString(QStringLiteral("pvc-") + uidOf(*claim)));
        claim->insert(QStringLiteral("spec"), spec);
        auto bound = writeObject(m_store, *type, *claim, QStringLiteral("kube-controller-manager"));
        if (auto* written = std::get_if<QJsonObject>(&bound))
            *claim = *written;
        else
            return; // changed meanwhile: the event of that change queues the claim again
    }
    status.insert(QStringLiteral("phase"), QStringLiteral("Bound"));
    status.insert(QStringLiteral("accessModes"), spec.value(QLatin1String("accessModes")));
    status.insert(
        QStringLiteral("capacity"),
        spec.value(QLatin1String("resources")).toObject().value(QLatin1String("requests")).toObject());
    writeStatus(m_store, *type, *claim, status);
}

void ClusterControllers::reconcileIngress(const QString& ns, const QString& name) {
    const auto type = typeOf(m_store, QStringLiteral("networking.k8s.io"), QStringLiteral("Ingress"));
    auto ingress = type ? m_store.get(*type, ns, name) : std::nullopt;
    if (!ingress || isDeleting(*ingress))
        return;
    const QJsonObject status = ingress->value(QLatin1String("status")).toObject();
    if (!status.value(QLatin1String("loadBalancer"))
             .toObject()
             .value(QLatin1String("ingress"))
             .toArray()
             .isEmpty())
        return;
    // One address for the cluster's single ingress controller, as ingress-nginx reports its Service's.
    QJsonObject newStatus = status;
    newStatus.insert(
        QStringLiteral("loadBalancer"),
        QJsonObject{{QStringLiteral("ingress"),
                     QJsonArray{QJsonObject{{QStringLiteral("ip"), QStringLiteral("172.18.255.199")}}}}});
    writeStatus(m_store, *type, *ingress, newStatus, QStringLiteral("ingress-controller"));
}

} // namespace driftdeck::kubesim
