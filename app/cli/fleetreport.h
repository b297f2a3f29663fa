#pragma once

#include "engine/enginetypes.h"

#include <QJsonObject>
#include <QTextStream>

// Fleet snapshots as the CLI prints them (text tables, or JSON/YAML for scripts).
namespace driftdeck::cli {

QJsonObject errorJson(const Error& error);
QJsonObject clusterJson(const engine::ClusterStatus& cluster);
QJsonObject appJson(const engine::AppStatus& app);
void printStatusText(const engine::FleetSnapshot& snapshot, QTextStream& out);
// Writes `json` as JSON or YAML.
void printStructured(const QJsonObject& json, const QString& format, QTextStream& out);

} // namespace driftdeck::cli
