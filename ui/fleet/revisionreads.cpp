#include "revisionreads.h"

#include "git/gitrepository.h"
#include "kubeobj/object.h"
#include "manifest/revisionrender.h"

#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {
namespace {

Result<git::GitRepository> openCache(const GitSource& source) {
    const QString directory = git::GitRepository::cacheDirectoryFor(source.repo.url, source.cacheRoot);
    Result<git::GitRepository> repository = git::GitRepository::open(directory);
    if (!repository.ok()) {
        Error error = repository.error();
        error.message = u"repository %1 is not fetched yet: %2"_s.arg(source.repo.name, error.message);
        error.detail = u"refresh (F5) and wait for the application to be compared"_s;
        return error;
    }
    return repository;
}

QStringList textLines(const QByteArray& content) {
    QStringList lines = QString::fromUtf8(content).split(u'\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

// The UI's own small cache: comparing with a revision twice does not render twice.
manifest::RenderCache& uiRenderCache() {
    static manifest::RenderCache cache(32);
    return cache;
}

} // namespace

QFuture<Result<QList<git::CommitInfo>>> applicationCommits(const GitSource& source, const AppSpec& app,
                                                           const QString& fromCommit, int maxCount) {
    return QtConcurrent::run([source, app, fromCommit, maxCount]() -> Result<QList<git::CommitInfo>> {
        Result<git::GitRepository> repository = openCache(source);
        if (!repository.ok())
            return repository.error();
        return repository->history(fromCommit, app.path, maxCount);
    });
}

QFuture<Result<git::CommitDiff>> applicationCommitDiff(const GitSource& source, const AppSpec& app,
                                                       const QString& commit) {
    return QtConcurrent::run([source, app, commit]() -> Result<git::CommitDiff> {
        Result<git::GitRepository> repository = openCache(source);
        if (!repository.ok())
            return repository.error();
        return repository->commitDiff(commit, app.path);
    });
}

QFuture<Result<DiffDocument>> compareLiveWithRevision(const GitSource& source, const AppSpec& app,
                                                      const engine::AppStatus& status,
                                                      const QString& commit) {
    return QtConcurrent::run([source, app, status, commit]() -> Result<DiffDocument> {
        Result<git::GitRepository> repository = openCache(source);
        if (!repository.ok())
            return repository.error();
        Result<manifest::RevisionRender> render =
            manifest::renderAtRevision(*repository, commit, app, uiRenderCache());
        if (!render.ok())
            return render.error();
        QHash<ResourceKey, kubeobj::Object> live;
        for (const engine::ResourceStatus& resource : status.resources)
            if (!resource.diff.live.isNull())
                live.insert(resource.key, resource.diff.live);
        DiffDocument document;
        QSet<ResourceKey> seen;
        for (const manifest::DesiredObject& desired : render->result.objects) {
            ResourceKey key = desired.key;
            if (key.ns.isEmpty() && !live.contains(key)) {
                ResourceKey placed = key;
                placed.ns = app.ns;
                if (live.contains(placed))
                    key = placed;
            }
            seen.insert(key);
            const Result<kubeobj::Object> object = kubeobj::Object::fromJson(desired.object);
            const QStringList desiredLines = object.ok() ? object->yamlLines() : QStringList();
            const kubeobj::Object liveObject = live.value(key);
            const QStringList liveLines = liveObject.isNull() ? QStringList() : liveObject.yamlLines();
            if (desiredLines == liveLines)
                continue;
            document.addSection(makeDiffSection(key,
                                                liveObject.isNull() ? diff::ObjectDiff::State::Missing
                                                                    : diff::ObjectDiff::State::OutOfSync,
                                                desiredLines, liveLines));
        }
        for (auto it = live.cbegin(); it != live.cend(); ++it)
            if (!seen.contains(it.key()))
                document.addSection(
                    makeDiffSection(it.key(), diff::ObjectDiff::State::Extra, {}, it.value().yamlLines()));
        return document;
    });
}

DiffDocument commitDiffDocument(const git::CommitDiff& diff) {
    DiffDocument document;
    for (const git::FileChange& file : diff.files) {
        ResourceKey key;
        key.kind = u"File"_s;
        key.name = file.newPath.isEmpty() ? file.oldPath : file.newPath;
        const bool shown = !file.binary && !file.contentOmitted;
        // The section's state only colours its header: a commit's file is "changed" either way.
        document.addSection(makeDiffSection(
            key, diff::ObjectDiff::State::OutOfSync,
            shown ? textLines(file.oldContent) : QStringList{u"(binary or too large to show)"_s},
            shown ? textLines(file.newContent) : QStringList{u"(binary or too large to show)"_s}));
    }
    return document;
}

} // namespace driftdeck::ui
