#pragma once

#include "git/gitworker.h"
#include "model/appspec.h"
#include "model/error.h"

#include <QFuture>
#include <QStringList>

// The directory listing behind the application dialog's "Browse…" picker: the repository is read
// on the Git worker's thread (cloned into the cache first when it is remote), never on the GUI.
namespace driftdeck::ui {

// The Git layer's view of a workspace credential reference (the secret stays where it is).
git::RepositorySource repositorySourceOf(const RepoSpec& repository);
// "." then every directory holding a file, with all its parents, sorted.
QStringList directoriesOf(const git::TreeSnapshot& snapshot);
// Lists the directories of `repository` at its branch (the remote's default branch when empty).
QFuture<Result<QStringList>> listRepositoryDirectories(git::GitWorker& worker, const RepoSpec& repository);

} // namespace driftdeck::ui
