#pragma once

#include "diff/drift.h"
#include "health/health.h"
#include "model/error.h"
#include "model/resourcekey.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

// What the engine publishes: immutable snapshots of the fleet. A subscriber receives a
// shared pointer to a snapshot that never changes afterwards, so it may read it on any thread
// while the engine goes on building the next one.
namespace driftdeck::engine {

enum class SyncStatus {
    Unknown,   // not compared yet (cluster connecting, render running)
    Synced,    // nothing a sync would change
    OutOfSync, // at least one resource differs, is missing or is an extra tracked object
    Error,     // could not be compared: the render failed or the cluster cannot be read
};
QString syncStatusName(SyncStatus status);

enum class ConnectionState {
    Connecting,   // first list running
    Connected,    // every watched resource type listed and watched
    Unreachable,  // no answer: network, TLS, timeouts, 5xx
    Unauthorized, // 401/403: the credentials of the kubeconfig context are refused
    Misconfigured // the kubeconfig context cannot be used (unknown, bad CA, ...)
};
QString connectionStateName(ConnectionState state);

// One resource of an application: its drift, and the health of its live object.
struct ResourceStatus {
    ResourceKey key;
    diff::ObjectDiff diff; // state Synced / OutOfSync / Missing / Extra; desired and live for display
    health::Health health;
    QString sourceFile; // where desired state came from, relative to the application path
    int sourceLine = 0;
    int sourceDocument = 0;
    QString uid; // of the live object; empty when Missing
    // The live object's status.conditions (type, status, reason, message, lastTransitionTime): what
    // the details pane lists like events. Status fields only, so never a Secret's value.
    QJsonArray conditions;
    // The live object's metadata.managedFields (field paths, manager names, operations and times;
    // never values): the diff's live gutter shows which manager wrote each line and when.
    QJsonArray managedFields;
};

// A live object an application's resources own (ownerReferences): a Deployment's ReplicaSets and
// their Pods, a Job's Pods. Not compared with Git (controllers make them), shown for their health.
struct ChildStatus {
    ResourceKey key;
    QString uid;
    QString ownerUid; // the uid of the resource or child that owns it
    ResourceKey owner;
    health::Health health;
    bool operator==(const ChildStatus&) const = default;
};

struct AppStatus {
    QString name;
    QString cluster;
    QString repo;
    QString path;
    QString targetRevision; // as the workspace says ("main", "v1.2")
    QString commitId;       // what was compared
    SyncStatus sync = SyncStatus::Unknown;
    health::Health health;
    QList<ResourceStatus> resources;
    QList<ChildStatus> children; // owned live objects, parents before their children
    std::optional<Error> error;  // render or cluster failure: what and how to fix it
    QStringList warnings;
    QDateTime comparedAt;
    quint64 compareCount = 0; // comparisons run so far (only changed inputs start one)
    // Objects compared so far, over all comparisons; an object whose desired state and live version
    // were unchanged reused its earlier result and is not counted.
    quint64 comparedObjects = 0;
    // Rollback state: the application is pinned to a revision and auto-sync is paused.
    QString pinnedRevision;
    bool autoSyncPaused = false;
    bool autoSync = false;
    QDateTime lastSyncAt;
    QString lastSyncResult;

    int count(diff::ObjectDiff::State state) const;
    bool hasDrift() const { return sync == SyncStatus::OutOfSync; }
};

struct ClusterStatus {
    QString name;
    QString context;
    QStringList tags;
    QString server; // URL without credentials
    ConnectionState connection = ConnectionState::Connecting;
    std::optional<Error> error; // why it is not Connected, with the fix
    int watchedTypes = 0;
    int liveObjects = 0;
};

// The whole fleet at one moment. `generation` grows with every snapshot.
struct FleetSnapshot {
    quint64 generation = 0;
    QList<ClusterStatus> clusters;              // workspace order
    QList<AppStatus> applications;              // workspace order
    QHash<QString, qsizetype> applicationIndex; // name -> index in applications
    QList<Error> repositoryErrors;              // fetch failures, by repository
    std::optional<Error> historyError;          // the history database cannot be used (syncs go on)

    const AppStatus* application(const QString& name) const;
    const ClusterStatus* cluster(const QString& name) const;
    // True when every application has a status other than Unknown.
    bool complete() const;
};
using Snapshot = std::shared_ptr<const FleetSnapshot>;

// A command the engine runs for the operator (sync, rollback, revert, refresh): it has an id
// from the moment it is asked for, reports progress, can be cancelled, and ends with a result.
struct OperationProgress {
    quint64 id = 0;
    QString kind; // "sync", "rollback", "revert", "refresh"
    QString application;
    QString phase; // one line: "applying wave 1", "waiting for Deployment shop/web to be healthy"
    int done = 0;
    int total = 0;
};

} // namespace driftdeck::engine

Q_DECLARE_METATYPE(driftdeck::engine::Snapshot)
Q_DECLARE_METATYPE(driftdeck::engine::OperationProgress)
