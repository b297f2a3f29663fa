// Defaults a real API server fills in (the SetDefaults_* functions of the built-in types and the
// admission plugins every cluster runs), so that `kubectl get -o yaml` against kubesim shows what
// it shows against a real cluster and drift computations see the same server-side values.

#include "kubeobj/defaulting.h"

#include <QJsonArray>
#include <QJsonObject>

namespace driftdeck::kubeobj {
namespace {

void setDefault(QJsonObject& obj, const char* key, const QJsonValue& value) {
    if (!obj.contains(QLatin1String(key)))
        obj.insert(QLatin1String(key), value);
}

QJsonObject object(const QJsonObject& parent, const char* key) {
    return parent.value(QLatin1String(key)).toObject();
}

// ":latest" or no tag at all → Always; a digest or another tag → IfNotPresent.
QString pullPolicyFor(const QString& image) {
    if (image.contains(QLatin1Char('@')))
        return QStringLiteral("IfNotPresent");
    const QString lastPart = image.section(QLatin1Char('/'), -1);
    const qsizetype colon = lastPart.indexOf(QLatin1Char(':'));
    if (colon < 0 || lastPart.mid(colon + 1) == QLatin1String("latest"))
        return QStringLiteral("Always");
    return QStringLiteral("IfNotPresent");
}

void defaultProbe(QJsonObject& container, const char* key) {
    if (!container.value(QLatin1String(key)).isObject())
        return;
    QJsonObject probe = object(container, key);
    setDefault(probe, "timeoutSeconds", 1);
    setDefault(probe, "periodSeconds", 10);
    setDefault(probe, "successThreshold", 1);
    setDefault(probe, "failureThreshold", 3);
    if (probe.value(QLatin1String("httpGet")).isObject()) {
        QJsonObject get = object(probe, "httpGet");
        setDefault(get, "scheme", QStringLiteral("HTTP"));
        setDefault(get, "path", QStringLiteral("/"));
        probe.insert(QStringLiteral("httpGet"), get);
    }
    container.insert(QLatin1String(key), probe);
}

void defaultContainers(QJsonObject& spec, const char* key) {
    if (!spec.value(QLatin1String(key)).isArray())
        return;
    QJsonArray containers = spec.value(QLatin1String(key)).toArray();
    for (qsizetype i = 0; i < containers.size(); ++i) {
        QJsonObject c = containers.at(i).toObject();
        setDefault(c, "imagePullPolicy", pullPolicyFor(c.value(QLatin1String("image")).toString()));
        setDefault(c, "terminationMessagePath", QStringLiteral("/dev/termination-log"));
        setDefault(c, "terminationMessagePolicy", QStringLiteral("File"));
        setDefault(c, "resources", QJsonObject());
        if (c.value(QLatin1String("ports")).isArray()) {
            QJsonArray ports = c.value(QLatin1String("ports")).toArray();
            for (qsizetype p = 0; p < ports.size(); ++p) {
                QJsonObject port = ports.at(p).toObject();
                setDefault(port, "protocol", QStringLiteral("TCP"));
                ports.replace(p, port);
            }
            c.insert(QStringLiteral("ports"), ports);
        }
        if (c.value(QLatin1String("env")).isArray()) {
            QJsonArray env = c.value(QLatin1String("env")).toArray();
            for (qsizetype e = 0; e < env.size(); ++e) {
                QJsonObject var = env.at(e).toObject();
                QJsonObject from = object(var, "valueFrom");
                if (from.value(QLatin1String("fieldRef")).isObject()) {
                    QJsonObject ref = object(from, "fieldRef");
                    setDefault(ref, "apiVersion", QStringLiteral("v1"));
                    from.insert(QStringLiteral("fieldRef"), ref);
                    var.insert(QStringLiteral("valueFrom"), from);
                    env.replace(e, var);
                }
            }
            c.insert(QStringLiteral("env"), env);
        }
        defaultProbe(c, "livenessProbe");
        defaultProbe(c, "readinessProbe");
        defaultProbe(c, "startupProbe");
        containers.replace(i, c);
    }
    spec.insert(QLatin1String(key), containers);
}

void defaultVolumes(QJsonObject& spec) {
    if (!spec.value(QLatin1String("volumes")).isArray())
        return;
    QJsonArray volumes = spec.value(QLatin1String("volumes")).toArray();
    for (qsizetype i = 0; i < volumes.size(); ++i) {
        QJsonObject v = volumes.at(i).toObject();
        for (const char* source : {"configMap", "secret"}) {
            if (v.value(QLatin1String(source)).isObject()) {
                QJsonObject s = object(v, source);
                setDefault(s, "defaultMode", 420); // 0644
                v.insert(QLatin1String(source), s);
            }
        }
        if (v.value(QLatin1String("hostPath")).isObject()) {
            QJsonObject s = object(v, "hostPath");
            setDefault(s, "type", QString());
            v.insert(QStringLiteral("hostPath"), s);
        }
        volumes.replace(i, v);
    }
    spec.insert(QStringLiteral("volumes"), volumes);
}

void defaultPodSpec(QJsonObject& spec) {
    setDefault(spec, "restartPolicy", QStringLiteral("Always"));
    setDefault(spec, "dnsPolicy", QStringLiteral("ClusterFirst"));
    setDefault(spec, "schedulerName", QStringLiteral("default-scheduler"));
    setDefault(spec, "terminationGracePeriodSeconds", 30);
    setDefault(spec, "securityContext", QJsonObject());
    defaultContainers(spec, "initContainers");
    defaultContainers(spec, "containers");
    defaultContainers(spec, "ephemeralContainers");
    defaultVolumes(spec);
}

void defaultTemplate(QJsonObject& owner) {
    if (!owner.value(QLatin1String("template")).isObject())
        return;
    QJsonObject tmpl = object(owner, "template");
    QJsonObject spec = object(tmpl, "spec");
    defaultPodSpec(spec);
    tmpl.insert(QStringLiteral("spec"), spec);
    owner.insert(QStringLiteral("template"), tmpl);
}

QJsonObject rollingUpdate(const QJsonValue& a, const QJsonValue& b, const char* ka, const char* kb,
                          const QJsonObject& existing) {
    QJsonObject r = existing;
    setDefault(r, ka, a);
    setDefault(r, kb, b);
    return r;
}

void defaultStrategy(QJsonObject& spec, const char* key, const QJsonObject& rolling) {
    QJsonObject strategy = object(spec, key);
    setDefault(strategy, "type", QStringLiteral("RollingUpdate"));
    if (strategy.value(QLatin1String("type")).toString() == QLatin1String("RollingUpdate")) {
        QJsonObject r = object(strategy, "rollingUpdate");
        for (auto it = rolling.begin(); it != rolling.end(); ++it)
            if (!r.contains(it.key()))
                r.insert(it.key(), it.value());
        strategy.insert(QStringLiteral("rollingUpdate"), r);
    }
    spec.insert(QLatin1String(key), strategy);
}

void defaultJobSpec(QJsonObject& spec, const QJsonObject& meta) {
    setDefault(spec, "backoffLimit", 6);
    setDefault(spec, "completionMode", QStringLiteral("NonIndexed"));
    setDefault(spec, "suspend", false);
    setDefault(spec, "podReplacementPolicy", QStringLiteral("TerminatingOrFailed"));
    if (!spec.contains(QLatin1String("completions")) && !spec.contains(QLatin1String("parallelism"))) {
        spec.insert(QStringLiteral("completions"), 1);
        spec.insert(QStringLiteral("parallelism"), 1);
    }
    setDefault(spec, "parallelism", 1);
    defaultTemplate(spec);
    // The job controller's selector: generated labels tie pods to this job by uid.
    const QString uid = meta.value(QLatin1String("uid")).toString();
    if (spec.value(QLatin1String("manualSelector")).toBool() || uid.isEmpty())
        return;
    const QString name = meta.value(QLatin1String("name")).toString();
    setDefault(spec, "selector",
               QJsonObject{{QStringLiteral("matchLabels"),
                            QJsonObject{{QStringLiteral("batch.kubernetes.io/controller-uid"), uid}}}});
    QJsonObject tmpl = object(spec, "template");
    QJsonObject tmeta = object(tmpl, "metadata");
    QJsonObject labels = object(tmeta, "labels");
    labels.insert(QStringLiteral("batch.kubernetes.io/controller-uid"), uid);
    labels.insert(QStringLiteral("batch.kubernetes.io/job-name"), name);
    labels.insert(QStringLiteral("controller-uid"), uid);
    labels.insert(QStringLiteral("job-name"), name);
    tmeta.insert(QStringLiteral("labels"), labels);
    tmpl.insert(QStringLiteral("metadata"), tmeta);
    spec.insert(QStringLiteral("template"), tmpl);
}

void defaultServiceSpec(QJsonObject& spec) {
    setDefault(spec, "type", QStringLiteral("ClusterIP"));
    const QString type = spec.value(QLatin1String("type")).toString();
    setDefault(spec, "sessionAffinity", QStringLiteral("None"));
    if (type != QLatin1String("ExternalName")) {
        setDefault(spec, "ipFamilies", QJsonArray{QStringLiteral("IPv4")});
        setDefault(spec, "ipFamilyPolicy", QStringLiteral("SingleStack"));
        setDefault(spec, "internalTrafficPolicy", QStringLiteral("Cluster"));
    }
    if (type == QLatin1String("NodePort") || type == QLatin1String("LoadBalancer"))
        setDefault(spec, "externalTrafficPolicy", QStringLiteral("Cluster"));
    if (type == QLatin1String("LoadBalancer"))
        setDefault(spec, "allocateLoadBalancerNodePorts", true);
    if (spec.value(QLatin1String("ports")).isArray()) {
        QJsonArray ports = spec.value(QLatin1String("ports")).toArray();
        for (qsizetype i = 0; i < ports.size(); ++i) {
            QJsonObject p = ports.at(i).toObject();
            setDefault(p, "protocol", QStringLiteral("TCP"));
            if (type != QLatin1String("ExternalName"))
                setDefault(p, "targetPort", p.value(QLatin1String("port")));
            ports.replace(i, p);
        }
        spec.insert(QStringLiteral("ports"), ports);
    }
}

void foldStringData(QJsonObject& secret) {
    const QJsonObject stringData = object(secret, "stringData");
    if (secret.contains(QLatin1String("stringData"))) {
        QJsonObject data = object(secret, "data");
        for (auto it = stringData.begin(); it != stringData.end(); ++it)
            data.insert(it.key(), QString::fromLatin1(it.value().toString().toUtf8().toBase64()));
        secret.remove(QStringLiteral("stringData"));
        secret.insert(QStringLiteral("data"), data);
    }
    setDefault(secret, "type", QStringLiteral("Opaque"));
}

} // namespace

void applyDefaults(const KindRef& kind, QJsonObject& obj) {
    if (!isBuiltinKind(kind))
        return;
    const QString& k = kind.kind;
    const QString& g = kind.group;
    QJsonObject meta = object(obj, "metadata");
    QJsonObject spec = object(obj, "spec");
    const bool hadSpec = obj.contains(QLatin1String("spec"));
    bool specTouched = true;
    if (g.isEmpty() && k == QLatin1String("Pod")) {
        defaultPodSpec(spec);
        setDefault(spec, "enableServiceLinks", true);
        setDefault(spec, "preemptionPolicy", QStringLiteral("PreemptLowerPriority"));
        setDefault(spec, "priority", 0);
        setDefault(spec, "serviceAccountName", QStringLiteral("default"));
        setDefault(spec, "serviceAccount", spec.value(QLatin1String("serviceAccountName")));
        // Added by the DefaultTolerationSeconds admission plugin.
        if (!spec.contains(QLatin1String("tolerations"))) {
            QJsonArray tolerations;
            for (const char* taint : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"})
                tolerations.append(QJsonObject{{QStringLiteral("key"), QLatin1String(taint)},
                                               {QStringLiteral("operator"), QStringLiteral("Exists")},
                                               {QStringLiteral("effect"), QStringLiteral("NoExecute")},
                                               {QStringLiteral("tolerationSeconds"), 300}});
            spec.insert(QStringLiteral("tolerations"), tolerations);
        }
    } else if (g.isEmpty() &&
               (k == QLatin1String("PodTemplate") || k == QLatin1String("ReplicationController"))) {
        if (k == QLatin1String("PodTemplate")) {
            defaultTemplate(obj);
            specTouched = false;
        } else {
            setDefault(spec, "replicas", 1);
            defaultTemplate(spec);
        }
    } else if (g == QLatin1String("apps") && k == QLatin1String("Deployment")) {
        setDefault(spec, "replicas", 1);
        defaultStrategy(
            spec, "strategy",
            rollingUpdate(QStringLiteral("25%"), QStringLiteral("25%"), "maxUnavailable", "maxSurge", {}));
        setDefault(spec, "revisionHistoryLimit", 10);
        setDefault(spec, "progressDeadlineSeconds", 600);
        defaultTemplate(spec);
    } else if (g == QLatin1String("apps") && k == QLatin1String("ReplicaSet")) {
        setDefault(spec, "replicas", 1);
        defaultTemplate(spec);
    } else if (g == QLatin1String("apps") && k == QLatin1String("StatefulSet")) {
        setDefault(spec, "replicas", 1);
        setDefault(spec, "podManagementPolicy", QStringLiteral("OrderedReady"));
        defaultStrategy(spec, "updateStrategy", QJsonObject{{QStringLiteral("partition"), 0}});
        setDefault(spec, "revisionHistoryLimit", 10);
        QJsonObject retention = object(spec, "persistentVolumeClaimRetentionPolicy");
        setDefault(retention, "whenDeleted", QStringLiteral("Retain"));
        setDefault(retention, "whenScaled", QStringLiteral("Retain"));
        spec.insert(QStringLiteral("persistentVolumeClaimRetentionPolicy"), retention);
        if (spec.value(QLatin1String("volumeClaimTemplates")).isArray()) {
            QJsonArray claims = spec.value(QLatin1String("volumeClaimTemplates")).toArray();
            for (qsizetype i = 0; i < claims.size(); ++i) {
                QJsonObject claim = claims.at(i).toObject();
                setDefault(claim, "apiVersion", QStringLiteral("v1"));
                setDefault(claim, "kind", QStringLiteral("PersistentVolumeClaim"));
                QJsonObject cspec = object(claim, "spec");
                setDefault(cspec, "volumeMode", QStringLiteral("Filesystem"));
                claim.insert(QStringLiteral("spec"), cspec);
                setDefault(claim, "status",
                           QJsonObject{{QStringLiteral("phase"), QStringLiteral("Pending")}});
                claims.replace(i, claim);
            }
            spec.insert(QStringLiteral("volumeClaimTemplates"), claims);
        }
        defaultTemplate(spec);
    } else if (g == QLatin1String("apps") && k == QLatin1String("DaemonSet")) {
        defaultStrategy(spec, "updateStrategy",
                        QJsonObject{{QStringLiteral("maxUnavailable"), 1}, {QStringLiteral("maxSurge"), 0}});
        setDefault(spec, "revisionHistoryLimit", 10);
        defaultTemplate(spec);
    } else if (g == QLatin1String("batch") && k == QLatin1String("Job")) {
        defaultJobSpec(spec, meta);
    } else if (g == QLatin1String("batch") && k == QLatin1String("CronJob")) {
        setDefault(spec, "concurrencyPolicy", QStringLiteral("Allow"));
        setDefault(spec, "suspend", false);
        setDefault(spec, "successfulJobsHistoryLimit", 3);
        setDefault(spec, "failedJobsHistoryLimit", 1);
        QJsonObject jobTemplate = object(spec, "jobTemplate");
        QJsonObject jobSpec = object(jobTemplate, "spec");
        defaultTemplate(jobSpec); // the Job's own defaults come when the controller creates a Job
        jobTemplate.insert(QStringLiteral("spec"), jobSpec);
        spec.insert(QStringLiteral("jobTemplate"), jobTemplate);
    } else if (g.isEmpty() && k == QLatin1String("Service")) {
        defaultServiceSpec(spec);
        if (!obj.contains(QLatin1String("status")))
            obj.insert(QStringLiteral("status"),
                       QJsonObject{{QStringLiteral("loadBalancer"), QJsonObject()}});
    } else if (g.isEmpty() && k == QLatin1String("Secret")) {
        foldStringData(obj);
        specTouched = false;
    } else if (g.isEmpty() && k == QLatin1String("Namespace")) {
        QJsonObject labels = object(meta, "labels");
        labels.insert(QStringLiteral("kubernetes.io/metadata.name"), meta.value(QLatin1String("name")));
        meta.insert(QStringLiteral("labels"), labels);
        obj.insert(QStringLiteral("metadata"), meta);
        setDefault(spec, "finalizers", QJsonArray{QStringLiteral("kubernetes")});
        QJsonObject status = object(obj, "status");
        setDefault(status, "phase", QStringLiteral("Active"));
        obj.insert(QStringLiteral("status"), status);
    } else if (g.isEmpty() && k == QLatin1String("PersistentVolumeClaim")) {
        setDefault(spec, "volumeMode", QStringLiteral("Filesystem"));
        QJsonObject status = object(obj, "status");
        setDefault(status, "phase", QStringLiteral("Pending"));
        obj.insert(QStringLiteral("status"), status);
    } else {
        specTouched = false;
    }
    if (specTouched && (hadSpec || !spec.isEmpty()))
        obj.insert(QStringLiteral("spec"), spec);
}

} // namespace driftdeck::kubeobj
