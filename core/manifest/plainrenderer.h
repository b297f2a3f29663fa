#pragma once

#include "manifest/renderer.h"

namespace driftdeck::manifest {

// A directory of *.yaml, *.yml and *.json manifests (Argo CD's "directory" source). Files are read in
// sorted relative-path order so the output order is stable. kustomization files are skipped with a
// warning: in this mode they are configuration, not objects. Symlinks that leave the directory are
// refused, and the file size and count limits of RenderLimits apply.
class PlainRenderer final : public ManifestRenderer {
public:
    Result<RenderResult> render(const RenderRequest& request) const override;
};

// Glob matching used for include/exclude: `*`, `?`, `[...]`, `**` across directories and `{a,b}`
// alternatives, matched against the relative path, or against the file name when the glob has no `/`.
bool matchesGlob(const QString& glob, const QString& relativePath);

} // namespace driftdeck::manifest
