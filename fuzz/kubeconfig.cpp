// The kubeconfig parser on hostile content, and the merged view it builds (kubectl config view).

#include "kube/kubeconfig.h"

#include "fuzzsupport.h"

using namespace driftdeck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // A path that does not exist: relative references resolve against it, nothing is read.
    const auto config =
        kube::parseKubeconfig(fuzz::bytes(data, size), QStringLiteral("/nonexistent/fuzz/config"));
    if (!config)
        return 0;
    const QJsonObject view = config->toJson();
    // Every context names a cluster and a user; looking them up must be safe whether or not they exist.
    for (const kube::KubeContext& context : config->contexts) {
        (void)config->clusters.value(context.cluster).server;
        (void)config->users.value(context.user).exec.has_value();
    }
    (void)fuzz::compact(QJsonDocument(view));
    return 0;
}
