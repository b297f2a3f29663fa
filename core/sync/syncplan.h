#pragma once

#include "diff/drift.h"
#include "model/error.h"

#include <QList>
#include <QSet>
#include <QString>

// The plan of a sync: what it will create, update and prune, in which order, and why — computed
// before anything is sent, so the operator sees it first. A pure function of the comparison.
namespace driftdeck::sync {

struct SyncOptions {
    QString appName;        // only objects carrying this application's tracking id are ever pruned
    bool prune = false;     // delete tracked objects that are no longer desired
    bool dryRun = false;    // the server validates and defaults, nothing is persisted
    QSet<ResourceKey> only; // non-empty: a selective sync of just these objects
    bool forceConflicts = false;
    bool createNamespace = false;
    bool replace = false;
    // An empty desired state prunes everything the application tracks: refused unless allowed.
    bool allowEmpty = false;
};

struct PlanItem {
    enum class Action { Create, Update, Prune, Unchanged, Skip };
    Action action = Action::Unchanged;
    ResourceKey key;
    int wave = 0;
    QString reason;          // one line an operator understands
    kubeobj::Object desired; // what is applied (Create, Update)
    kubeobj::Object live;    // what is deleted (Prune)
};

struct SyncPlan {
    // Create and Update in apply order: by wave, then kind (Namespaces, CRDs, ServiceAccounts, RBAC,
    // ConfigMaps and Secrets, Services, workloads, the rest), then namespace and name; Prune last,
    // in reverse wave order; Unchanged and Skip at the end.
    QList<PlanItem> items;
    QStringList warnings;

    int count(PlanItem::Action action) const;
    // The waves that apply something, ascending: the executor waits for health between them.
    QList<int> waves() const;
};

QString actionName(PlanItem::Action action);

// The sync wave of an object: driftdeck.io/sync-wave, else argocd.argoproj.io/sync-wave, else 0. A
// value that is not an integer is wave 0 and reported through `warning`.
int syncWave(const kubeobj::Object& object, QString* warning = nullptr);

// The rank of a kind in the apply order (lower first).
int kindRank(const QString& group, const QString& kind);

// Plans a sync from the comparison of an application. `renderFailed` says desired state could not be
// computed: the plan is then an error, never a prune of everything. Objects whose diff is Extra are
// the tracked ones no longer desired (pairing only reports those carrying the application's id).
// Argo CD's `argocd.argoproj.io/sync-options: Prune=false` (and `Delete=false`) keep an object.
Result<SyncPlan> planSync(const QList<diff::ObjectDiff>& diffs, const QList<kubeobj::Object>& desired,
                          bool renderFailed, const SyncOptions& options = {});

} // namespace driftdeck::sync
