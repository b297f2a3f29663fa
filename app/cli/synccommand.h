#pragma once

#include <QStringList>
#include <QTextStream>

// The verbs that change a cluster or a repository (docs/cli.md). Each prints what it will do
// first, then does it, then prints what happened; exit code 0 when it succeeded, 2 otherwise.
namespace driftdeck::cli {

// `sync [--dry-run] [--prune] [--resource GROUP/KIND/NAMESPACE/NAME]... [--preview]`
int runSyncCommand(const QStringList& arguments, QTextStream& out, QTextStream& err);
// `rollback REVISION --app NAME`: sync to a revision; pins the application and pauses auto-sync.
int runRollbackCommand(const QStringList& arguments, QTextStream& out, QTextStream& err);
// `resume --app NAME`: unpin, resume auto-sync.
int runResumeCommand(const QStringList& arguments, QTextStream& out, QTextStream& err);
// `revert COMMIT --app NAME`: a `git revert` commit on the application's branch.
int runRevertCommand(const QStringList& arguments, QTextStream& out, QTextStream& err);

} // namespace driftdeck::cli
