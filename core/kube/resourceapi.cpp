#include "kube/resourceapi.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace driftdeck::kube {

namespace {

QString segment(const QString& s) {
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

} // namespace

QString ResourceInfo::apiVersion() const {
    if (group.isEmpty())
        return version;
    return group + QLatin1Char('/') + version;
}

QString collectionPath(const ResourceInfo& info, const QString& ns) {
    QString path;
    if (info.group.isEmpty())
        path = QStringLiteral("/api/") + info.version;
    else
        path = QStringLiteral("/apis/") + info.group + QLatin1Char('/') + info.version;
    if (info.namespaced && !ns.isEmpty())
        path += QStringLiteral("/namespaces/") + segment(ns);
    return path + QLatin1Char('/') + info.resource;
}

QString objectPath(const ResourceInfo& info, const QString& ns, const QString& name) {
    return collectionPath(info, ns) + QLatin1Char('/') + segment(name);
}

ApiRequest applyRequest(const ResourceInfo& info, QJsonObject object, const ApplyOptions& options) {
    QJsonObject metadata = object.value(QLatin1String("metadata")).toObject();
    QString ns = metadata.value(QLatin1String("namespace")).toString();
    if (info.namespaced && ns.isEmpty()) {
        ns = options.defaultNamespace;
        metadata.insert(QStringLiteral("namespace"), ns);
        object.insert(QStringLiteral("metadata"), metadata);
    } else if (!info.namespaced && !ns.isEmpty()) {
        metadata.remove(QStringLiteral("namespace"));
        object.insert(QStringLiteral("metadata"), metadata);
    }
    ApiRequest r;
    r.method = "PATCH";
    r.path =
        objectPath(info, info.namespaced ? ns : QString(), metadata.value(QLatin1String("name")).toString());
    r.contentType = "application/apply-patch+yaml";
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    r.query.addQueryItem(QStringLiteral("fieldManager"), options.fieldManager);
    if (options.force)
        r.query.addQueryItem(QStringLiteral("force"), QStringLiteral("true"));
    if (options.dryRun)
        r.query.addQueryItem(QStringLiteral("dryRun"), QStringLiteral("All"));
    return r;
}

ApiRequest deleteRequest(const ResourceInfo& info, const QString& ns, const QString& name,
                         const DeleteOptions& options) {
    ApiRequest r;
    r.method = "DELETE";
    r.path = objectPath(info, ns, name);
    QString policy;
    switch (options.propagation) {
    case PropagationPolicy::Background:
        policy = QStringLiteral("Background");
        break;
    case PropagationPolicy::Foreground:
        policy = QStringLiteral("Foreground");
        break;
    case PropagationPolicy::Orphan:
        policy = QStringLiteral("Orphan");
        break;
    }
    QJsonObject body{{QStringLiteral("kind"), QStringLiteral("DeleteOptions")},
                     {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                     {QStringLiteral("propagationPolicy"), policy}};
    if (options.dryRun) {
        body.insert(QStringLiteral("dryRun"), QJsonArray{QStringLiteral("All")});
        r.query.addQueryItem(QStringLiteral("dryRun"), QStringLiteral("All"));
    }
    r.query.addQueryItem(QStringLiteral("propagationPolicy"), policy);
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    r.contentType = "application/json";
    return r;
}

ApiRequest mergePatchRequest(const ResourceInfo& info, const QString& ns, const QString& name,
                             const QJsonObject& patch, bool dryRun, const QString& fieldManager) {
    ApiRequest r;
    r.method = "PATCH";
    r.path = objectPath(info, ns, name);
    r.contentType = "application/merge-patch+json";
    r.body = QJsonDocument(patch).toJson(QJsonDocument::Compact);
    r.query.addQueryItem(QStringLiteral("fieldManager"), fieldManager);
    if (dryRun)
        r.query.addQueryItem(QStringLiteral("dryRun"), QStringLiteral("All"));
    return r;
}

} // namespace driftdeck::kube
