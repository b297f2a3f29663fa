#pragma once

#include "manifest/renderer.h"

namespace driftdeck::manifest {

// `kustomize build DIR` when kustomize is on PATH, else `kubectl kustomize DIR`. Kustomize does not
// say which file an object came from, so every object's source is the kustomization file and its
// position in the output. KustomizeSettings (name prefix/suffix, images, labels) are written into
// the kustomization of the temporary copy first, as `kustomize edit` would.
class KustomizeRenderer final : public ManifestRenderer {
public:
    Result<RenderResult> render(const RenderRequest& request) const override;
};

// `helm template --namespace=NS --values=F... --set=k=v... -- RELEASE DIR`, after checking the release
// name and that every value file resolves inside the checkout. Objects keep the template file
// helm names in its "# Source:" comments.
class HelmRenderer final : public ManifestRenderer {
public:
    Result<RenderResult> render(const RenderRequest& request) const override;
    // The argument list after "helm", exposed for tests; `valuesObjectFile` is passed as the last -f.
    static QStringList arguments(const RenderRequest& request, const QString& valuesObjectFile);
};

// The workspace's own command: argv run without a shell inside the directory, stdout is the YAML
// stream. DRIFTDECK_APP_NAME and DRIFTDECK_APP_NAMESPACE are set for it, as well as spec.command.env.
class CommandRenderer final : public ManifestRenderer {
public:
    Result<RenderResult> render(const RenderRequest& request) const override;
};

// The kustomization file of `directory` (kustomization.yaml, .yml or Kustomization), or empty.
QString kustomizationFileName(const QString& directory);

} // namespace driftdeck::manifest
