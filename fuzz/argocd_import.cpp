// Import of Argo CD Application manifests, against a workspace that already has a cluster, a
// repository and a kubeconfig context, then merged into that workspace, which must still load.

#include "fuzzsupport.h"
#include "workspace/argocdimport.h"

using namespace driftdeck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    workspace::Workspace target;
    ClusterSpec cluster;
    cluster.name = QStringLiteral("prod");
    cluster.context = QStringLiteral("prod");
    target.clusters.append(cluster);
    RepoSpec repo;
    repo.name = QStringLiteral("apps");
    repo.url = QStringLiteral("https://github.com/argoproj/argocd-example-apps.git");
    target.repositories.append(repo);

    workspace::ArgoImportContext context;
    context.clusters = target.clusters;
    context.repositories = target.repositories;
    context.serverToContext.insert(QStringLiteral("https://kubernetes.default.svc"),
                                   QStringLiteral("in-cluster"));
    context.serverToContext.insert(QStringLiteral("https://10.0.0.1:6443"), QStringLiteral("prod"));

    const workspace::ArgoImportResult imported = workspace::importArgoApplicationsFromText(
        fuzz::bytes(data, size), QStringLiteral("apps.yaml"), context);
    (void)workspace::mergeImport(target, imported);
    // What an import adds must be a workspace Driftdeck can load again (the CLI saves it).
    const QByteArray written = workspace::workspaceToYaml(target);
    const auto reread = workspace::parseWorkspace(written, QStringLiteral("imported.yaml"));
    if (!reread)
        fuzz::propertyFailed("the merged import does not read back", written,
                             reread.error().message.toUtf8());
    return 0;
}
