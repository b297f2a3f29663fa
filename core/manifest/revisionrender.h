#pragma once

#include "manifest/rendercache.h"
#include "manifest/renderer.h"
#include "model/appspec.h"

#include <atomic>

namespace driftdeck::git {
class GitRepository;
}

namespace driftdeck::manifest {

struct RevisionRender {
    QString commitId;
    // What the render cache was keyed by: "tree:<id>" for plain manifests, which read nothing
    // outside their path; "commit:<id>:<path>" for everything else.
    QByteArray cacheInput;
    RenderResult result;
};

// Renders `app` as Git has it at `revision`. Kustomize overlays read `../base` and Helm charts
// `../values`, so those (and commands, and Auto, whose type is only known from the files) render in
// a checkout of the whole commit and are cached by (commit, path, renderer settings): a change to a
// base re-renders its overlays. An application declared Plain reads only its own path, so it is
// cached by that path's tree id and a commit elsewhere in the repository reuses its render. The
// checkout is bounded by `readLimits` (file size, count, total size; escaping symlinks refused) and
// removed afterwards. Safe to call from several threads with one cache; `repository` must only be
// used by this thread meanwhile (GitRepository is thread-confined).
Result<RevisionRender> renderAtRevision(const git::GitRepository& repository, const QString& revision,
                                        const AppSpec& app, RenderCache& cache,
                                        const std::atomic_bool* cancelled = nullptr);

} // namespace driftdeck::manifest
