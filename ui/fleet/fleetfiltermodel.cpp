#include "fleetfiltermodel.h"

#include "fleetmodel.h"

namespace driftdeck::ui {

FleetFilterModel::FleetFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent) {
    setRecursiveFilteringEnabled(true);
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kFilterDelayMs);
    connect(&m_debounce, &QTimer::timeout, this, &FleetFilterModel::applyPendingFilterText);
}

void FleetFilterModel::setFilterText(const QString& text) {
    m_pendingText = text.trimmed();
    m_debounce.start();
}

void FleetFilterModel::applyPendingFilterText() {
    m_debounce.stop();
    if (m_pendingText == m_text)
        return;
    m_text = m_pendingText;
    refilter();
}

void FleetFilterModel::setQuickFilter(QuickFilter filter, bool on) {
    const QuickFilters next = on ? (m_quick | filter) : (m_quick & ~QuickFilters(filter));
    if (next == m_quick)
        return;
    m_quick = next;
    refilter();
}

void FleetFilterModel::setClusterTag(const QString& tag) {
    if (tag == m_tag)
        return;
    m_tag = tag;
    refilter();
}

void FleetFilterModel::refilter() {
    invalidateRowsFilter();
    Q_EMIT filterApplied();
}

// A row matches the text when it or one of its ancestors does: filtering by an application's
// name shows its resources too, filtering by a resource's name keeps its parents (recursion).
bool FleetFilterModel::textMatches(const QModelIndex& sourceIndex) const {
    if (m_text.isEmpty())
        return true;
    for (QModelIndex index = sourceIndex; index.isValid(); index = index.parent())
        if (index.data(FleetModel::FilterTextRole).toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    return false;
}

bool FleetFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_tag.isEmpty() &&
        !index.data(FleetModel::ClusterTagsRole).toStringList().contains(m_tag, Qt::CaseInsensitive))
        return false;
    if (!textMatches(index))
        return false;
    if (m_quick == NoQuickFilter)
        return true;
    const auto type = FleetModel::NodeType(index.data(FleetModel::NodeTypeRole).toInt());
    if (type == FleetModel::NodeType::Cluster)
        return false; // shown through a matching descendant
    const int health = index.data(FleetModel::HealthStatusRole).toInt();
    const int diffState = index.data(FleetModel::DiffStateRole).toInt();
    const bool isApp = type == FleetModel::NodeType::Application;
    if (m_quick.testFlag(OutOfSyncOnly)) {
        const bool drifted =
            isApp
                ? index.data(FleetModel::SyncStatusRole).toInt() == int(engine::SyncStatus::OutOfSync)
                : type == FleetModel::NodeType::Resource && diffState != int(diff::ObjectDiff::State::Synced);
        if (drifted)
            return true;
    }
    if (m_quick.testFlag(DegradedOnly) && health == int(health::HealthStatus::Degraded))
        return true;
    if (m_quick.testFlag(MissingOnly) &&
        (health == int(health::HealthStatus::Missing) || diffState == int(diff::ObjectDiff::State::Missing)))
        return true;
    return false;
}

} // namespace driftdeck::ui
