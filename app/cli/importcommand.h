#pragma once

#include <QStringList>
#include <QTextStream>

namespace driftdeck::cli {

// `driftdeck-cli import-argocd DIR [--workspace FILE] [--kubeconfig FILES] [--dry-run]`: reads the
// Argo CD Application manifests under DIR and adds them (with the repositories and clusters they
// need) to the workspace, written atomically. Exit code 0, or 2 on an error (nothing written).
int runImportArgoCommand(const QStringList& arguments, QTextStream& out, QTextStream& err);

} // namespace driftdeck::cli
