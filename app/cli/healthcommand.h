#pragma once

#include <QStringList>
#include <QTextStream>

namespace driftdeck::cli {

// `driftdeck-cli health [-o text|json|yaml] FILE...`: the health of every object in the files (YAML or
// JSON, multi-document, `kind: List` flattened, `-` for stdin) and of all of them together.
// `arguments` are those after the verb. Returns the exit code: 0 when every object is Healthy or
// Suspended, 1 when any is Progressing, Degraded, Missing or Unknown, 2 on a usage or input error.
// Only kind, name, namespace, health and message of an object are ever printed (docs/cli.md).
int runHealthCommand(const QStringList& arguments, QTextStream& out, QTextStream& err);

} // namespace driftdeck::cli
