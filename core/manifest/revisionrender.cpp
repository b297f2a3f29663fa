#include "manifest/revisionrender.h"

#include "git/gitrepository.h"

#include <QDir>
#include <QTemporaryDir>

namespace driftdeck::manifest {

using namespace Qt::StringLiterals;

Result<RevisionRender> renderAtRevision(const git::GitRepository& repository, const QString& revision,
                                        const AppSpec& app, RenderCache& cache,
                                        const std::atomic_bool* cancelled) {
    const QString appPath = app.path == u"."_s ? QString() : app.path;
    const auto resolved = repository.resolve(revision, appPath);
    if (!resolved)
        return Error(resolved.error()).withApplication(app.name);

    RenderRequest settings = RenderRequest::forApplication(app, QString());
    settings.cancelled = cancelled;
    const bool pathOnly = app.renderer.type == RendererSpec::Type::Plain;
    RevisionRender out;
    out.commitId = resolved->commitId;
    out.cacheInput = pathOnly
                         ? QByteArray("tree:" + resolved->treeId.toLatin1())
                         : QByteArray("commit:" + resolved->commitId.toLatin1() + ':' + appPath.toUtf8());

    auto rendered = cache.getOrRender(out.cacheInput, settingsHash(settings), [&]() -> Result<RenderResult> {
        QTemporaryDir checkout;
        if (!checkout.isValid())
            return Error::make(Error::Code::Unavailable,
                               u"cannot create a temporary directory to render app '%1': %2"_s.arg(
                                   app.name, checkout.errorString()));
        // The whole commit for tools that read beyond the path; only the path for plain manifests.
        const QString root = checkout.filePath(u"tree"_s);
        const auto written = repository.materialise(resolved->commitId, pathOnly ? appPath : QString(), root);
        if (!written)
            return written.error();
        if (settings.isCancelled())
            return Error::make(Error::Code::Cancelled, u"rendering app '%1' was cancelled"_s.arg(app.name));
        RenderRequest request = settings;
        request.directory = pathOnly || appPath.isEmpty() ? root : QDir(root).filePath(appPath);
        request.checkoutRoot = root; // Helm value files may come from elsewhere in the checkout
        if (!QFileInfo(request.directory).isDir())
            return Error::make(
                Error::Code::NotFound,
                u"app '%1': path '%2' does not exist at commit %3; fix the application's path"_s.arg(
                    app.name, app.path, resolved->commitId.left(12)));
        return renderManifests(request);
    });
    if (!rendered)
        return Error(rendered.error()).withApplication(app.name);
    out.result = std::move(*rendered);
    return out;
}

} // namespace driftdeck::manifest
