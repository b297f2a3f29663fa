#include "engine/enginetypes.h"

using namespace Qt::StringLiterals;

namespace driftdeck::engine {

QString syncStatusName(SyncStatus status) {
    switch (status) {
    case SyncStatus::Unknown:
        return u"Unknown"_s;
    case SyncStatus::Synced:
        return u"Synced"_s;
    case SyncStatus::OutOfSync:
        return u"OutOfSync"_s;
    case SyncStatus::Error:
        return u"Error"_s;
    }
    return u"Unknown"_s;
}

QString connectionStateName(ConnectionState state) {
    switch (state) {
    case ConnectionState::Connecting:
        return u"Connecting"_s;
    case ConnectionState::Connected:
        return u"Connected"_s;
    case ConnectionState::Unreachable:
        return u"Unreachable"_s;
    case ConnectionState::Unauthorized:
        return u"Unauthorized"_s;
    case ConnectionState::Misconfigured:
        return u"Misconfigured"_s;
    }
    return u"Connecting"_s;
}

int AppStatus::count(diff::ObjectDiff::State state) const {
    int n = 0;
    for (const ResourceStatus& resource : resources)
        n += resource.diff.state == state ? 1 : 0;
    return n;
}

const AppStatus* FleetSnapshot::application(const QString& name) const {
    const qsizetype index = applicationIndex.value(name, -1);
    return index >= 0 ? &applications[index] : nullptr;
}

const ClusterStatus* FleetSnapshot::cluster(const QString& name) const {
    for (const ClusterStatus& status : clusters)
        if (status.name == name)
            return &status;
    return nullptr;
}

bool FleetSnapshot::complete() const {
    for (const AppStatus& app : applications)
        if (app.sync == SyncStatus::Unknown)
            return false;
    return true;
}

} // namespace driftdeck::engine
