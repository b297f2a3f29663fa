#include "importcommand.h"

#include "diffreport.h"
#include "kube/kubeconfig.h"
#include "workspace/argocdimport.h"
#include "workspace/workspace.h"

#include <QCommandLineParser>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace driftdeck::cli {

int runImportArgoCommand(const QStringList& arguments, QTextStream& out, QTextStream& err) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Adds the Argo CD Applications (argoproj.io/v1alpha1) found under DIR to the workspace: each "
        u"becomes a Driftdeck application; the repositories and kubeconfig contexts they target are added "
        u"too. Unsupported fields are reported, never silently dropped (docs/workspace.md). The workspace "
        u"is written atomically; with --dry-run it is printed instead.\nExit code: 0, or 2 on an error."_s);
    parser.addPositionalArgument(
        u"directory"_s,
        u"Folder of Application manifests (e.g. kubectl get applications -A -o yaml > apps/all.yaml)."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption workspaceOption(
        u"workspace"_s, u"Workspace file to add to (created when missing)."_s, u"file"_s);
    const QCommandLineOption kubeconfigOption(
        u"kubeconfig"_s, u"Kubeconfig file(s) whose contexts name the destination servers."_s, u"files"_s);
    const QCommandLineOption dryRun(u"dry-run"_s, u"Print the resulting workspace instead of writing it."_s);
    parser.addOptions({help, workspaceOption, kubeconfigOption, dryRun});
    if (!parser.parse(QStringList{u"driftdeck-cli import-argocd"_s} + arguments)) {
        err << "driftdeck-cli import-argocd: " << parser.errorText() << '\n';
        return Failed;
    }
    if (parser.isSet(help)) {
        out << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments().size() != 1) {
        err << "driftdeck-cli import-argocd: name one folder of Application manifests\n";
        return Failed;
    }
    const QString path = workspace::resolveWorkspacePath(parser.value(workspaceOption));
    workspace::Workspace target;
    if (QFileInfo::exists(path)) {
        Result<workspace::LoadedWorkspace> loaded = workspace::loadWorkspace(path);
        if (!loaded.ok()) {
            err << "driftdeck-cli import-argocd: " << loaded.error().toString() << '\n';
            return Failed;
        }
        target = loaded->workspace;
    }
    workspace::ArgoImportContext context;
    context.clusters = target.clusters;
    context.repositories = target.repositories;
    const QStringList paths = parser.isSet(kubeconfigOption)
                                  ? parser.value(kubeconfigOption).split(u':', Qt::SkipEmptyParts)
                                  : kube::defaultKubeconfigPaths();
    if (Result<kube::Kubeconfig> config = kube::loadKubeconfig(paths); config.ok()) {
        for (auto it = config->contexts.cbegin(); it != config->contexts.cend(); ++it)
            if (const auto cluster = config->clusters.constFind(it->cluster);
                cluster != config->clusters.cend())
                context.serverToContext.insert(cluster->server, it.key());
    } else {
        err << "driftdeck-cli import-argocd: warning: no kubeconfig read (" << config.error().message
            << "); destinations by server URL cannot be matched to contexts\n";
    }
    Result<workspace::ArgoImportResult> imported =
        workspace::importArgoApplications(parser.positionalArguments().constFirst(), context);
    if (!imported.ok()) {
        err << "driftdeck-cli import-argocd: " << imported.error().toString() << '\n';
        return Failed;
    }
    for (const QString& warning : imported->warnings)
        err << "driftdeck-cli import-argocd: warning: " << warning << '\n';
    for (const QString& note : imported->notes)
        err << "driftdeck-cli import-argocd: note: " << note << '\n';
    for (const QString& warning : workspace::mergeImport(target, *imported))
        err << "driftdeck-cli import-argocd: warning: " << warning << '\n';
    if (parser.isSet(dryRun)) {
        out << workspace::workspaceToYaml(target);
        return 0;
    }
    if (Status saved = workspace::saveWorkspace(target, path); !saved.ok()) {
        err << "driftdeck-cli import-argocd: " << saved.error().toString() << '\n';
        return Failed;
    }
    out << "imported " << imported->applications.size() << " application(s), "
        << imported->newRepositories.size() << " repository(ies), " << imported->newClusters.size()
        << " cluster(s) into " << path << '\n';
    return 0;
}

} // namespace driftdeck::cli
