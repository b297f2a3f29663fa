#pragma once

#include "model/appspec.h"
#include "model/error.h"
#include "workspace/workspace.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

// Import of Argo CD `Application` manifests (argoproj.io/v1alpha1) into workspace applications.
// Mapping and what is unsupported: docs/workspace.md.
namespace driftdeck::workspace {

struct ArgoImportContext {
    QList<ClusterSpec> clusters;             // the workspace's clusters: destination.name matches these
    QList<RepoSpec> repositories;            // reused when repoURL matches their url
    QHash<QString, QString> serverToContext; // kubeconfig: cluster server URL -> context name
};

struct ArgoImportResult {
    QList<AppSpec> applications;
    QList<RepoSpec> newRepositories; // repositories the applications need that the workspace lacks
    QList<ClusterSpec> newClusters;  // kubeconfig contexts targeted that the workspace lacks
    QStringList warnings;            // unsupported fields and skipped applications, never silent
    QStringList notes;               // fields ignored on purpose (project, finalizers)
};

// Reads every *.yaml, *.yml and *.json file under `directory` (sorted, recursive). Applications may
// be alone, in multi-document files or in a `kind: List`. A file that does not parse (a Helm
// template, say) is a warning; a missing directory is an error.
Result<ArgoImportResult> importArgoApplications(const QString& directory, const ArgoImportContext& context);

// One stream; `fileName` names it in warnings.
ArgoImportResult importArgoApplicationsFromText(const QByteArray& text, const QString& fileName,
                                                const ArgoImportContext& context);

// Adds an import to a workspace: new clusters and repositories first, then applications. Returns a
// warning for each application left out because the workspace already has one of that name.
QStringList mergeImport(Workspace& workspace, const ArgoImportResult& imported);

} // namespace driftdeck::workspace
