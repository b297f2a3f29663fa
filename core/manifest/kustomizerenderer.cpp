#include "manifest/streamobjects.h"
#include "manifest/toolprocess.h"
#include "manifest/toolrenderers.h"
#include "yaml/yamlcodec.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSaveFile>

namespace driftdeck::manifest {

using namespace Qt::StringLiterals;

namespace {

// "name=newName:tag", "name:tag", "name@digest", "name=newName@digest" -> a kustomization image entry.
QJsonObject imageEntry(const QString& spec) {
    QJsonObject entry;
    QString name = spec;
    QString replacement;
    const qsizetype equals = spec.indexOf(u'=');
    if (equals > 0) {
        name = spec.left(equals);
        replacement = spec.mid(equals + 1);
    }
    QString image = equals > 0 ? replacement : spec;
    QString tag;
    QString digest;
    const qsizetype at = image.indexOf(u'@');
    if (at > 0) {
        digest = image.mid(at + 1);
        image = image.left(at);
    } else {
        const qsizetype colon = image.lastIndexOf(u':');
        if (colon > image.lastIndexOf(u'/')) {
            tag = image.mid(colon + 1);
            image = image.left(colon);
        }
    }
    if (equals > 0) {
        entry.insert("newName"_L1, image);
    } else {
        name = image;
    }
    entry.insert("name"_L1, name);
    if (!tag.isEmpty())
        entry.insert("newTag"_L1, tag);
    if (!digest.isEmpty())
        entry.insert("digest"_L1, digest);
    return entry;
}

Status applySettings(const RenderRequest& request, const QString& fileName) {
    const KustomizeSettings& settings = request.spec.kustomize;
    const QString path = QDir(request.directory).filePath(fileName);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::make(Error::Code::NotFound,
                           u"%1: cannot read it for %2"_s.arg(fileName, request.label()));
    Result<QJsonValue> parsed = yaml::parseDocument(file.readAll(), fileName);
    file.close();
    if (!parsed)
        return parsed.error();
    QJsonObject kustomization = parsed->toObject();
    if (!settings.namePrefix.isEmpty())
        kustomization.insert("namePrefix"_L1, settings.namePrefix);
    if (!settings.nameSuffix.isEmpty())
        kustomization.insert("nameSuffix"_L1, settings.nameSuffix);
    if (!settings.commonLabels.isEmpty()) {
        QJsonObject labels = kustomization.value("commonLabels"_L1).toObject();
        for (auto it = settings.commonLabels.begin(); it != settings.commonLabels.end(); ++it)
            labels.insert(it.key(), it.value());
        kustomization.insert("commonLabels"_L1, labels);
    }
    if (!settings.images.isEmpty()) {
        QJsonArray images = kustomization.value("images"_L1).toArray();
        for (const QString& spec : settings.images) {
            const QJsonObject entry = imageEntry(spec);
            bool replaced = false;
            for (qsizetype i = 0; i < images.size(); ++i) {
                if (images.at(i).toObject().value("name"_L1) == entry.value("name"_L1)) {
                    images.replace(i, entry);
                    replaced = true;
                }
            }
            if (!replaced)
                images.append(entry);
        }
        kustomization.insert("images"_L1, images);
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(yaml::toYaml(kustomization)) < 0 || !out.commit()) {
        return Error::make(Error::Code::Internal,
                           u"%1: cannot write the kustomize settings of %2 into the working copy: %3"_s.arg(
                               fileName, request.label(), out.errorString()));
    }
    return success();
}

} // namespace

QString kustomizationFileName(const QString& directory) {
    const QDir dir(directory);
    for (const QString& name : {u"kustomization.yaml"_s, u"kustomization.yml"_s, u"Kustomization"_s}) {
        if (dir.exists(name))
            return name;
    }
    return {};
}

Result<RenderResult> KustomizeRenderer::render(const RenderRequest& request) const {
    const QString fileName = kustomizationFileName(request.directory);
    if (fileName.isEmpty()) {
        return Error::make(
            Error::Code::NotFound,
            u"%1 has no kustomization.yaml; add one or choose the plain renderer"_s.arg(request.label()));
    }
    ToolInvocation invocation;
    const QString kustomize = findTool(u"kustomize"_s);
    const QString kubectl = kustomize.isEmpty() ? findTool(u"kubectl"_s) : QString();
    if (!kustomize.isEmpty()) {
        invocation.program = kustomize;
        invocation.arguments = {u"build"_s, request.directory};
        invocation.description = u"kustomize build for "_s + request.label();
    } else if (!kubectl.isEmpty()) {
        invocation.program = kubectl;
        invocation.arguments = {u"kustomize"_s, request.directory};
        invocation.description = u"kubectl kustomize for "_s + request.label();
    } else {
        return Error::make(Error::Code::NotFound,
                           u"cannot render %1: neither kustomize nor kubectl is on PATH; install kubectl "
                           u"(it has kustomize built in) or kustomize from your distribution or "
                           u"kubernetes.io, or choose the plain renderer"_s.arg(request.label()));
    }
    if (!request.spec.kustomize.isEmpty()) {
        const Status applied = applySettings(request, fileName);
        if (!applied)
            return applied.error();
    }
    invocation.workingDirectory = request.directory;
    invocation.timeout = std::chrono::seconds(request.spec.timeoutSeconds);
    invocation.maxOutputBytes = request.limits.maxOutputBytes;
    invocation.cancelled = request.cancelled;
    Result<QByteArray> out = runTool(invocation);
    if (!out)
        return out.error();

    RenderResult result;
    const QString outputName = u"output of "_s + invocation.description;
    Result<QList<yaml::Document>> documents = yaml::parseStream(*out, outputName);
    if (!documents)
        return documents.error();
    const Status appended = appendObjects(
        *documents,
        [&fileName](const yaml::Document& document) {
            return DesiredObject::Source{fileName, document.index, 0};
        },
        request.label(), result);
    if (!appended)
        return appended.error();
    return result;
}

} // namespace driftdeck::manifest
