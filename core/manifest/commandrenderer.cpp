#include "manifest/streamobjects.h"
#include "manifest/toolprocess.h"
#include "manifest/toolrenderers.h"

#include <QFileInfo>

namespace driftdeck::manifest {

using namespace Qt::StringLiterals;

Result<RenderResult> CommandRenderer::render(const RenderRequest& request) const {
    const CommandSettings& command = request.spec.command;
    if (command.argv.isEmpty() || command.argv.first().isEmpty()) {
        return Error::make(Error::Code::Invalid,
                           u"%1 uses the command renderer but its command.argv is empty; set the program "
                           u"and its arguments"_s.arg(request.label()));
    }
    if (!QFileInfo(request.directory).isDir()) {
        return Error::make(Error::Code::NotFound,
                           u"%1: directory %2 does not exist at this revision; check the "
                           u"application's path"_s.arg(request.label(), request.appPath));
    }
    const QString program = command.argv.first();
    ToolInvocation invocation;
    invocation.program = program;
    invocation.arguments = command.argv.mid(1);
    invocation.workingDirectory = request.directory;
    invocation.extraEnvironment = {u"DRIFTDECK_APP_NAME="_s + request.appName,
                                   u"DRIFTDECK_APP_NAMESPACE="_s + request.ns};
    invocation.extraEnvironment += command.env;
    invocation.timeout = std::chrono::seconds(request.spec.timeoutSeconds);
    invocation.maxOutputBytes = request.limits.maxOutputBytes;
    invocation.cancelled = request.cancelled;
    invocation.description = u"command '%1' for %2"_s.arg(QFileInfo(program).fileName(), request.label());
    Result<QByteArray> out = runTool(invocation);
    if (!out)
        return out.error();

    RenderResult result;
    const QString outputName = u"output of "_s + QFileInfo(program).fileName();
    const Status appended = appendStream(*out, outputName, request.label(), result);
    if (!appended)
        return appended.error();
    return result;
}

} // namespace driftdeck::manifest
