#include "manifest/streamobjects.h"
#include "manifest/toolprocess.h"
#include "manifest/toolrenderers.h"
#include "yaml/yamlcodec.h"

#include <QDir>
#include <QFileInfo>
#include <QList>
#include <QTemporaryFile>

namespace driftdeck::manifest {

using namespace Qt::StringLiterals;

namespace {

struct SourceComment {
    int line = 0;
    QString file;
};

// helm template writes "# Source: chart/templates/x.yaml" above each document.
QList<SourceComment> sourceComments(const QByteArray& text) {
    QList<SourceComment> comments;
    int line = 0;
    for (const QByteArray& row : text.split('\n')) {
        ++line;
        if (!row.startsWith("# Source: "))
            continue;
        QString file = QString::fromUtf8(row.mid(10).trimmed());
        // Drop the chart's own directory name: sources are relative to the application directory.
        const qsizetype slash = file.indexOf(u'/');
        if (slash > 0)
            file = file.mid(slash + 1);
        comments.append({line, file});
    }
    return comments;
}

QString releaseName(const RenderRequest& request) {
    return request.spec.helm.releaseName.isEmpty() ? request.appName : request.spec.helm.releaseName;
}

// The workspace reader and the Argo CD import check these too; the renderer is the last line, and
// the only one that sees the files, so it also follows symbolic links.
Status checkSettings(const RenderRequest& request) {
    const QString release = releaseName(request);
    if (!helmcheck::isValidReleaseName(release)) {
        return Error::make(
            Error::Code::Invalid,
            u"cannot render %1: '%2' is not a valid Helm release name (lower-case letters, digits, "
            u"'-' and '.', at most 53, starting and ending with a letter or digit); set "
            u"helm.releaseName"_s.arg(request.label(), release));
    }
    const QString rootPath = request.checkoutRoot.isEmpty() ? request.directory : request.checkoutRoot;
    const QString root = QFileInfo(rootPath).canonicalFilePath();
    const QString directory = QFileInfo(request.directory).canonicalFilePath();
    if (root.isEmpty() || directory.isEmpty())
        return Error::make(Error::Code::NotFound,
                           u"cannot render %1: its directory does not exist"_s.arg(request.label()));
    const QString appPath = QDir(root).relativeFilePath(directory);
    for (const QString& file : request.spec.helm.valueFiles) {
        const QString problem = helmcheck::valueFileProblem(file, appPath);
        if (!problem.isEmpty())
            return Error::make(Error::Code::Invalid, u"cannot render %1: %2"_s.arg(request.label(), problem));
        const QString resolved = QFileInfo(QDir(directory).filePath(file)).canonicalFilePath();
        if (resolved.isEmpty())
            return Error::make(
                Error::Code::NotFound,
                u"cannot render %1: value file '%2' does not exist"_s.arg(request.label(), file));
        if (resolved != root && !resolved.startsWith(root + u'/'))
            return Error::make(Error::Code::Invalid,
                               u"cannot render %1: value file '%2' leads outside the repository through a "
                               u"symbolic link"_s.arg(request.label(), file));
    }
    return success();
}

} // namespace

// Options are written as --name=value and the positional arguments follow `--`, so no setting can
// be read as another option.
QStringList HelmRenderer::arguments(const RenderRequest& request, const QString& valuesObjectFile) {
    const HelmSettings& helm = request.spec.helm;
    const QString ns = helm.ns.isEmpty() ? request.ns : helm.ns;
    QStringList args{u"template"_s};
    if (!ns.isEmpty())
        args << u"--namespace="_s + ns;
    for (const QString& file : helm.valueFiles)
        args << u"--values="_s + file;
    if (!valuesObjectFile.isEmpty())
        args << u"--values="_s + valuesObjectFile;
    for (const QString& parameter : helm.parameters)
        args << u"--set="_s + parameter;
    args << u"--"_s << releaseName(request) << request.directory;
    return args;
}

Result<RenderResult> HelmRenderer::render(const RenderRequest& request) const {
    const QString helm = findTool(u"helm"_s);
    if (helm.isEmpty()) {
        return Error::make(Error::Code::NotFound,
                           u"cannot render %1: helm is not installed: install it from your distribution or "
                           u"helm.sh, or render this application with the kustomize or plain renderer"_s.arg(
                               request.label()));
    }
    if (!QDir(request.directory).exists(u"Chart.yaml"_s)) {
        return Error::make(
            Error::Code::NotFound,
            u"%1 has no Chart.yaml; point the application at the chart directory"_s.arg(request.label()));
    }
    if (const Status checked = checkSettings(request); !checked)
        return checked.error();
    // valuesObject goes through a file outside the working copy so it cannot clash with chart files.
    QTemporaryFile valuesFile(QDir::tempPath() + u"/driftdeck-values-XXXXXX.yaml"_s);
    QString valuesPath;
    if (!request.spec.helm.valuesObject.isEmpty()) {
        if (!valuesFile.open() || valuesFile.write(yaml::toYaml(request.spec.helm.valuesObject)) < 0 ||
            !valuesFile.flush()) {
            return Error::make(
                Error::Code::Internal,
                u"cannot write the inline helm values of %1 to a temporary file"_s.arg(request.label()));
        }
        valuesPath = valuesFile.fileName();
    }

    ToolInvocation invocation;
    invocation.program = helm;
    invocation.arguments = arguments(request, valuesPath);
    invocation.workingDirectory = request.directory;
    invocation.timeout = std::chrono::seconds(request.spec.timeoutSeconds);
    invocation.maxOutputBytes = request.limits.maxOutputBytes;
    invocation.cancelled = request.cancelled;
    invocation.description = u"helm template for "_s + request.label();
    Result<QByteArray> out = runTool(invocation);
    if (!out)
        return out.error();

    Result<QList<yaml::Document>> documents =
        yaml::parseStream(*out, u"output of "_s + invocation.description);
    if (!documents)
        return documents.error();
    const QList<SourceComment> comments = sourceComments(*out);
    RenderResult result;
    const Status appended = appendObjects(
        *documents,
        [&comments](const yaml::Document& document) {
            QString file = u"Chart.yaml"_s;
            for (const SourceComment& comment : comments) {
                if (comment.line > document.line)
                    break;
                file = comment.file;
            }
            // The line is of helm's output, not of the template, so it is left unknown.
            return DesiredObject::Source{file, document.index, 0};
        },
        request.label(), result);
    if (!appended)
        return appended.error();
    return result;
}

} // namespace driftdeck::manifest
