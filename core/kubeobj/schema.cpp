#include "kubeobj/schema.h"

#include <QHash>
#include <QJsonObject>
#include <QRegularExpression>

#include <deque>

namespace driftdeck::kubeobj {

namespace schema {
namespace {

// Type descriptions, one named struct a line: `Name: field:type ...`. Types: s (any scalar), * (free
// form), Name (struct), Name! (atomic struct), {}T (map), []T (atomic list), []T# (set),
// []T@k1,k2 (list-map keyed by k1+k2; k1 is also the strategic merge key).
const char* const kTypes = R"(
ObjectMeta: name:s generateName:s namespace:s uid:s resourceVersion:s generation:s creationTimestamp:s deletionTimestamp:s deletionGracePeriodSeconds:s labels:{}s annotations:{}s ownerReferences:[]OwnerReference@uid finalizers:[]s# managedFields:[]* selfLink:s
OwnerReference: apiVersion:s kind:s name:s uid:s controller:s blockOwnerDeletion:s
LabelSelector: matchLabels:{}s matchExpressions:[]LabelSelectorRequirement
LabelSelectorRequirement: key:s operator:s values:[]s
PodTemplateSpec: metadata:ObjectMeta spec:PodSpec
PodSpec: volumes:[]Volume@name initContainers:[]Container@name containers:[]Container@name ephemeralContainers:[]Container@name restartPolicy:s terminationGracePeriodSeconds:s activeDeadlineSeconds:s dnsPolicy:s nodeSelector:{}s serviceAccountName:s serviceAccount:s automountServiceAccountToken:s nodeName:s hostNetwork:s hostPID:s hostIPC:s shareProcessNamespace:s securityContext:PodSecurityContext imagePullSecrets:[]LocalObjectReference@name hostname:s subdomain:s affinity:* schedulerName:s tolerations:[]Toleration hostAliases:[]HostAlias@ip priorityClassName:s priority:s dnsConfig:PodDNSConfig readinessGates:[]* runtimeClassName:s enableServiceLinks:s preemptionPolicy:s overhead:{}s topologySpreadConstraints:[]TopologySpreadConstraint@topologyKey,whenUnsatisfiable setHostnameAsFQDN:s os:* hostUsers:s schedulingGates:[]*@name resourceClaims:[]*@name resources:ResourceRequirements
Container: name:s image:s command:[]s args:[]s workingDir:s ports:[]ContainerPort@containerPort,protocol envFrom:[]EnvFromSource env:[]EnvVar@name resources:ResourceRequirements resizePolicy:[]* restartPolicy:s volumeMounts:[]VolumeMount@mountPath volumeDevices:[]*@devicePath livenessProbe:Probe readinessProbe:Probe startupProbe:Probe lifecycle:Lifecycle terminationMessagePath:s terminationMessagePolicy:s imagePullPolicy:s securityContext:SecurityContext stdin:s stdinOnce:s tty:s targetContainerName:s
ContainerPort: name:s hostPort:s containerPort:s protocol:s hostIP:s
EnvVar: name:s value:s valueFrom:EnvVarSource
EnvVarSource: fieldRef:ObjectFieldSelector! resourceFieldRef:ResourceFieldSelector! configMapKeyRef:KeySelector! secretKeyRef:KeySelector!
ObjectFieldSelector: apiVersion:s fieldPath:s
ResourceFieldSelector: containerName:s resource:s divisor:s
KeySelector: name:s key:s optional:s
EnvFromSource: prefix:s configMapRef:OptionalReference! secretRef:OptionalReference!
OptionalReference: name:s optional:s
ResourceRequirements: limits:{}s requests:{}s claims:[]*@name
VolumeMount: name:s readOnly:s recursiveReadOnly:s mountPath:s subPath:s mountPropagation:s subPathExpr:s
Probe: exec:ExecAction httpGet:HTTPGetAction tcpSocket:TCPSocketAction grpc:* initialDelaySeconds:s timeoutSeconds:s periodSeconds:s successThreshold:s failureThreshold:s terminationGracePeriodSeconds:s
ExecAction: command:[]s
HTTPGetAction: path:s port:s host:s scheme:s httpHeaders:[]HTTPHeader
HTTPHeader: name:s value:s
TCPSocketAction: port:s host:s
Lifecycle: postStart:LifecycleHandler preStop:LifecycleHandler stopSignal:s
LifecycleHandler: exec:ExecAction httpGet:HTTPGetAction tcpSocket:TCPSocketAction sleep:*
SecurityContext: capabilities:Capabilities privileged:s seLinuxOptions:* windowsOptions:* runAsUser:s runAsGroup:s runAsNonRoot:s readOnlyRootFilesystem:s allowPrivilegeEscalation:s procMount:s seccompProfile:* appArmorProfile:*
Capabilities: add:[]s drop:[]s
PodSecurityContext: seLinuxOptions:* windowsOptions:* runAsUser:s runAsGroup:s runAsNonRoot:s supplementalGroups:[]s supplementalGroupsPolicy:s fsGroup:s sysctls:[]* fsGroupChangePolicy:s seccompProfile:* appArmorProfile:* seLinuxChangePolicy:s
LocalObjectReference: name:s
Toleration: key:s operator:s value:s effect:s tolerationSeconds:s
HostAlias: ip:s hostnames:[]s
PodDNSConfig: nameservers:[]s searches:[]s options:[]*
TopologySpreadConstraint: maxSkew:s topologyKey:s whenUnsatisfiable:s labelSelector:LabelSelector! minDomains:s nodeAffinityPolicy:s nodeTaintsPolicy:s matchLabelKeys:[]s
Volume: name:s hostPath:* emptyDir:* secret:* configMap:* persistentVolumeClaim:* projected:* downwardAPI:* nfs:* csi:* ephemeral:* gitRepo:* awsElasticBlockStore:* gcePersistentDisk:* iscsi:* glusterfs:* rbd:* flexVolume:* cinder:* cephfs:* flocker:* fc:* azureFile:* azureDisk:* vsphereVolume:* quobyte:* photonPersistentDisk:* portworxVolume:* scaleIO:* storageos:* image:*
Condition: type:s status:s observedGeneration:s lastProbeTime:s lastUpdateTime:s lastTransitionTime:s reason:s message:s
Pod: apiVersion:s kind:s metadata:ObjectMeta spec:PodSpec status:PodStatus
PodStatus: phase:s conditions:[]Condition@type message:s reason:s nominatedNodeName:s hostIP:s hostIPs:[]* podIP:s podIPs:[]*@ip startTime:s initContainerStatuses:[]* containerStatuses:[]* ephemeralContainerStatuses:[]* qosClass:s resize:s resourceClaimStatuses:[]* observedGeneration:s
PodTemplate: apiVersion:s kind:s metadata:ObjectMeta template:PodTemplateSpec
Deployment: apiVersion:s kind:s metadata:ObjectMeta spec:DeploymentSpec status:DeploymentStatus
DeploymentSpec: replicas:s selector:LabelSelector! template:PodTemplateSpec strategy:DeploymentStrategy minReadySeconds:s revisionHistoryLimit:s paused:s progressDeadlineSeconds:s
DeploymentStrategy: type:s rollingUpdate:RollingUpdate
RollingUpdate: maxUnavailable:s maxSurge:s partition:s
DeploymentStatus: observedGeneration:s replicas:s updatedReplicas:s readyReplicas:s availableReplicas:s unavailableReplicas:s terminatingReplicas:s conditions:[]Condition@type collisionCount:s
ReplicaSet: apiVersion:s kind:s metadata:ObjectMeta spec:ReplicaSetSpec status:ReplicaSetStatus
ReplicaSetSpec: replicas:s minReadySeconds:s selector:LabelSelector! template:PodTemplateSpec
ReplicaSetStatus: replicas:s fullyLabeledReplicas:s readyReplicas:s availableReplicas:s terminatingReplicas:s observedGeneration:s conditions:[]Condition@type
StatefulSet: apiVersion:s kind:s metadata:ObjectMeta spec:StatefulSetSpec status:StatefulSetStatus
StatefulSetSpec: replicas:s selector:LabelSelector! template:PodTemplateSpec volumeClaimTemplates:[]* serviceName:s podManagementPolicy:s updateStrategy:UpdateStrategy revisionHistoryLimit:s minReadySeconds:s persistentVolumeClaimRetentionPolicy:* ordinals:*
UpdateStrategy: type:s rollingUpdate:RollingUpdate
StatefulSetStatus: observedGeneration:s replicas:s readyReplicas:s currentReplicas:s updatedReplicas:s currentRevision:s updateRevision:s collisionCount:s conditions:[]Condition@type availableReplicas:s
DaemonSet: apiVersion:s kind:s metadata:ObjectMeta spec:DaemonSetSpec status:DaemonSetStatus
DaemonSetSpec: selector:LabelSelector! template:PodTemplateSpec updateStrategy:UpdateStrategy minReadySeconds:s revisionHistoryLimit:s
DaemonSetStatus: currentNumberScheduled:s numberMisscheduled:s desiredNumberScheduled:s numberReady:s observedGeneration:s updatedNumberScheduled:s numberAvailable:s numberUnavailable:s collisionCount:s conditions:[]Condition@type
Job: apiVersion:s kind:s metadata:ObjectMeta spec:JobSpec status:JobStatus
JobSpec: parallelism:s completions:s activeDeadlineSeconds:s podFailurePolicy:* successPolicy:* backoffLimit:s backoffLimitPerIndex:s maxFailedIndexes:s selector:LabelSelector! manualSelector:s template:PodTemplateSpec ttlSecondsAfterFinished:s completionMode:s suspend:s podReplacementPolicy:s managedBy:s
JobStatus: conditions:[]Condition@type startTime:s completionTime:s active:s succeeded:s failed:s terminating:s completedIndexes:s failedIndexes:s uncountedTerminatedPods:* ready:s
CronJob: apiVersion:s kind:s metadata:ObjectMeta spec:CronJobSpec status:CronJobStatus
CronJobSpec: schedule:s timeZone:s startingDeadlineSeconds:s concurrencyPolicy:s suspend:s jobTemplate:JobTemplateSpec successfulJobsHistoryLimit:s failedJobsHistoryLimit:s
JobTemplateSpec: metadata:ObjectMeta spec:JobSpec
CronJobStatus: active:[]* lastScheduleTime:s lastSuccessfulTime:s
Service: apiVersion:s kind:s metadata:ObjectMeta spec:ServiceSpec status:ServiceStatus
ServiceSpec: ports:[]ServicePort@port,protocol selector:{}s clusterIP:s clusterIPs:[]s type:s externalIPs:[]s sessionAffinity:s loadBalancerIP:s loadBalancerSourceRanges:[]s externalName:s externalTrafficPolicy:s healthCheckNodePort:s publishNotReadyAddresses:s sessionAffinityConfig:* ipFamilies:[]s ipFamilyPolicy:s allocateLoadBalancerNodePorts:s loadBalancerClass:s internalTrafficPolicy:s trafficDistribution:s
ServicePort: name:s protocol:s appProtocol:s port:s targetPort:s nodePort:s
ServiceStatus: loadBalancer:* conditions:[]Condition@type
ConfigMap: apiVersion:s kind:s metadata:ObjectMeta data:{}s binaryData:{}s immutable:s
Secret: apiVersion:s kind:s metadata:ObjectMeta data:{}s stringData:{}s type:s immutable:s
Namespace: apiVersion:s kind:s metadata:ObjectMeta spec:NamespaceSpec status:*
NamespaceSpec: finalizers:[]s
ServiceAccount: apiVersion:s kind:s metadata:ObjectMeta secrets:[]*@name imagePullSecrets:[]LocalObjectReference automountServiceAccountToken:s
PersistentVolumeClaim: apiVersion:s kind:s metadata:ObjectMeta spec:PersistentVolumeClaimSpec status:*
PersistentVolumeClaimSpec: accessModes:[]s selector:LabelSelector! resources:ResourceRequirements volumeName:s storageClassName:s volumeMode:s dataSource:* dataSourceRef:* volumeAttributesClassName:s
Ingress: apiVersion:s kind:s metadata:ObjectMeta spec:IngressSpec status:*
IngressSpec: ingressClassName:s defaultBackend:* tls:[]IngressTLS rules:[]IngressRule
IngressTLS: hosts:[]s secretName:s
IngressRule: host:s http:HTTPIngressRuleValue
HTTPIngressRuleValue: paths:[]HTTPIngressPath
HTTPIngressPath: path:s pathType:s backend:*
HorizontalPodAutoscaler: apiVersion:s kind:s metadata:ObjectMeta spec:HorizontalPodAutoscalerSpec status:*
HorizontalPodAutoscalerSpec: scaleTargetRef:* minReplicas:s maxReplicas:s metrics:[]* behavior:* targetCPUUtilizationPercentage:s
Role: apiVersion:s kind:s metadata:ObjectMeta rules:[]PolicyRule
ClusterRole: apiVersion:s kind:s metadata:ObjectMeta rules:[]PolicyRule aggregationRule:*
PolicyRule: apiGroups:[]s resources:[]s verbs:[]s resourceNames:[]s nonResourceURLs:[]s
RoleBinding: apiVersion:s kind:s metadata:ObjectMeta subjects:[]* roleRef:*
ClusterRoleBinding: apiVersion:s kind:s metadata:ObjectMeta subjects:[]* roleRef:*
NetworkPolicy: apiVersion:s kind:s metadata:ObjectMeta spec:*
PodDisruptionBudget: apiVersion:s kind:s metadata:ObjectMeta spec:* status:*
)";

// group/Kind → root type name.
const char* const kKinds = R"(
/Pod /PodTemplate /Service /ConfigMap /Secret /Namespace /ServiceAccount /PersistentVolumeClaim
apps/Deployment apps/ReplicaSet apps/StatefulSet apps/DaemonSet batch/Job batch/CronJob
networking.k8s.io/Ingress networking.k8s.io/NetworkPolicy autoscaling/HorizontalPodAutoscaler
rbac.authorization.k8s.io/Role rbac.authorization.k8s.io/ClusterRole
rbac.authorization.k8s.io/RoleBinding rbac.authorization.k8s.io/ClusterRoleBinding policy/PodDisruptionBudget
)";

class Registry {
public:
    Registry() {
        const QStringList lines = QString::fromLatin1(kTypes).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString& line : lines) {
            const qsizetype colon = line.indexOf(QLatin1Char(':'));
            const QString name = line.left(colon);
            QHash<QString, const Type*>& fields = m_structs[name];
            const QStringList parts = line.mid(colon + 1).split(QLatin1Char(' '), Qt::SkipEmptyParts);
            for (const QString& part : parts) {
                const qsizetype sep = part.indexOf(QLatin1Char(':'));
                fields.insert(part.left(sep), parse(part.mid(sep + 1)));
            }
        }
        const QStringList kinds = QString::fromLatin1(kKinds).simplified().split(QLatin1Char(' '));
        for (const QString& gk : kinds) {
            const QString kind = gk.section(QLatin1Char('/'), 1);
            m_kinds.insert(gk, parse(kind));
        }
    }

