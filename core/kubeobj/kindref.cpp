#include "kubeobj/kindref.h"

#include <QHash>
#include <QSet>

namespace driftdeck::kubeobj {

QString KindRef::apiVersion() const {
    return group.isEmpty() ? version : group + QLatin1Char('/') + version;
}

KindRef KindRef::fromObject(const QJsonObject& obj) {
    const QString apiVersion = obj.value(QLatin1String("apiVersion")).toString();
    const qsizetype slash = apiVersion.indexOf(QLatin1Char('/'));
    KindRef ref;
    if (slash < 0) {
        ref.version = apiVersion;
    } else {
        ref.group = apiVersion.left(slash);
        ref.version = apiVersion.mid(slash + 1);
    }
    ref.kind = obj.value(QLatin1String("kind")).toString();
    return ref;
}

bool isBuiltinKind(const KindRef& kind) {
    // The groups a 1.32 API server serves itself. Anything else comes from a CRD or an aggregated
    // API (some of those live under *.k8s.io too, e.g. snapshot.storage.k8s.io), hence the list.
    static const QSet<QString> groups{QString(),
                                      QStringLiteral("apps"),
                                      QStringLiteral("batch"),
                                      QStringLiteral("autoscaling"),
                                      QStringLiteral("policy"),
                                      QStringLiteral("networking.k8s.io"),
                                      QStringLiteral("rbac.authorization.k8s.io"),
                                      QStringLiteral("storage.k8s.io"),
                                      QStringLiteral("apiextensions.k8s.io"),
                                      QStringLiteral("apiregistration.k8s.io"),
                                      QStringLiteral("admissionregistration.k8s.io"),
                                      QStringLiteral("coordination.k8s.io"),
                                      QStringLiteral("discovery.k8s.io"),
                                      QStringLiteral("events.k8s.io"),
                                      QStringLiteral("scheduling.k8s.io"),
                                      QStringLiteral("node.k8s.io"),
                                      QStringLiteral("certificates.k8s.io"),
                                      QStringLiteral("flowcontrol.apiserver.k8s.io"),
                                      QStringLiteral("authentication.k8s.io"),
                                      QStringLiteral("authorization.k8s.io")};
    return groups.contains(kind.group);
}

bool hasStatusSubresource(const KindRef& kind) {
    if (!isBuiltinKind(kind))
        return false; // a CRD says so per version: the registry knows
    static const QSet<QString> kinds{
        QStringLiteral("/Pod"),
        QStringLiteral("/Service"),
        QStringLiteral("/Namespace"),
        QStringLiteral("/PersistentVolumeClaim"),
        QStringLiteral("/PersistentVolume"),
        QStringLiteral("/Node"),
        QStringLiteral("/ReplicationController"),
        QStringLiteral("/ResourceQuota"),
        QStringLiteral("apps/Deployment"),
        QStringLiteral("apps/ReplicaSet"),
        QStringLiteral("apps/StatefulSet"),
        QStringLiteral("apps/DaemonSet"),
        QStringLiteral("batch/Job"),
        QStringLiteral("batch/CronJob"),
        QStringLiteral("autoscaling/HorizontalPodAutoscaler"),
        QStringLiteral("networking.k8s.io/Ingress"),
        QStringLiteral("policy/PodDisruptionBudget"),
        QStringLiteral("apiextensions.k8s.io/CustomResourceDefinition"),
        QStringLiteral("certificates.k8s.io/CertificateSigningRequest"),
    };
    return kinds.contains(kind.group + QLatin1Char('/') + kind.kind);
}

std::optional<bool> builtinNamespaced(const QString& group, const QString& kind) {
    // Cluster-scoped kinds of a 1.32 API server; every other listed kind is namespaced.
    static const QSet<QString> clusterScoped{
        QStringLiteral("/Namespace"),
        QStringLiteral("/Node"),
        QStringLiteral("/PersistentVolume"),
        QStringLiteral("/ComponentStatus"),
        QStringLiteral("rbac.authorization.k8s.io/ClusterRole"),
        QStringLiteral("rbac.authorization.k8s.io/ClusterRoleBinding"),
        QStringLiteral("apiextensions.k8s.io/CustomResourceDefinition"),
        QStringLiteral("apiregistration.k8s.io/APIService"),
        QStringLiteral("storage.k8s.io/StorageClass"),
        QStringLiteral("storage.k8s.io/CSIDriver"),
        QStringLiteral("storage.k8s.io/CSINode"),
        QStringLiteral("storage.k8s.io/VolumeAttachment"),
        QStringLiteral("admissionregistration.k8s.io/MutatingWebhookConfiguration"),
        QStringLiteral("admissionregistration.k8s.io/ValidatingWebhookConfiguration"),
        QStringLiteral("admissionregistration.k8s.io/ValidatingAdmissionPolicy"),
        QStringLiteral("admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding"),
        QStringLiteral("scheduling.k8s.io/PriorityClass"),
        QStringLiteral("node.k8s.io/RuntimeClass"),
        QStringLiteral("certificates.k8s.io/CertificateSigningRequest"),
        QStringLiteral("flowcontrol.apiserver.k8s.io/FlowSchema"),
        QStringLiteral("flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration"),
        QStringLiteral("networking.k8s.io/IngressClass"),
        QStringLiteral("networking.k8s.io/IPAddress"),
        QStringLiteral("networking.k8s.io/ServiceCIDR"),
    };
    static const QSet<QString> namespacedKinds{
        QStringLiteral("/ConfigMap"),
        QStringLiteral("/Endpoints"),
        QStringLiteral("/Event"),
        QStringLiteral("/LimitRange"),
        QStringLiteral("/PersistentVolumeClaim"),
        QStringLiteral("/Pod"),
        QStringLiteral("/PodTemplate"),
        QStringLiteral("/ReplicationController"),
        QStringLiteral("/ResourceQuota"),
        QStringLiteral("/Secret"),
        QStringLiteral("/ServiceAccount"),
        QStringLiteral("/Service"),
        QStringLiteral("apps/ControllerRevision"),
        QStringLiteral("apps/DaemonSet"),
        QStringLiteral("apps/Deployment"),
        QStringLiteral("apps/ReplicaSet"),
        QStringLiteral("apps/StatefulSet"),
        QStringLiteral("autoscaling/HorizontalPodAutoscaler"),
        QStringLiteral("batch/CronJob"),
        QStringLiteral("batch/Job"),
        QStringLiteral("coordination.k8s.io/Lease"),
        QStringLiteral("discovery.k8s.io/EndpointSlice"),
        QStringLiteral("events.k8s.io/Event"),
        QStringLiteral("networking.k8s.io/Ingress"),
        QStringLiteral("networking.k8s.io/NetworkPolicy"),
        QStringLiteral("policy/PodDisruptionBudget"),
        QStringLiteral("rbac.authorization.k8s.io/Role"),
        QStringLiteral("rbac.authorization.k8s.io/RoleBinding"),
        QStringLiteral("storage.k8s.io/CSIStorageCapacity"),
    };
    const QString id = group + QLatin1Char('/') + kind;
    if (clusterScoped.contains(id))
        return false;
    if (namespacedKinds.contains(id))
        return true;
    return std::nullopt;
}

} // namespace driftdeck::kubeobj
