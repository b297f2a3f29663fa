#include "manifest/plainrenderer.h"

#include "manifest/streamobjects.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace driftdeck::manifest {

using namespace Qt::StringLiterals;

namespace {

bool isManifestFile(const QString& name) {
    const QString lower = name.toLower();
    return lower.endsWith(".yaml"_L1) || lower.endsWith(".yml"_L1) || lower.endsWith(".json"_L1);
}

bool isKustomization(const QString& name) {
    return name == "kustomization.yaml"_L1 || name == "kustomization.yml"_L1 || name == "Kustomization"_L1;
}

// "{a,b}c" -> ["ac", "bc"]; nested braces expand recursively.
QStringList expandBraces(const QString& glob) {
    const qsizetype open = glob.indexOf(u'{');
    if (open < 0)
        return {glob};
    int depth = 0;
    qsizetype close = -1;
    QList<qsizetype> commas;
    for (qsizetype i = open; i < glob.size(); ++i) {
        const QChar c = glob.at(i);
        if (c == u'{') {
            ++depth;
        } else if (c == u'}') {
            if (--depth == 0) {
                close = i;
                break;
            }
        } else if (c == u',' && depth == 1) {
            commas.append(i);
        }
    }
    if (close < 0)
        return {glob};
    QStringList result;
    qsizetype start = open + 1;
    commas.append(close);
    for (qsizetype comma : commas) {
        const QString alternative = glob.left(open) + glob.mid(start, comma - start) + glob.mid(close + 1);
        result += expandBraces(alternative);
        start = comma + 1;
    }
    return result;
}

QRegularExpression globToRegex(const QString& glob) {
    QString pattern;
    for (qsizetype i = 0; i < glob.size(); ++i) {
        const QChar c = glob.at(i);
        if (c == u'*') {
            if (i + 1 < glob.size() && glob.at(i + 1) == u'*') {
                ++i;
                if (i + 1 < glob.size() && glob.at(i + 1) == u'/') {
                    ++i;
                    pattern += "(?:.*/)?"_L1; // "**/" also matches no directory at all
                } else {
                    pattern += ".*"_L1;
                }
            } else {
                pattern += "[^/]*"_L1;
            }
        } else if (c == u'?') {
            pattern += "[^/]"_L1;
        } else if (c == u'[') {
            const qsizetype end = glob.indexOf(u']', i + 1);
            if (end < 0) {
                pattern += "\\["_L1;
            } else {
                QString set = glob.mid(i + 1, end - i - 1);
                if (set.startsWith(u'!'))
                    set[0] = u'^';
                pattern += u'[' + set + u']';
                i = end;
            }
        } else {
            pattern += QRegularExpression::escape(QString(c));
        }
    }
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern));
}

bool matchesAny(const QStringList& globs, const QString& relativePath) {
    for (const QString& glob : globs) {
        if (matchesGlob(glob, relativePath))
            return true;
    }
    return false;
}

bool isInside(const QString& canonicalPath, const QString& canonicalRoot) {
    return canonicalPath == canonicalRoot || canonicalPath.startsWith(canonicalRoot + u'/');
}

} // namespace

bool matchesGlob(const QString& glob, const QString& relativePath) {
    const QString fileName = relativePath.section(u'/', -1);
    for (QString alternative : expandBraces(glob)) {
        if (alternative.startsWith("./"_L1))
            alternative = alternative.mid(2);
        const bool hasSlash = alternative.contains(u'/');
        const QRegularExpression regex = globToRegex(alternative);
        if (regex.match(hasSlash ? relativePath : fileName).hasMatch() ||
            regex.match(relativePath).hasMatch())
            return true;
    }
    return false;
}

