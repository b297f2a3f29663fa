#pragma once

#include "model/appspec.h"
#include "model/error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

// The workspace file: which clusters, repositories and applications Driftdeck watches.
// Reference: docs/workspace.md.
namespace driftdeck::workspace {

inline constexpr QLatin1StringView WorkspaceApiVersion{"driftdeck.io/v1alpha1"};
inline constexpr QLatin1StringView WorkspaceKind{"Workspace"};

struct Workspace {
    QList<ClusterSpec> clusters;
    QList<RepoSpec> repositories;
    QList<AppSpec> applications;

    const ClusterSpec* cluster(const QString& name) const;
    const RepoSpec* repository(const QString& name) const;
    const AppSpec* application(const QString& name) const;
    bool operator==(const Workspace&) const = default;
};

struct LoadedWorkspace {
    Workspace workspace;
    QStringList warnings; // "file:line: ..." for unknown keys and ignored values
};

// 1 to 63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit: the name is
// part of the tracking id "<app>:<group>/<Kind>:<ns>/<name>" and of label values.
bool isValidApplicationName(const QString& name);

// Parses and validates. Unknown keys are warnings; a missing required field, a wrong type, a
// duplicate name, an application naming an unknown cluster or repository, or a literal secret is
// an error. The Error's message names the first problem with file:line; its detail lists them all.
Result<LoadedWorkspace> parseWorkspace(const QByteArray& text, const QString& fileName);
Result<LoadedWorkspace> loadWorkspace(const QString& path);

// Canonical YAML: keys sorted, defaults and empty fields left out. parseWorkspace(toYaml(w)) == w.
QByteArray workspaceToYaml(const Workspace& workspace);
// Writes atomically (QSaveFile): a crash mid-write never leaves a truncated workspace.
Status saveWorkspace(const Workspace& workspace, const QString& path);

// $XDG_CONFIG_HOME/driftdeck/workspace.yaml (~/.config/... when unset).
QString defaultWorkspacePath();
// The `--workspace PATH` option when given, else the default.
QString resolveWorkspacePath(const QString& option);

} // namespace driftdeck::workspace
