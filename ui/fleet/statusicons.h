#pragma once

#include "diff/drift.h"
#include "engine/enginetypes.h"
#include "health/health.h"

#include <QColor>
#include <QIcon>

// Small round status badges drawn in code (no image files to ship): a colour and a glyph, so the
// state reads without colour too. Colours are chosen to stay readable on light and dark palettes.
namespace driftdeck::ui {

QIcon syncIcon(engine::SyncStatus status);
QIcon diffStateIcon(diff::ObjectDiff::State state);
QIcon healthIcon(health::HealthStatus status);
QIcon connectionIcon(engine::ConnectionState state);

QColor syncColor(engine::SyncStatus status);
QColor healthColor(health::HealthStatus status);

} // namespace driftdeck::ui
