#pragma once

#include "diff/drift.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTextStream>

// How the CLI prints comparisons: shared by `diff` on files and `diff` on a workspace.
namespace driftdeck::cli {

enum ExitCode { NoDrift = 0, Drift = 1, Failed = 2 };

// "Deployment.apps/shop/web", "Namespace/shop".
QString objectLabel(const ResourceKey& key);
QJsonObject changeJson(const diff::FieldChange& change);
// {objects: [{apiVersion, kind, namespace, name, state, changes}], summary, drift, warnings}
QJsonObject reportJson(const QList<diff::ObjectDiff>& diffs, const QStringList& warnings);
// Each drifted object as a unified diff (live -> what a sync makes of it), or side by side; then
// "N of M objects differ".
void printText(const QList<diff::ObjectDiff>& diffs, bool sideBySide, int width, QTextStream& out);

} // namespace driftdeck::cli
