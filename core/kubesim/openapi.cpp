#include "kubesim/openapi.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace driftdeck::kubesim::openapi {
namespace {

QString pathOf(const QString& group, const QString& version) {
    return group.isEmpty() ? QStringLiteral("api/") + version
                           : QStringLiteral("apis/%1/%2").arg(group, version);
}

QJsonObject queryParameter(const char* name) {
    return QJsonObject{
        {QStringLiteral("name"), QString::fromLatin1(name)},
        {QStringLiteral("in"), QStringLiteral("query")},
        {QStringLiteral("schema"), QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}}};
}

QJsonObject patchOperation(const ResourceType& type) {
    const QJsonObject anySchema{
        {QStringLiteral("schema"), QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}}};
    return QJsonObject{
        {QStringLiteral("operationId"), QString(QStringLiteral("patch") + type.kind)},
        {QStringLiteral("x-kubernetes-action"), QStringLiteral("patch")},
        {QStringLiteral("x-kubernetes-group-version-kind"),
         QJsonObject{{QStringLiteral("group"), type.group},
                     {QStringLiteral("version"), type.version},
                     {QStringLiteral("kind"), type.kind}}},
        {QStringLiteral("parameters"),
         QJsonArray{queryParameter("dryRun"), queryParameter("fieldManager"),
                    queryParameter("fieldValidation"), queryParameter("force")}},
        {QStringLiteral("requestBody"),
         QJsonObject{{QStringLiteral("content"),
                      QJsonObject{{QStringLiteral("application/apply-patch+yaml"), anySchema},
                                  {QStringLiteral("application/json-patch+json"), anySchema},
                                  {QStringLiteral("application/merge-patch+json"), anySchema}}},
                     {QStringLiteral("required"), true}}},
        {QStringLiteral("responses"),
         QJsonObject{
             {QStringLiteral("200"), QJsonObject{{QStringLiteral("description"), QStringLiteral("OK")}}}}}};
}

} // namespace

QJsonObject root(const ResourceRegistry& registry) {
    QJsonObject paths;
    for (const QString& group : registry.groups()) {
        for (const QString& version : registry.versions(group)) {
            const QString path = pathOf(group, version);
            // The hash changes with the served types, so kubectl's cache notices new CRD kinds.
            const QByteArray doc = QJsonDocument(groupVersion(registry, path)).toJson(QJsonDocument::Compact);
            const QByteArray hash =
                QCryptographicHash::hash(doc, QCryptographicHash::Sha256).toHex().left(32).toUpper();
            paths.insert(
                path,
                QJsonObject{{QStringLiteral("serverRelativeURL"),
                             QStringLiteral("/openapi/v3/%1?hash=%2").arg(path, QString::fromLatin1(hash))}});
        }
    }
    return QJsonObject{{QStringLiteral("paths"), paths}};
}

QJsonObject groupVersion(const ResourceRegistry& registry, const QString& groupVersionPath) {
    const QStringList parts = groupVersionPath.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString group;
    QString version;
    if (parts.size() == 2 && parts.at(0) == QLatin1String("api")) {
        version = parts.at(1);
    } else if (parts.size() == 3 && parts.at(0) == QLatin1String("apis")) {
        group = parts.at(1);
        version = parts.at(2);
    } else {
        return {};
    }
    const QList<ResourceType> types = registry.resources(group, version);
    if (types.isEmpty())
        return {};
    QJsonObject paths;
    const QString prefix = QLatin1Char('/') + groupVersionPath;
    for (const ResourceType& type : types) {
        const QString item =
            type.namespaced ? QStringLiteral("%1/namespaces/{namespace}/%2/{name}").arg(prefix, type.resource)
                            : QStringLiteral("%1/%2/{name}").arg(prefix, type.resource);
        paths.insert(item, QJsonObject{{QStringLiteral("patch"), patchOperation(type)}});
    }
    return QJsonObject{
        {QStringLiteral("openapi"), QStringLiteral("3.0.0")},
        {QStringLiteral("info"), QJsonObject{{QStringLiteral("title"), QStringLiteral("Kubernetes")},
                                             {QStringLiteral("version"), QStringLiteral("v1.32.0")}}},
        {QStringLiteral("paths"), paths},
        {QStringLiteral("components"), QJsonObject{{QStringLiteral("schemas"), QJsonObject()}}}};
}

} // namespace driftdeck::kubesim::openapi
