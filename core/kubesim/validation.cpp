// Field validation (unknown fields), the 422 rules clients hit most, the generation rule and the
// split between the main resource and /status.

#include "kubeobj/schema.h"
#include "kubesim/semantics.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

namespace driftdeck::kubesim {
namespace schema = kubeobj::schema;
namespace {

using schema::Shape;
using schema::Type;

void unknownWalk(const Type* type, const QJsonValue& value, const QString& path, QStringList& out) {
    if (!type || type->shape == Shape::Any || type->shape == Shape::Scalar)
        return;
    const auto childPath = [&](const QString& key) {
        return path.isEmpty() ? key : path + QLatin1Char('.') + key;
    };
    if (type->shape == Shape::List) {
        const QJsonArray items = value.toArray();
        for (qsizetype i = 0; i < items.size(); ++i)
            unknownWalk(type->elem, items.at(i), QStringLiteral("%1[%2]").arg(path).arg(i), out);
        return;
    }
    if (!value.isObject())
        return;
    const QJsonObject obj = value.toObject();
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (type->shape == Shape::Map) {
            unknownWalk(type->elem, it.value(), childPath(it.key()), out);
            continue;
        }
        const Type* child = type->field(it.key());
        if (!child)
            out.append(childPath(it.key()));
        else
            unknownWalk(child, it.value(), childPath(it.key()), out);
    }
}

struct Cause {
    QString reason; // FieldValueInvalid, FieldValueRequired, FieldValueNotSupported
    QString field;
    QString message;
};

const QRegularExpression& subdomain() {
    static const QRegularExpression re(
        QStringLiteral("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"));
    return re;
}
const QRegularExpression& label() {
    static const QRegularExpression re(QStringLiteral("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"));
    return re;
}

QString goMap(const QJsonObject& labels) {
    QStringList parts;
    for (auto it = labels.begin(); it != labels.end(); ++it)
        parts.append(QStringLiteral("\"%1\":\"%2\"").arg(it.key(), it.value().toString()));
    return QStringLiteral("map[string]string{%1}").arg(parts.join(QLatin1String(", ")));
}

void checkName(const KindRef& kind, const QJsonObject& meta, QList<Cause>& causes) {
    const QString name = meta.value(QLatin1String("name")).toString();
    if (name.isEmpty()) {
        if (meta.value(QLatin1String("generateName")).toString().isEmpty())
            causes.append({QStringLiteral("FieldValueRequired"), QStringLiteral("metadata.name"),
                           QStringLiteral("Required value: name or generateName is required")});
        return;
    }
    // RBAC objects are named like path segments (ValidateRBACName), so "system:controller:x" is valid.
    if (kind.group == QLatin1String("rbac.authorization.k8s.io")) {
        QString problem;
        if (name == QLatin1String(".") || name == QLatin1String(".."))
            problem = QStringLiteral("may not be '%1'").arg(name);
        else if (name.contains(QLatin1Char('/')))
            problem = QStringLiteral("may not contain '/'");
        else if (name.contains(QLatin1Char('%')))
            problem = QStringLiteral("may not contain '%'");
        if (!problem.isEmpty())
            causes.append({QStringLiteral("FieldValueInvalid"), QStringLiteral("metadata.name"),
                           QStringLiteral("Invalid value: \"%1\": ").arg(name) + problem});
        return;
    }
    const bool dnsLabel = kind.group.isEmpty() &&
                          (kind.kind == QLatin1String("Namespace") || kind.kind == QLatin1String("Service"));
    if (dnsLabel && (name.size() > 63 || !label().match(name).hasMatch())) {
        causes.append(
            {QStringLiteral("FieldValueInvalid"), QStringLiteral("metadata.name"),
             QStringLiteral("Invalid value: \"%1\": a lowercase RFC 1123 label must consist of lower case "
                            "alphanumeric characters or '-', and must start and end with an alphanumeric "
                            "character (e.g. 'my-name',  or '123-abc', regex used for validation is "
                            "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
                 .arg(name)});
    } else if (!dnsLabel && (name.size() > 253 || !subdomain().match(name).hasMatch())) {
        causes.append(
            {QStringLiteral("FieldValueInvalid"), QStringLiteral("metadata.name"),
             QStringLiteral("Invalid value: \"%1\": a lowercase RFC 1123 subdomain must consist of lower "
                            "case alphanumeric characters, '-' or '.', and must start and end with an "
                            "alphanumeric character (e.g. 'example.com', regex used for validation is "
                            "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
                 .arg(name)});
    }
}

void checkPodSpec(const QJsonObject& spec, const QString& at, bool job, QList<Cause>& causes) {
    const QJsonArray containers = spec.value(QLatin1String("containers")).toArray();
    if (containers.isEmpty())
        causes.append({QStringLiteral("FieldValueRequired"), at + QStringLiteral(".containers"),
                       QStringLiteral("Required value")});
    for (const char* list : {"initContainers", "containers"}) {
        const QJsonArray items = spec.value(QLatin1String(list)).toArray();
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QJsonObject c = items.at(i).toObject();
            const QString base = QStringLiteral("%1.%2[%3]").arg(at, QLatin1String(list)).arg(i);
            if (c.value(QLatin1String("name")).toString().isEmpty())
                causes.append({QStringLiteral("FieldValueRequired"), base + QStringLiteral(".name"),
                               QStringLiteral("Required value")});
            if (c.value(QLatin1String("image")).toString().isEmpty())
                causes.append({QStringLiteral("FieldValueRequired"), base + QStringLiteral(".image"),
                               QStringLiteral("Required value")});
        }
    }
    const QString restart = spec.value(QLatin1String("restartPolicy")).toString();
    if (job && restart != QLatin1String("OnFailure") && restart != QLatin1String("Never"))
        causes.append({QStringLiteral("FieldValueNotSupported"), at + QStringLiteral(".restartPolicy"),
                       QStringLiteral("Unsupported value: \"%1\": supported values: \"OnFailure\", \"Never\"")
                           .arg(restart)});
}

void checkSelector(const QJsonObject& spec, const QString& at, bool required, QList<Cause>& causes) {
    const QJsonValue selector = spec.value(QLatin1String("selector"));
    const QJsonObject labels = spec.value(QLatin1String("template"))
                                   .toObject()
                                   .value(QLatin1String("metadata"))
                                   .toObject()
                                   .value(QLatin1String("labels"))
                                   .toObject();
    if (!selector.isObject()) {
        if (required)
            causes.append({QStringLiteral("FieldValueRequired"), at + QStringLiteral(".selector"),
                           QStringLiteral("Required value")});
        return;
    }
    const QJsonObject matchLabels = selector.toObject().value(QLatin1String("matchLabels")).toObject();
    bool matches = true;
    for (auto it = matchLabels.begin(); it != matchLabels.end(); ++it)
        if (labels.value(it.key()) != it.value())
            matches = false;
    for (const QJsonValue& e : selector.toObject().value(QLatin1String("matchExpressions")).toArray()) {
        const QJsonObject expr = e.toObject();
        const QString op = expr.value(QLatin1String("operator")).toString();
        const QString key = expr.value(QLatin1String("key")).toString();
        const QJsonArray values = expr.value(QLatin1String("values")).toArray();
        if (op == QLatin1String("In") && !values.contains(labels.value(key)))
            matches = false;
        else if (op == QLatin1String("NotIn") && values.contains(labels.value(key)))
            matches = false;
        else if (op == QLatin1String("Exists") && !labels.contains(key))
            matches = false;
        else if (op == QLatin1String("DoesNotExist") && labels.contains(key))
            matches = false;
    }
    if (matchLabels.isEmpty() &&
        selector.toObject().value(QLatin1String("matchExpressions")).toArray().isEmpty())
        causes.append(
            {QStringLiteral("FieldValueInvalid"), at + QStringLiteral(".selector"),
             QStringLiteral("Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is "
                            "invalid for deployment")});
    else if (!matches)
        causes.append({QStringLiteral("FieldValueInvalid"), at + QStringLiteral(".template.metadata.labels"),
                       QStringLiteral("Invalid value: %1: `selector` does not match template `labels`")
                           .arg(goMap(labels))});
}

void checkService(const QJsonObject& spec, QList<Cause>& causes) {
    const QString type = spec.value(QLatin1String("type")).toString(QStringLiteral("ClusterIP"));
    const QJsonArray ports = spec.value(QLatin1String("ports")).toArray();
    if (ports.isEmpty() && type != QLatin1String("ExternalName") &&
        spec.value(QLatin1String("clusterIP")).toString() != QLatin1String("None"))
        causes.append({QStringLiteral("FieldValueRequired"), QStringLiteral("spec.ports"),
                       QStringLiteral("Required value")});
    for (qsizetype i = 0; i < ports.size(); ++i) {
        const int port = ports.at(i).toObject().value(QLatin1String("port")).toInt();
        if (port < 1 || port > 65535)
            causes.append(
                {QStringLiteral("FieldValueInvalid"), QStringLiteral("spec.ports[%1].port").arg(i),
                 QStringLiteral("Invalid value: %1: must be between 1 and 65535, inclusive").arg(port)});
        if (ports.size() > 1 && ports.at(i).toObject().value(QLatin1String("name")).toString().isEmpty())
            causes.append({QStringLiteral("FieldValueRequired"), QStringLiteral("spec.ports[%1].name").arg(i),
                           QStringLiteral("Required value")});
    }
}

} // namespace

QStringList unknownFields(const KindRef& kind, const QJsonObject& obj) {
    QStringList out;
    if (!isBuiltinKind(kind))
        return out;
    unknownWalk(schema::rootType(kind), obj, QString(), out);
    return out;
}

std::optional<ApiError> validateObject(const KindRef& kind, const QJsonObject& obj) {
    if (!isBuiltinKind(kind))
        return std::nullopt;
    QList<Cause> causes;
    const QJsonObject meta = obj.value(QLatin1String("metadata")).toObject();
    const QJsonObject spec = obj.value(QLatin1String("spec")).toObject();
    checkName(kind, meta, causes);
    const QString& k = kind.kind;
    if (kind.group == QLatin1String("apps")) {
        if (k == QLatin1String("Deployment") || k == QLatin1String("ReplicaSet") ||
            k == QLatin1String("StatefulSet") || k == QLatin1String("DaemonSet")) {
            checkSelector(spec, QStringLiteral("spec"), true, causes);
            checkPodSpec(
                spec.value(QLatin1String("template")).toObject().value(QLatin1String("spec")).toObject(),
                QStringLiteral("spec.template.spec"), false, causes);
        }
    } else if (kind.group == QLatin1String("batch") && k == QLatin1String("Job")) {
        checkPodSpec(spec.value(QLatin1String("template")).toObject().value(QLatin1String("spec")).toObject(),
                     QStringLiteral("spec.template.spec"), true, causes);
    } else if (kind.group.isEmpty() && k == QLatin1String("Pod")) {
        checkPodSpec(spec, QStringLiteral("spec"), false, causes);
    } else if (kind.group.isEmpty() && k == QLatin1String("Service")) {
        checkService(spec, causes);
    }
    if (causes.isEmpty())
        return std::nullopt;

    const QString name = meta.value(QLatin1String("name")).toString();
    const QString qualified = kind.group.isEmpty() ? k : k + QLatin1Char('.') + kind.group;
    QJsonArray causeArray;
    QStringList parts;
    for (const Cause& c : std::as_const(causes)) {
        causeArray.append(QJsonObject{{QStringLiteral("reason"), c.reason},
                                      {QStringLiteral("message"), c.message},
                                      {QStringLiteral("field"), c.field}});
        parts.append(c.field + QStringLiteral(": ") + c.message);
    }
    const QString list = parts.size() == 1
                             ? parts.first()
                             : QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
    QJsonObject details{
        {QStringLiteral("name"), name}, {QStringLiteral("kind"), k}, {QStringLiteral("causes"), causeArray}};
    if (!kind.group.isEmpty())
        details.insert(QStringLiteral("group"), kind.group);
    return ApiError{422, QStringLiteral("Invalid"),
                    QStringLiteral("%1 \"%2\" is invalid: %3").arg(qualified, name, list), details};
}

bool tracksGeneration(const KindRef& kind) {
    if (!isBuiltinKind(kind))
        return true;
    static const QSet<QString> kinds{
        QStringLiteral("apps/Deployment"),
        QStringLiteral("apps/ReplicaSet"),
        QStringLiteral("apps/StatefulSet"),
        QStringLiteral("apps/DaemonSet"),
        QStringLiteral("batch/Job"),
        QStringLiteral("batch/CronJob"),
        QStringLiteral("/ReplicationController"),
        QStringLiteral("autoscaling/HorizontalPodAutoscaler"),
        QStringLiteral("networking.k8s.io/Ingress"),
        QStringLiteral("networking.k8s.io/NetworkPolicy"),
        QStringLiteral("policy/PodDisruptionBudget"),
        QStringLiteral("apiextensions.k8s.io/CustomResourceDefinition"),
    };
    return kinds.contains(kind.group + QLatin1Char('/') + kind.kind);
}

bool specChanged(const KindRef& kind, const QJsonObject& oldObj, const QJsonObject& newObj) {
    if (!tracksGeneration(kind))
        return false;
    QJsonObject a = oldObj;
    QJsonObject b = newObj;
    for (QJsonObject* o : {&a, &b}) {
        o->remove(QStringLiteral("metadata"));
        o->remove(QStringLiteral("status"));
        o->remove(QStringLiteral("apiVersion"));
        o->remove(QStringLiteral("kind"));
    }
    return a != b;
}

void restrictToSubresource(const KindRef& kind, const QJsonObject& oldObj, QJsonObject& newObj,
                           const QString& subresource) {
    if (subresource == QLatin1String("status")) {
        QJsonObject out = oldObj;
        if (newObj.contains(QLatin1String("status")))
            out.insert(QStringLiteral("status"), newObj.value(QLatin1String("status")));
        else
            out.remove(QStringLiteral("status"));
        newObj = out;
        return;
    }
    if (subresource.isEmpty() && hasStatusSubresource(kind)) {
        if (oldObj.contains(QLatin1String("status")))
            newObj.insert(QStringLiteral("status"), oldObj.value(QLatin1String("status")));
        else
            newObj.remove(QStringLiteral("status"));
    }
}

} // namespace driftdeck::kubesim
