#pragma once

#include <QSortFilterProxyModel>
#include <QTimer>

// Filters the fleet tree: free text (debounced, so typing does not refilter 20,000 rows per key),
// quick filters by state, and a cluster tag. Recursive: a parent stays when a descendant matches,
// so a match deep in the tree keeps its cluster and application visible.
namespace driftdeck::ui {

class FleetFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum QuickFilter {
        NoQuickFilter = 0,
        OutOfSyncOnly = 1, // applications and resources that differ from Git (changed, missing, extra)
        DegradedOnly = 2,  // health Degraded
        MissingOnly = 4,   // resources missing live, health Missing
    };
    Q_DECLARE_FLAGS(QuickFilters, QuickFilter)

    static constexpr int kFilterDelayMs = 250;

    explicit FleetFilterModel(QObject* parent = nullptr);

    // Applied kFilterDelayMs after the last call.
    void setFilterText(const QString& text);
    // Applies a pending text at once (Return in the filter box).
    void applyPendingFilterText();
    QString filterText() const { return m_text; }

    void setQuickFilter(QuickFilter filter, bool on);
    QuickFilters quickFilters() const { return m_quick; }
    // Only clusters carrying `tag` (empty: every cluster).
    void setClusterTag(const QString& tag);
    QString clusterTag() const { return m_tag; }

Q_SIGNALS:
    void filterApplied();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    void refilter();
    bool textMatches(const QModelIndex& sourceIndex) const;

    QTimer m_debounce;
    QString m_pendingText;
    QString m_text;
    QuickFilters m_quick;
    QString m_tag;
};

} // namespace driftdeck::ui

Q_DECLARE_OPERATORS_FOR_FLAGS(driftdeck::ui::FleetFilterModel::QuickFilters)
