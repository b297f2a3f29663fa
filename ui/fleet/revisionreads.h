#pragma once

#include "diffview/diffdocument.h"
#include "engine/enginetypes.h"
#include "git/gittypes.h"
#include "model/appspec.h"

#include <QFuture>

// What the History tab reads from Git for one application: the commits that touched its path, a
// commit's diff, and its desired state at a commit compared with live. Each runs on a pool thread
// over the engine's cache clone (which the engine has fetched), never on the GUI thread.
// The engine has no API for these yet; when it gets one, these become calls into it.
namespace driftdeck::ui {

struct GitSource {
    QString cacheRoot; // EngineSettings::gitCacheRoot (empty: the default)
    RepoSpec repo;
};

QFuture<Result<QList<git::CommitInfo>>> applicationCommits(const GitSource& source, const AppSpec& app,
                                                           const QString& fromCommit, int maxCount = 100);
QFuture<Result<git::CommitDiff>> applicationCommitDiff(const GitSource& source, const AppSpec& app,
                                                       const QString& commit);
// Desired state rendered at `commit` (left) against the live objects of `status` now (right).
QFuture<Result<DiffDocument>> compareLiveWithRevision(const GitSource& source, const AppSpec& app,
                                                      const engine::AppStatus& status, const QString& commit);

// A commit's files side by side (old left, new right), one section per file.
DiffDocument commitDiffDocument(const git::CommitDiff& diff);

} // namespace driftdeck::ui
