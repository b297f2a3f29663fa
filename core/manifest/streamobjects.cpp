#include "manifest/streamobjects.h"

#include <QHash>
#include <QJsonArray>

namespace driftdeck::manifest {

using namespace Qt::StringLiterals;

namespace {

QString where(const DesiredObject::Source& source) {
    return describeSource(source);
}

// Checks one object; returns an empty string when it is a usable Kubernetes object.
QString problemWith(const QJsonValue& value) {
    if (!value.isObject())
        return u"is not a mapping"_s;
    const QJsonObject object = value.toObject();
    if (object.value("apiVersion"_L1).toString().isEmpty())
        return u"has no apiVersion"_s;
    if (object.value("kind"_L1).toString().isEmpty())
        return u"has no kind"_s;
    const QJsonObject metadata = object.value("metadata"_L1).toObject();
    if (metadata.value("name"_L1).toString().isEmpty() &&
        metadata.value("generateName"_L1).toString().isEmpty())
        return u"has no metadata.name"_s;
    return {};
}

Error notAnObject(const DesiredObject::Source& source, const QString& appLabel, const QString& problem,
                  int item = -1) {
    const QString what =
        item >= 0 ? u"item %1 of the list"_s.arg(item) : u"document %1"_s.arg(source.documentIndex);
    return Error::make(
        Error::Code::Invalid,
        u"%1: %2 in %3 %4, so it is not a Kubernetes object; fix the file "
        u"or leave it out with the renderer's exclude globs"_s.arg(where(source), what, appLabel, problem));
}

bool isListKind(const QJsonObject& object) {
    return object.value("kind"_L1).toString().endsWith("List"_L1) && object.value("items"_L1).isArray();
}

} // namespace

QString describeSource(const DesiredObject::Source& source) {
    if (source.line > 0)
        return source.file + u':' + QString::number(source.line);
    return source.file;
}

Status appendObjects(const QList<yaml::Document>& documents, const SourceOf& sourceOf,
                     const QString& appLabel, RenderResult& result) {
    for (const yaml::Document& document : documents) {
        if (document.value.isNull())
            continue;
        const DesiredObject::Source source = sourceOf(document);
        if (document.value.isObject() && isListKind(document.value.toObject())) {
            const QJsonArray items = document.value.toObject().value("items"_L1).toArray();
            for (qsizetype i = 0; i < items.size(); ++i) {
                const QString problem = problemWith(items.at(i));
                if (!problem.isEmpty())
                    return notAnObject(source, appLabel, problem, int(i));
                const QJsonObject object = items.at(i).toObject();
                result.objects.append(DesiredObject{object, ResourceKey::fromObject(object), source});
            }
            continue;
        }
        const QString problem = problemWith(document.value);
        if (!problem.isEmpty())
            return notAnObject(source, appLabel, problem);
        const QJsonObject object = document.value.toObject();
        result.objects.append(DesiredObject{object, ResourceKey::fromObject(object), source});
    }
    return success();
}

Status appendStream(const QByteArray& text, const QString& fileName, const QString& appLabel,
                    RenderResult& result) {
    Result<QList<yaml::Document>> documents = yaml::parseStream(text, fileName);
    if (!documents) {
        Error error = documents.error();
        error.message = error.message + u" (in "_s + appLabel + u')';
        return error;
    }
    return appendObjects(
        *documents,
        [&fileName](const yaml::Document& document) {
            return DesiredObject::Source{fileName, document.index, document.line};
        },
        appLabel, result);
}

void warnAboutDuplicates(RenderResult& result) {
    QHash<ResourceKey, qsizetype> first;
    for (qsizetype i = 0; i < result.objects.size(); ++i) {
        const DesiredObject& object = result.objects.at(i);
        if (object.key.name.isEmpty())
            continue; // generateName objects are distinct by construction
        const auto found = first.constFind(object.key);
        if (found == first.constEnd()) {
            first.insert(object.key, i);
            continue;
        }
        result.warnings.append(
            u"%1 is defined twice (%2 and %3); the cluster can only hold one of them"_s.arg(
                object.key.toString(), where(result.objects.at(*found).source), where(object.source)));
    }
}

} // namespace driftdeck::manifest
