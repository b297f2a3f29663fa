#pragma once

#include <QStringList>
#include <QTextStream>

namespace driftdeck::cli {

// `driftdeck-cli blame --app NAME`: for each drifted field of the application, the commit that last
// changed the desired line (libgit2 blame of the source file at the compared commit; "per object"
// where the renderer cannot say which line). Exit code 0, or 2 when it cannot be answered.
int runBlameCommand(const QStringList& arguments, QTextStream& out, QTextStream& err);

} // namespace driftdeck::cli
