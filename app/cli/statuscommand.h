#pragma once

#include <QStringList>
#include <QTextStream>

namespace driftdeck::cli {

// `driftdeck-cli status`: every cluster's connection and every application's sync and health
// status (docs/cli.md). Exit code 0 when every application has a status, 2 when one could not be
// compared (render failure, cluster unreachable) or the workspace is unusable.
int runStatusCommand(const QStringList& arguments, QTextStream& out, QTextStream& err);

// `driftdeck-cli diff` without --desired/--live: what a sync would change, per application of the
// workspace. Exit code 0 no drift, 1 drift, 2 an application could not be compared.
int runFleetDiffCommand(const QStringList& arguments, QTextStream& out, QTextStream& err);

} // namespace driftdeck::cli
