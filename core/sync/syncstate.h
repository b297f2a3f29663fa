#pragma once

#include "model/error.h"
#include "sync/syncplan.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

// Where a sync run stands, as plain values: what the SyncRunner reports while it runs, what it
// reports at the end, and what it needs to carry on later — also in another process, through JSON.
// None of these types ever holds a Secret's value outside the plan's desired objects, and the JSON
// form withholds those too (see SyncState::toJson).
namespace driftdeck::sync {

enum class SyncPhase {
    Pending,          // nothing sent yet
    Applying,         // create and update, wave by wave
    WaitingForHealth, // between waves: the objects of the last wave are not all healthy yet
    Pruning,          // every apply succeeded; deleting what Git no longer has
    Finished,         // every item was handled
};

enum class ResourceStatus {
    NotRun,    // not reached (yet): cancelled, stopped by an earlier failure, or still to come
    Applied,   // created or updated (in a dry run: accepted by the server, nothing persisted)
    Pruned,    // deleted, or already gone
    Unchanged, // in sync, nothing to do
    Skipped,   // left alone on purpose; the message says why
    Failed,    // the request failed; the message says why
    Conflict,  // another field manager owns a field we set; the message names it
};

enum class SyncOutcome {
    Succeeded,          // every item was handled and nothing failed
    PartiallySucceeded, // some items were applied or pruned, others failed or conflicted
    Failed,             // nothing was changed and something failed, or the run itself failed
                        // (health timeout or Degraded, cluster unreachable, state not resumable)
    Cancelled,          // cancel() stopped it; the state resumes it
};

QString phaseName(SyncPhase phase);
QString statusName(ResourceStatus status);
QString outcomeName(SyncOutcome outcome);

// The result of one object of the run: keys and messages only, never object content.
struct SyncResourceResult {
    ResourceKey key;
    PlanItem::Action action = PlanItem::Action::Unchanged;
    int wave = 0;
    ResourceStatus status = ResourceStatus::NotRun;
    QString message;
    int httpStatus = 0;           // of the request that decided the status; 0 when none was sent
    QStringList conflictManagers; // on Conflict: the field managers that own the contested fields

    // Done: handled for good, never repeated by a resume.
    bool isDone() const;
    bool operator==(const SyncResourceResult&) const = default;
};

struct SyncState {
    SyncPlan plan;
    // One result per plan item, same order.
    QList<SyncResourceResult> results;
    // The index of the first item not done; plan.items.size() when all are.
    int next = 0;
    SyncPhase phase = SyncPhase::Pending;
    // In WaitingForHealth: the wave whose applied objects are waited for.
    std::optional<int> healthWave;
    // The run's identity: a state is resumed only by a runner with the same application and mode.
    QString appName;
    bool dryRun = false;

    // A fresh state for `plan`: Unchanged and Skip items are settled at once with the plan's reason.
    static SyncState forPlan(const SyncPlan& plan, const QString& appName, bool dryRun);

    // True when every Create and Update item was applied: only then may anything be pruned.
    bool applyPhaseComplete() const;
    int actionCount() const; // Create, Update and Prune items
    int actionsDone() const;

    // JSON for a later resume. A Secret's desired content is withheld (only its key is written) and
    // live objects are reduced to apiVersion, kind, name, namespace, uid and annotations: the file
    // holds no Secret value. Restore withheld Secrets with fromJson's `rendered`.
    QJsonObject toJson() const;
    // Checks everything (hostile input is an error, never a crash). `rendered`: desired objects
    // (the application rendered again) that fill in withheld Secrets by key; a withheld Secret not
    // found there fails when its turn comes, with a message saying to render and resume again.
    static Result<SyncState> fromJson(const QJsonObject& json, const QList<kubeobj::Object>& rendered = {});

    static constexpr int kMaxItems = 100000;
};

struct SyncProgress {
    SyncPhase phase = SyncPhase::Pending;
    int wave = 0;
    int done = 0;  // Create, Update and Prune items handled
    int total = 0; // Create, Update and Prune items of the plan
    ResourceKey current;
    QString message; // a health message while waiting; keys and status fields only
};

struct SyncResult {
    SyncOutcome outcome = SyncOutcome::Failed;
    QString message; // one line for the operator
    // The destination namespace created first (CreateNamespace), if it was, then one per plan item.
    QList<SyncResourceResult> resources;
    SyncState state; // resume() carries on from here (after Cancelled or Failed)

    const SyncResourceResult* find(const ResourceKey& key) const;
    int count(ResourceStatus status) const;
};

} // namespace driftdeck::sync

Q_DECLARE_METATYPE(driftdeck::sync::SyncProgress)
Q_DECLARE_METATYPE(driftdeck::sync::SyncResult)
