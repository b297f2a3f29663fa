#pragma once

#include "git/gittypes.h"
#include "model/error.h"

#include <QString>

#include <memory>

namespace driftdeck::git {

// One Git repository, opened through libgit2. Thread-confined: create and use it on one thread
// (the Git worker's; tests use it directly). It never touches a work tree except in revert(),
// which updates it only when the repository's HEAD is the reverted branch and the affected files
// are clean. Reads go through the object database, so a checkout's local edits are invisible.
class GitRepository {
public:
    // Opens an existing repository (work tree or bare) at `path` — the work tree, the .git
    // directory or a bare repository directory.
    static Result<GitRepository> open(const QString& path);

    // Clones `url` as a bare mirror-like repository (refs/heads/* and tags mirrored as they are
    // on the remote) into `directory`, which must not exist. A failed or cancelled clone leaves
    // nothing behind.
    static Result<GitRepository> clone(const QString& url, const QString& directory,
                                       const RemoteOptions& options = {});

    // Opens the cache clone of `url` under `cacheRoot`, cloning it when absent. Does not fetch.
    static Result<GitRepository> openOrClone(const QString& url, const RemoteOptions& options = {},
                                             const QString& cacheRoot = {});
    // ~/.cache/driftdeck/repos (XDG_CACHE_HOME honoured).
    static QString defaultCacheRoot();
    // <cacheRoot>/<sha256 of the URL without credentials>.
    static QString cacheDirectoryFor(const QString& url, const QString& cacheRoot = {});

    GitRepository(GitRepository&&) noexcept;
    GitRepository& operator=(GitRepository&&) noexcept;
    ~GitRepository();

    // The git directory (for a bare repository, the repository itself).
    QString gitDirectory() const;
    // The work tree, or empty for a bare repository.
    QString workTree() const;
    bool isBare() const;
    // How errors name this repository: its origin URL without credentials, else its path.
    QString displayName() const;

    // Fetches every branch and tag from the "origin" remote (force-updating the mirror refs).
    Status fetch(const RemoteOptions& options = {});

    // Resolves a branch, tag (annotated too), full or short commit id, HEAD or "origin/branch" to
    // a commit, and `path` at that commit to its tree id.
    Result<ResolvedRevision> resolve(const QString& revision, const QString& path = {}) const;

    // The files under `path` at `revision`, in memory. Symlinks escaping `path` are refused.
    Result<TreeSnapshot> readTree(const QString& revision, const QString& path,
                                  const ReadLimits& limits = {}) const;
    // The same files written under `directory` (created if missing; should be empty), for
    // external renderers. The snapshot lists the files without their contents. On failure the
    // files written so far are removed again.
    Result<TreeSnapshot> materialise(const QString& revision, const QString& path, const QString& directory,
                                     const ReadLimits& limits = {}) const;

    // Commits that changed `path`, newest first, following first parents from `revision`.
    Result<QList<CommitInfo>> history(const QString& revision, const QString& path, int maxCount = 50,
                                      const std::atomic_bool* cancel = nullptr) const;

    // What the commit `revision` changed under `path`, against its first parent.
    Result<CommitDiff> commitDiff(const QString& revision, const QString& path,
                                  const ReadLimits& limits = {}) const;

    // Who last changed each line of the file `filePath` (repository-relative) as it is at
    // `revision`: libgit2's blame with the resolved commit as its newest commit, so it reads the
    // object database only (bare repositories and cache clones too). Symbolic links on the way
    // are followed inside the repository; absolute paths, '..' and links leading out of the
    // repository are refused, as are files over limits.maxFileSize. The walk goes back at most
    // limits.maxBlameDepth commits along first parents (see ReadLimits). Hunks are in file order.
    Result<QList<BlameHunk>> blame(const QString& revision, const QString& filePath,
                                   const ReadLimits& limits = {}) const;

    // The bytes of one file at `revision`, with the same path rules and size limit as blame():
    // the text a blame's line numbers refer to.
    Result<QByteArray> readFile(const QString& revision, const QString& filePath,
                                const ReadLimits& limits = {}) const;

    // Reverts a commit onto a branch and (optionally) pushes the branch. On any failure (conflict,
    // dirty work tree, missing signature) nothing is changed. A failed push leaves the commit on
    // the local branch and says so in the result (pushed = false, pushNote).
    Result<RevertResult> revert(const RevertRequest& request, const RemoteOptions& options = {});

    // Implementation detail, defined in gitrepository_p.h (shared by the .cpp files of core/git).
    struct Private;

private:
    explicit GitRepository(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

} // namespace driftdeck::git
