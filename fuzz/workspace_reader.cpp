// The workspace file reader, and its documented promise: parseWorkspace(workspaceToYaml(w)) == w.

#include "fuzzsupport.h"
#include "workspace/workspace.h"

using namespace driftdeck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto loaded = workspace::parseWorkspace(fuzz::bytes(data, size), QStringLiteral("workspace.yaml"));
    if (!loaded)
        return 0;
    const QByteArray written = workspace::workspaceToYaml(loaded->workspace);
    const auto reread = workspace::parseWorkspace(written, QStringLiteral("written.yaml"));
    if (!reread)
        fuzz::propertyFailed("workspaceToYaml output does not parse", written,
                             reread.error().message.toUtf8());
    if (!(reread->workspace == loaded->workspace))
        fuzz::propertyFailed("workspaceToYaml output reads back as another workspace", written,
                             workspace::workspaceToYaml(reread->workspace));
    return 0;
}
