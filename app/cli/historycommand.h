#pragma once

#include <QStringList>
#include <QTextStream>

namespace driftdeck::cli {

// `driftdeck-cli history [--app NAME] [--cluster NAME] [--kind KIND] [--limit N] [--offset N]`:
// the operations recorded in the history database, newest first. Reads the database only: no
// cluster or repository is contacted. Exit code 0, or 2 when the database cannot be read.
int runHistoryCommand(const QStringList& arguments, QTextStream& out, QTextStream& err);

} // namespace driftdeck::cli