    const Type* root(const KindRef& kind) const {
        return m_kinds.value(kind.group + QLatin1Char('/') + kind.kind, nullptr);
    }
    const Type* structField(const QString& structName, const QString& field) const {
        return m_structs.value(structName).value(field, nullptr);
    }
    const Type* any() const { return m_any; }

private:
    const Type* make(Type t) {
        m_storage.push_back(std::move(t));
        return &m_storage.back();
    }
    const Type* parse(const QString& spec) {
        if (spec == QLatin1String("s"))
            return m_scalar;
        if (spec == QLatin1String("*"))
            return m_any;
        if (spec.startsWith(QLatin1String("{}")))
            return make(Type{Shape::Map, {}, false, parse(spec.mid(2)), ListKind::Atomic, {}});
        if (spec.startsWith(QLatin1String("[]"))) {
            QString rest = spec.mid(2);
            Type list{Shape::List, {}, false, nullptr, ListKind::Atomic, {}};
            if (rest.endsWith(QLatin1Char('#'))) {
                list.listKind = ListKind::Set;
                rest.chop(1);
            } else if (const qsizetype at = rest.indexOf(QLatin1Char('@')); at >= 0) {
                list.listKind = ListKind::Map;
                list.keys = rest.mid(at + 1).split(QLatin1Char(','));
                rest = rest.left(at);
            }
            list.elem = parse(rest);
            return make(std::move(list));
        }
        const bool atomic = spec.endsWith(QLatin1Char('!'));
        const QString name = atomic ? spec.chopped(1) : spec;
        return make(Type{Shape::Struct, name, atomic, nullptr, ListKind::Atomic, {}});
    }

