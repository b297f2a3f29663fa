#pragma once

#include "manifest/desiredobject.h"
#include "model/appspec.h"
#include "model/error.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <memory>

namespace driftdeck::manifest {

// Bounds on what plain rendering reads, so a hostile or broken repository cannot exhaust memory.
struct RenderLimits {
    qint64 maxFileBytes = 10 * 1024 * 1024;
    int maxFileCount = 20000;
    qint64 maxOutputBytes = 256 * 1024 * 1024; // stdout of an external tool
};

struct RenderRequest {
    // The application's directory on disk. Callers pass a temporary copy of the tree at the
    // revision: external tools run inside it and the kustomize renderer may edit it.
    QString directory;
    // The copy of the repository that `directory` lies in: Helm value files must resolve inside it
    // (`../values/prod.yaml` is common). Empty: `directory` itself.
    QString checkoutRoot;
    QString appName; // for messages, helm's default release name and the command's environment
    QString appPath; // the path inside the repository, for messages
    QString ns;      // destination namespace (helm --namespace default)
    RendererSpec spec;
    RenderLimits limits;
    const std::atomic_bool* cancelled = nullptr; // checked while reading and while waiting for tools

    // The request for an application of the workspace, rendering `directory` (its working copy).
    static RenderRequest forApplication(const AppSpec& app, const QString& directory);

    bool isCancelled() const { return cancelled && cancelled->load(); }
    // "app 'guestbook' (path guestbook)": how errors name the application.
    QString label() const;
};

class ManifestRenderer {
public:
    virtual ~ManifestRenderer() = default;
    // Never returns an empty success on failure: every failure is an Error naming the
    // application, the file and line where known, and the fix.
    virtual Result<RenderResult> render(const RenderRequest& request) const = 0;
};

// Renderer for a concrete type; Auto is resolved by looking at the directory (see resolveType).
std::unique_ptr<ManifestRenderer> createRenderer(RendererSpec::Type type);

// Chart.yaml -> Helm, kustomization.yaml/.yml/Kustomization -> Kustomize, anything else -> Plain.
RendererSpec::Type resolveType(RendererSpec::Type type, const QString& directory);

// Resolves Auto and renders.
Result<RenderResult> renderManifests(const RenderRequest& request);

// Identifies everything in the renderer settings that changes the output; with the tree id of the
// application path it forms the render cache key. Secrets in env additions are hashed, not stored.
QByteArray settingsHash(const RenderRequest& request);

} // namespace driftdeck::manifest