Result<RenderResult> PlainRenderer::render(const RenderRequest& request) const {
    const QFileInfo rootInfo(request.directory);
    if (!rootInfo.isDir()) {
        return Error::make(Error::Code::NotFound,
                           u"%1: directory %2 does not exist at this revision; check the "
                           u"application's path"_s.arg(request.label(), request.appPath));
    }
    const QString root = rootInfo.canonicalFilePath();
    const QDir rootDir(root);
    RenderResult result;

    // Collect first, read later: the count limit must trip before anything large is read.
    QStringList files;
    const QDirIterator::IteratorFlags flags =
        request.spec.recurse ? QDirIterator::Subdirectories : QDirIterator::NoIteratorFlags;
    QDirIterator it(root, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::System, flags);
    while (it.hasNext()) {
        if (request.isCancelled())
            return Error::make(Error::Code::Cancelled, u"rendering %1 was cancelled"_s.arg(request.label()));
        const QString path = it.next();
        const QFileInfo info = it.fileInfo();
        const QString relative = rootDir.relativeFilePath(path);
        if (relative.section(u'/', -1).startsWith(u'.'))
            continue; // .git, editor files: never manifests
        if (info.isSymLink()) {
            const QString target = info.canonicalFilePath();
            if (target.isEmpty()) {
                if (isManifestFile(relative))
                    result.warnings.append(u"%1: broken symbolic link skipped"_s.arg(relative));
                continue;
            }
            const bool wouldRead = info.isDir() ? request.spec.recurse : isManifestFile(relative);
            if (wouldRead && !isInside(target, root)) {
                return Error::make(Error::Code::Invalid,
                                   u"%1: symbolic link points outside the application directory of %2; "
                                   u"refusing to read it. Replace the link with the file itself"_s.arg(
                                       relative, request.label()));
            }
        }
        if (info.isDir())
            continue; // the iterator descends itself; symlinked directories are not followed
        if (!isManifestFile(relative))
            continue;
        if (isKustomization(info.fileName())) {
            result.warnings.append(u"%1: skipped by the plain renderer; use the kustomize renderer to build "
                                   u"it"_s.arg(relative));
            continue;
        }
        if (!request.spec.include.isEmpty() && !matchesAny(request.spec.include, relative))
            continue;
        if (matchesAny(request.spec.exclude, relative))
            continue;
        files.append(relative);
        if (files.size() > request.limits.maxFileCount) {
            return Error::make(Error::Code::TooLarge,
                               u"%1 has more than %2 manifest files (the file count limit); narrow it with "
                               u"the renderer's include/exclude globs or raise the limit"_s.arg(
                                   request.label(), QString::number(request.limits.maxFileCount)));
        }
    }
    std::sort(files.begin(), files.end());

    for (const QString& relative : std::as_const(files)) {
        if (request.isCancelled())
            return Error::make(Error::Code::Cancelled, u"rendering %1 was cancelled"_s.arg(request.label()));
        QFile file(rootDir.filePath(relative));
        const qint64 size = QFileInfo(file).size();
        if (size > request.limits.maxFileBytes) {
            return Error::make(
                Error::Code::TooLarge,
                u"%1: %2 MiB is larger than the %3 MiB limit per manifest file of %4; remove "
                u"or exclude it, or raise the limit"_s.arg(
                    relative, QString::number(double(size) / (1024 * 1024), 'f', 1),
                    QString::number(double(request.limits.maxFileBytes) / (1024 * 1024), 'f', 1),
                    request.label()));
        }
        if (!file.open(QIODevice::ReadOnly)) {
            return Error::make(Error::Code::NotFound, u"%1: cannot read it for %2: %3"_s.arg(
                                                          relative, request.label(), file.errorString()));
        }
        // Read at most one byte over the limit: the file may have grown since it was measured.
        const QByteArray text = file.read(request.limits.maxFileBytes + 1);
        if (text.size() > request.limits.maxFileBytes) {
            return Error::make(Error::Code::TooLarge, u"%1: grew past the per-file size limit while %2 was "
                                                      u"read"_s.arg(relative, request.label()));
        }
        const Status appended = appendStream(text, relative, request.label(), result);
        if (!appended)
            return appended.error();
    }
    return result;
}

} // namespace driftdeck::manifest
