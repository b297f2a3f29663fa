#include "sync/syncplan.h"

#include "diff/pairing.h"
#include "sync/syncrequests.h"

#include <QHash>

#include <algorithm>

namespace driftdeck::sync {
namespace {

QString describeChanges(const diff::ObjectDiff& d) {
    QStringList pointers;
    for (const diff::FieldChange& c : d.changes) {
        if (pointers.size() == 3) {
            pointers.append(QStringLiteral("%1 more").arg(d.changes.size() - 3));
            break;
        }
        pointers.append(c.pointer);
    }
    return QStringLiteral("drifted: ") + pointers.join(QStringLiteral(", "));
}

bool applyOrder(const PlanItem& a, const PlanItem& b) {
    if (a.wave != b.wave)
        return a.wave < b.wave;
    const int ra = kindRank(a.key.group, a.key.kind);
    const int rb = kindRank(b.key.group, b.key.kind);
    if (ra != rb)
        return ra < rb;
    return a.key < b.key;
}

} // namespace

int SyncPlan::count(PlanItem::Action action) const {
    return int(std::count_if(items.begin(), items.end(),
                             [action](const PlanItem& i) { return i.action == action; }));
}

QList<int> SyncPlan::waves() const {
    QList<int> out;
    for (const PlanItem& item : items)
        if ((item.action == PlanItem::Action::Create || item.action == PlanItem::Action::Update) &&
            !out.contains(item.wave))
            out.append(item.wave);
    std::sort(out.begin(), out.end());
    return out;
}

QString actionName(PlanItem::Action action) {
    switch (action) {
    case PlanItem::Action::Create:
        return QStringLiteral("create");
    case PlanItem::Action::Update:
        return QStringLiteral("update");
    case PlanItem::Action::Prune:
        return QStringLiteral("prune");
    case PlanItem::Action::Unchanged:
        return QStringLiteral("unchanged");
    case PlanItem::Action::Skip:
        return QStringLiteral("skip");
    }
    return {};
}

int syncWave(const kubeobj::Object& object, QString* warning) {
    for (const QString& name :
         {QStringLiteral("driftdeck.io/sync-wave"), QStringLiteral("argocd.argoproj.io/sync-wave")}) {
        const QString text = object.annotation(name).trimmed();
        if (text.isEmpty())
            continue;
        bool ok = false;
        const int wave = text.toInt(&ok);
        if (ok)
            return wave;
        if (warning)
            *warning = QStringLiteral("%1: %2 \"%3\" is not an integer; wave 0 is used")
                           .arg(object.key().toString(), name, text.left(40));
        return 0;
    }
    return 0;
}

int kindRank(const QString& group, const QString& kind) {
    static const QHash<QString, int> ranks{
        {QStringLiteral("/Namespace"), 0},
        {QStringLiteral("apiextensions.k8s.io/CustomResourceDefinition"), 1},
        {QStringLiteral("/ServiceAccount"), 2},
        {QStringLiteral("rbac.authorization.k8s.io/ClusterRole"), 3},
        {QStringLiteral("rbac.authorization.k8s.io/ClusterRoleBinding"), 3},
        {QStringLiteral("rbac.authorization.k8s.io/Role"), 3},
        {QStringLiteral("rbac.authorization.k8s.io/RoleBinding"), 3},
        {QStringLiteral("/ConfigMap"), 4},
        {QStringLiteral("/Secret"), 4},
        {QStringLiteral("/PersistentVolumeClaim"), 5},
        {QStringLiteral("/Service"), 6},
        {QStringLiteral("apps/Deployment"), 7},
        {QStringLiteral("apps/StatefulSet"), 7},
        {QStringLiteral("apps/DaemonSet"), 7},
        {QStringLiteral("apps/ReplicaSet"), 7},
        {QStringLiteral("/Pod"), 7},
        {QStringLiteral("batch/Job"), 7},
        {QStringLiteral("batch/CronJob"), 7},
    };
    return ranks.value(group + QLatin1Char('/') + kind, 8);
}

Result<SyncPlan> planSync(const QList<diff::ObjectDiff>& diffs, const QList<kubeobj::Object>& desired,
                          bool renderFailed, const SyncOptions& options) {
    if (renderFailed)
        return Error::make(
            Error::Code::Invalid,
            QStringLiteral("desired state could not be rendered, so nothing is synced or pruned; "
                           "fix the render error and refresh"));
    QHash<ResourceKey, kubeobj::Object> desiredByKey;
    for (const kubeobj::Object& object : desired)
        desiredByKey.insert(object.key(), object);
    const bool anyExtra = std::any_of(diffs.begin(), diffs.end(), [](const diff::ObjectDiff& d) {
        return d.state == diff::ObjectDiff::State::Extra;
    });
    if (desired.isEmpty() && anyExtra && options.prune && !options.allowEmpty)
        return Error::make(
            Error::Code::Invalid,
            QStringLiteral("desired state is empty: a prune would delete everything the application "
                           "tracks; allow an empty application to do that on purpose"));

    SyncPlan plan;
    QList<PlanItem> apply;
    QList<PlanItem> prune;
    QList<PlanItem> rest;
    for (const diff::ObjectDiff& d : diffs) {
        PlanItem item;
        item.key = d.key;
        const bool selected = options.only.isEmpty() || options.only.contains(d.key);
        const kubeobj::Object source = desiredByKey.value(d.key);
        QString warning;
        item.wave = syncWave(source.isNull() ? d.live : source, &warning);
        if (!warning.isEmpty())
            plan.warnings.append(warning);
        switch (d.state) {
        case diff::ObjectDiff::State::Synced:
            item.action = PlanItem::Action::Unchanged;
            item.reason = QStringLiteral("in sync");
            rest.append(item);
            continue;
        case diff::ObjectDiff::State::Missing:
        case diff::ObjectDiff::State::OutOfSync:
            item.desired = source;
            if (!selected) {
                item.action = PlanItem::Action::Skip;
                item.reason = QStringLiteral("not selected");
                rest.append(item);
                continue;
            }
            item.action = d.state == diff::ObjectDiff::State::Missing ? PlanItem::Action::Create
                                                                      : PlanItem::Action::Update;
            item.reason = d.state == diff::ObjectDiff::State::Missing ? QStringLiteral("not in the cluster")
                                                                      : describeChanges(d);
            apply.append(item);
            continue;
        case diff::ObjectDiff::State::Extra:
            item.live = d.live;
            if (!selected) {
                item.action = PlanItem::Action::Skip;
                item.reason = QStringLiteral("not selected");
            } else if (!options.prune) {
                item.action = PlanItem::Action::Skip;
                item.reason = QStringLiteral("no longer in Git; pruning is off");
            } else if (options.appName.isEmpty() || diff::trackedBy(d.live) != options.appName) {
                item.action = PlanItem::Action::Skip;
                item.reason = QStringLiteral("not tracked by this application, so never pruned");
            } else if (keptBySyncOptions(d.live)) {
                item.action = PlanItem::Action::Skip;
                item.reason = QStringLiteral("no longer in Git; kept by its sync-options (Prune=false)");
            } else {
                item.action = PlanItem::Action::Prune;
                item.reason = QStringLiteral("no longer in Git and tracked by this application");
                prune.append(item);
                continue;
            }
            rest.append(item);
            continue;
        }
    }
    std::stable_sort(apply.begin(), apply.end(), applyOrder);
    // Prune in reverse: last wave first, and within a wave workloads before what they use.
    std::stable_sort(prune.begin(), prune.end(),
                     [](const PlanItem& a, const PlanItem& b) { return applyOrder(b, a); });
    std::stable_sort(rest.begin(), rest.end(), applyOrder);
    plan.items = apply + prune + rest;
    return plan;
}

} // namespace driftdeck::sync
