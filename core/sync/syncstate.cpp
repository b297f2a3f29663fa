#include "sync/syncstate.h"

#include <algorithm>

namespace driftdeck::sync {

QString phaseName(SyncPhase phase) {
    switch (phase) {
    case SyncPhase::Pending:
        return QStringLiteral("Pending");
    case SyncPhase::Applying:
        return QStringLiteral("Applying");
    case SyncPhase::WaitingForHealth:
        return QStringLiteral("WaitingForHealth");
    case SyncPhase::Pruning:
        return QStringLiteral("Pruning");
    case SyncPhase::Finished:
        return QStringLiteral("Finished");
    }
    return {};
}

QString statusName(ResourceStatus status) {
    switch (status) {
    case ResourceStatus::NotRun:
        return QStringLiteral("NotRun");
    case ResourceStatus::Applied:
        return QStringLiteral("Applied");
    case ResourceStatus::Pruned:
        return QStringLiteral("Pruned");
    case ResourceStatus::Unchanged:
        return QStringLiteral("Unchanged");
    case ResourceStatus::Skipped:
        return QStringLiteral("Skipped");
    case ResourceStatus::Failed:
        return QStringLiteral("Failed");
    case ResourceStatus::Conflict:
        return QStringLiteral("Conflict");
    }
    return {};
}

QString outcomeName(SyncOutcome outcome) {
    switch (outcome) {
    case SyncOutcome::Succeeded:
        return QStringLiteral("Succeeded");
    case SyncOutcome::PartiallySucceeded:
        return QStringLiteral("PartiallySucceeded");
    case SyncOutcome::Failed:
        return QStringLiteral("Failed");
    case SyncOutcome::Cancelled:
        return QStringLiteral("Cancelled");
    }
    return {};
}

bool SyncResourceResult::isDone() const {
    switch (status) {
    case ResourceStatus::Applied:
    case ResourceStatus::Pruned:
    case ResourceStatus::Unchanged:
    case ResourceStatus::Skipped:
        return true;
    case ResourceStatus::NotRun:
    case ResourceStatus::Failed:
    case ResourceStatus::Conflict:
        return false;
    }
    return false;
}

SyncState SyncState::forPlan(const SyncPlan& plan, const QString& appName, bool dryRun) {
    SyncState state;
    state.plan = plan;
    state.appName = appName;
    state.dryRun = dryRun;
    state.results.reserve(plan.items.size());
    for (const PlanItem& item : plan.items) {
        SyncResourceResult r;
        r.key = item.key;
        r.action = item.action;
        r.wave = item.wave;
        if (item.action == PlanItem::Action::Unchanged) {
            r.status = ResourceStatus::Unchanged;
            r.message = item.reason;
        } else if (item.action == PlanItem::Action::Skip) {
            r.status = ResourceStatus::Skipped;
            r.message = item.reason;
        }
        state.results.append(r);
    }
    state.next = 0;
    while (state.next < state.results.size() && state.results.at(state.next).isDone())
        ++state.next;
    return state;
}

bool SyncState::applyPhaseComplete() const {
    for (const SyncResourceResult& r : results)
        if ((r.action == PlanItem::Action::Create || r.action == PlanItem::Action::Update) &&
            r.status != ResourceStatus::Applied)
            return false;
    return true;
}

namespace {

bool isAction(PlanItem::Action action) {
    return action == PlanItem::Action::Create || action == PlanItem::Action::Update ||
           action == PlanItem::Action::Prune;
}

} // namespace

int SyncState::actionCount() const {
    return int(std::count_if(results.begin(), results.end(),
                             [](const SyncResourceResult& r) { return isAction(r.action); }));
}

int SyncState::actionsDone() const {
    return int(std::count_if(results.begin(), results.end(), [](const SyncResourceResult& r) {
        return isAction(r.action) && r.status != ResourceStatus::NotRun;
    }));
}

const SyncResourceResult* SyncResult::find(const ResourceKey& key) const {
    for (const SyncResourceResult& r : resources)
        if (r.key == key)
            return &r;
    return nullptr;
}

int SyncResult::count(ResourceStatus status) const {
    return int(std::count_if(resources.begin(), resources.end(),
                             [status](const SyncResourceResult& r) { return r.status == status; }));
}

} // namespace driftdeck::sync
