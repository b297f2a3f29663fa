#include "kubesim/customresources.h"

#include "kubesim/admission.h"

#include <QJsonArray>

namespace driftdeck::kubesim {
namespace {

QStringList strings(const QJsonValue& value) {
    QStringList out;
    for (const QJsonValue& v : value.toArray())
        out.append(v.toString());
    return out;
}

ApiError invalid(const QString& name, const QString& field, const QString& what) {
    return ApiError{422, QStringLiteral("Invalid"),
                    QStringLiteral("CustomResourceDefinition.apiextensions.k8s.io \"%1\" is invalid: %2: %3")
                        .arg(name, field, what),
                    QJsonObject{{QStringLiteral("name"), name},
                                {QStringLiteral("group"), QStringLiteral("apiextensions.k8s.io")},
                                {QStringLiteral("kind"), QStringLiteral("CustomResourceDefinition")}}};
}

QJsonObject condition(const char* type, const char* reason, const char* message, const QString& now) {
    return QJsonObject{{QStringLiteral("type"), QString::fromLatin1(type)},
                       {QStringLiteral("status"), QStringLiteral("True")},
                       {QStringLiteral("reason"), QString::fromLatin1(reason)},
                       {QStringLiteral("message"), QString::fromLatin1(message)},
                       {QStringLiteral("lastTransitionTime"), now}};
}

} // namespace

bool isCustomResourceDefinition(const ResourceType& type) {
    return type.group == QLatin1String("apiextensions.k8s.io") &&
           type.resource == QLatin1String("customresourcedefinitions");
}

std::optional<ApiError> establishCustomResourceDefinition(QJsonObject& crd, ResourceRegistry& registry,
                                                          bool dryRun) {
    const QString name =
        crd.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("name")).toString();
    const QJsonObject spec = crd.value(QStringLiteral("spec")).toObject();
    const QString group = spec.value(QStringLiteral("group")).toString();
    QJsonObject names = spec.value(QStringLiteral("names")).toObject();
    const QString plural = names.value(QStringLiteral("plural")).toString();
    const QString kind = names.value(QStringLiteral("kind")).toString();
    if (group.isEmpty())
        return invalid(name, QStringLiteral("spec.group"), QStringLiteral("Required value"));
    if (plural.isEmpty() || kind.isEmpty())
        return invalid(name, QStringLiteral("spec.names"), QStringLiteral("Required value: plural and kind"));
    if (name != plural + QLatin1Char('.') + group)
        return invalid(
            name, QStringLiteral("metadata.name"),
            QStringLiteral("Invalid value: \"%1\": must be spec.names.plural+\".\"+spec.group").arg(name));
    const QJsonArray versions = spec.value(QStringLiteral("versions")).toArray();
    QList<ResourceType> served;
    QStringList storage;
    for (const QJsonValue& v : versions) {
        const QJsonObject version = v.toObject();
        if (version.value(QStringLiteral("storage")).toBool())
            storage.append(version.value(QStringLiteral("name")).toString());
        if (!version.value(QStringLiteral("served")).toBool())
            continue;
        const QJsonObject subresources = version.value(QStringLiteral("subresources")).toObject();
        ResourceType type;
        type.group = group;
        type.version = version.value(QStringLiteral("name")).toString();
        type.resource = plural;
        type.kind = kind;
        type.singular = names.value(QStringLiteral("singular")).toString(kind.toLower());
        type.namespaced = spec.value(QStringLiteral("scope")).toString() != QLatin1String("Cluster");
        type.shortNames = strings(names.value(QStringLiteral("shortNames")));
        type.categories = strings(names.value(QStringLiteral("categories")));
        type.verbs =
            registry
                .findKind(QStringLiteral("apiextensions.k8s.io"), QStringLiteral("CustomResourceDefinition"))
                ->verbs;
        type.hasStatus = subresources.contains(QStringLiteral("status"));
        type.hasScale = subresources.contains(QStringLiteral("scale"));
        served.append(type);
    }
    if (served.isEmpty())
        return invalid(name, QStringLiteral("spec.versions"),
                       QStringLiteral("Invalid value: must have one served version"));
    if (storage.size() != 1)
        return invalid(
            name, QStringLiteral("spec.versions"),
            QStringLiteral("Invalid value: must have exactly one version marked as storage version"));

    if (!names.contains(QStringLiteral("singular")))
        names.insert(QStringLiteral("singular"), kind.toLower());
    if (!names.contains(QStringLiteral("listKind")))
        names.insert(QStringLiteral("listKind"), QString(kind + QStringLiteral("List")));
    const QString now = admission::now();
    QJsonObject status = crd.value(QStringLiteral("status")).toObject();
    status.insert(QStringLiteral("acceptedNames"), names);
    status.insert(QStringLiteral("conditions"),
                  QJsonArray{condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                             condition("Established", "InitialNamesAccepted",
                                       "the initial names have been accepted", now)});
    QStringList stored = strings(status.value(QStringLiteral("storedVersions")));
    if (!stored.contains(storage.first()))
        stored.append(storage.first());
    status.insert(QStringLiteral("storedVersions"), QJsonArray::fromStringList(stored));
    crd.insert(QStringLiteral("status"), status);
    if (!dryRun) {
        registry.remove(group, plural);
        for (const ResourceType& type : served)
            registry.add(type);
    }
    return std::nullopt;
}

QList<ResourceType> removeCustomResourceDefinition(const QJsonObject& crd, ResourceRegistry& registry) {
    const QJsonObject spec = crd.value(QStringLiteral("spec")).toObject();
    const QString group = spec.value(QStringLiteral("group")).toString();
    const QString plural =
        spec.value(QStringLiteral("names")).toObject().value(QStringLiteral("plural")).toString();
    QList<ResourceType> served;
    for (const ResourceType& type : registry.all()) {
        if (type.group == group && type.resource == plural)
            served.append(type);
    }
    registry.remove(group, plural);
    // Objects are stored once per group/resource: one entry is enough for dropping them.
    if (served.size() > 1)
        served.resize(1);
    return served;
}

} // namespace driftdeck::kubesim
