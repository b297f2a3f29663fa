#include "manifest/renderer.h"

#include "manifest/manifestlog.h"
#include "manifest/plainrenderer.h"
#include "manifest/streamobjects.h"
#include "manifest/toolrenderers.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonDocument>

Q_LOGGING_CATEGORY(lcManifest, "driftdeck.manifest", QtWarningMsg)

namespace driftdeck::manifest {

using namespace Qt::StringLiterals;

namespace {

void addField(QCryptographicHash& hash, const QString& value) {
    const QByteArray bytes = value.toUtf8();
    // Length-prefixed so that ("ab", "c") and ("a", "bc") never hash alike.
    hash.addData(QByteArray(QByteArray::number(bytes.size()) + ':'));
    hash.addData(bytes);
}

void addList(QCryptographicHash& hash, const QStringList& values) {
    addField(hash, QString::number(values.size()));
    for (const QString& value : values)
        addField(hash, value);
}

void addObject(QCryptographicHash& hash, const QJsonObject& object) {
    // QJsonDocument writes keys sorted, so equal objects give equal bytes.
    addField(hash, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

} // namespace

RenderRequest RenderRequest::forApplication(const AppSpec& app, const QString& directory) {
    RenderRequest request;
    request.directory = directory;
    request.appName = app.name;
    request.appPath = app.path;
    request.ns = app.ns;
    request.spec = app.renderer;
    return request;
}

QString RenderRequest::label() const {
    if (appPath.isEmpty())
        return u"app '%1'"_s.arg(appName);
    return u"app '%1' (path %2)"_s.arg(appName, appPath);
}

std::unique_ptr<ManifestRenderer> createRenderer(RendererSpec::Type type) {
    switch (type) {
    case RendererSpec::Type::Kustomize:
        return std::make_unique<KustomizeRenderer>();
    case RendererSpec::Type::Helm:
        return std::make_unique<HelmRenderer>();
    case RendererSpec::Type::Command:
        return std::make_unique<CommandRenderer>();
    case RendererSpec::Type::Auto:
    case RendererSpec::Type::Plain:
        break;
    }
    return std::make_unique<PlainRenderer>();
}

RendererSpec::Type resolveType(RendererSpec::Type type, const QString& directory) {
    if (type != RendererSpec::Type::Auto)
        return type;
    if (QDir(directory).exists(u"Chart.yaml"_s))
        return RendererSpec::Type::Helm;
    if (!kustomizationFileName(directory).isEmpty())
        return RendererSpec::Type::Kustomize;
    return RendererSpec::Type::Plain;
}

Result<RenderResult> renderManifests(const RenderRequest& request) {
    const RendererSpec::Type type = resolveType(request.spec.type, request.directory);
    qCDebug(lcManifest) << "rendering" << request.label() << "with" << RendererSpec::typeName(type);
    Result<RenderResult> result = createRenderer(type)->render(request);
    if (result)
        warnAboutDuplicates(result.value());
    return result;
}

QByteArray settingsHash(const RenderRequest& request) {
    const RendererSpec& spec = request.spec;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    addField(hash, u"driftdeck-render-v1"_s);
    addField(hash, RendererSpec::typeName(spec.type));
    addField(hash, request.appName); // helm release name default, command environment
    addField(hash, request.ns);
    addField(hash, spec.recurse ? u"recurse"_s : u"flat"_s);
    addList(hash, spec.include);
    addList(hash, spec.exclude);
    addField(hash, spec.helm.releaseName);
    addField(hash, spec.helm.ns);
    addList(hash, spec.helm.valueFiles);
    addList(hash, spec.helm.parameters);
    addObject(hash, spec.helm.valuesObject);
    addField(hash, spec.kustomize.namePrefix);
    addField(hash, spec.kustomize.nameSuffix);
    addList(hash, spec.kustomize.images);
    addObject(hash, spec.kustomize.commonLabels);
    addList(hash, spec.command.argv);
    addList(hash, spec.command.env);
    addField(hash, QString::number(request.limits.maxFileBytes));
    addField(hash, QString::number(request.limits.maxFileCount));
    return hash.result().toHex();
}

} // namespace driftdeck::manifest
