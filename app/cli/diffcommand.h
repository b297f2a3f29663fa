#pragma once

#include <QStringList>
#include <QTextStream>

namespace driftdeck::cli {

// `driftdeck-cli diff --desired FILE --live FILE`: pairs the objects of both files by kind,
// namespace and name and prints what a sync would change, as `kubectl diff` does but judged on the
// fields desired state manages (docs/cli.md). `arguments` are those after the verb. Returns the exit
// code: 0 no drift, 1 drift, 2 a usage or input error. Secret values are printed only as hashes.
int runDiffCommand(const QStringList& arguments, QTextStream& out, QTextStream& err);

} // namespace driftdeck::cli
