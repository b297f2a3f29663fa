#pragma once

// The figures of one fleet benchmark run, measured against a fleet the fixture prepared.

#include "engine/engine.h"
#include "fleetfixture.h"

#include <QJsonObject>

#include <chrono>
#include <functional>

namespace driftdeck::bench {

struct FleetRun {
    FleetShape shape;
    FleetRepo* repo = nullptr;
    workspace::Workspace workspace;
    engine::EngineSettings settings;
    std::chrono::seconds timeout{300}; // every wait is bounded by this
};

// Runs the event loop until `done` holds (checked every 2 ms); false on timeout.
bool waitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout);

// The CLI engine on this thread: cold status, re-compare after a one-file commit, live edit →
// OutOfSync, sync throughput, peak RSS. Failures are reported in the figures ("error").
QJsonObject measureEngine(const FleetRun& run);

// ui::MainWindow (offscreen) with its engine thread: cold status shown, full (hard) refresh, the
// longest event-loop stall during each (a 1 ms timer probe), peak RSS.
QJsonObject measureGui(const FleetRun& run);

} // namespace driftdeck::bench