    std::deque<Type> m_storage;
    const Type* m_scalar = make(Type{Shape::Scalar, {}, false, nullptr, ListKind::Atomic, {}});
    const Type* m_any = make(Type{Shape::Any, {}, false, nullptr, ListKind::Atomic, {}});
    QHash<QString, QHash<QString, const Type*>> m_structs;
    QHash<QString, const Type*> m_kinds;
};

const Registry& registry() {
    static const Registry instance;
    return instance;
}

} // namespace

const Type* Type::field(const QString& fieldName) const {
    if (shape == Shape::Any)
        return registry().any();
    if (shape != Shape::Struct)
        return nullptr;
    return registry().structField(name, fieldName);
}

const Type* rootType(const KindRef& kind) {
    return registry().root(kind);
}

const Type* orAny(const Type* type) {
    return type ? type : anyType();
}

bool isGranular(const Type* type) {
    return type->shape == Shape::Any || type->shape == Shape::Map ||
           (type->shape == Shape::Struct && !type->atomic);
}

bool isItemised(const Type* type) {
    return type->shape == Shape::List && type->listKind != ListKind::Atomic;
}

const Type* anyType() {
    return registry().any();
}

const Type* childType(const Type* parent, const QString& key) {
    if (!parent || parent->shape == Shape::Any)
        return anyType();
    if (parent->shape == Shape::Map)
        return parent->elem;
    return parent->field(key);
}

QJsonObject listMapKey(const Type* list, const QJsonObject& item) {
    QJsonObject key;
    if (!list)
        return key;
    for (const QString& k : list->keys) {
        QJsonValue v = item.value(k);
        if (v.isUndefined() && k == QLatin1String("protocol"))
            v = QStringLiteral("TCP"); // the API's declared default for port list-map keys
        if (v.isUndefined() || v.isNull())
            continue; // a partial key still identifies the item as the real server does
        key.insert(k, v);
    }
    return key;
}

} // namespace schema
} // namespace driftdeck::kubeobj
