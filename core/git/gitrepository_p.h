#pragma once

#include "git/git_p.h"
#include "git/gitrepository.h"

#include <QThread>

namespace driftdeck::git {

struct GitRepository::Private {
    detail::RepositoryHandle repo;
    QString gitDir;
    QString workDir;
    QString name;                               // for messages: origin URL without credentials, else the path
    QThread* thread = QThread::currentThread(); // libgit2 handles are used on one thread only

    // A repository deleted or moved between calls must give an error, not undefined reads from
    // a half-gone object database.
    Status checkPresent() const;
    Error error(int code, const QString& action, const QString& fix = {}) const {
        return detail::libgit2Error(code, action, name, fix);
    }

    struct Commit {
        detail::CommitHandle commit;
        QString refName;
    };
    Result<Commit> lookupCommit(const QString& revision) const;
    // The tree at `path` (already normalised) of `commit`; nullptr tree with NotFound error if absent.
    Result<detail::TreeHandle> treeAt(git_commit* commit, const QString& path) const;
    Result<QString> normalisePath(const QString& path) const;
};

} // namespace driftdeck::git
