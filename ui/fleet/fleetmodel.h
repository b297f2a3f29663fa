#pragma once

#include "engine/enginetypes.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QMultiHash>

#include <chrono>
#include <memory>
#include <variant>
#include <vector>

// The fleet as a tree: cluster → application → resource → owned objects (a Deployment's
// ReplicaSets, their Pods: ownerReferences, as the engine publishes them). Fed by engine snapshots and merged
// incrementally: rows are inserted, removed and changed in place, keyed by cluster name,
// application name and ResourceKey, so persistent indexes, selection and expansion survive every
// refresh. The model is never reset.
namespace driftdeck::ui {

class FleetModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        SyncColumn,
        HealthColumn,
        RevisionColumn,
        LastSyncColumn,
        MessageColumn,
        ColumnCount
    };
    enum class NodeType { Cluster, Application, Resource, Child };
    enum Role {
        NodeTypeRole = Qt::UserRole + 1, // int(NodeType)
        SyncStatusRole,                  // int(engine::SyncStatus); clusters: Unknown
        DiffStateRole,                   // int(diff::ObjectDiff::State) of a resource, -1 elsewhere
        HealthStatusRole,                // int(health::HealthStatus); clusters: -1
        ConnectionRole,                  // int(engine::ConnectionState) of the node's cluster
        ClusterNameRole,                 // the node's cluster
        ApplicationNameRole,             // the node's application; empty for a cluster
        ResourceKeyRole,                 // QVariant<ResourceKey> of a resource or an owned object
        ClusterTagsRole,                 // QStringList: the tags of the node's cluster
        FilterTextRole,                  // what the filter box matches: name, kind, namespace
    };

    explicit FleetModel(QObject* parent = nullptr);
    ~FleetModel() override;

    // Merges `snapshot` into the tree: only the rows that differ are touched.
    void applySnapshot(const engine::Snapshot& snapshot);
    // The same in slices, so a snapshot in which every application changed never holds the UI
    // thread for long: clusters and applications at once, then the applications' resources until
    // `budget` has passed. False while applications are left for continueSnapshot(); a snapshot
    // given to beginSnapshot meanwhile replaces the one in progress (what was merged stays).
    bool beginSnapshot(const engine::Snapshot& snapshot, std::chrono::milliseconds budget);
    bool continueSnapshot(std::chrono::milliseconds budget);
    bool merging() const { return m_nextPending < m_pending.size(); }
    // Forgets the rest of a merge in progress (another workspace is loading).
    void cancelMerge();
    // Applications whose resources were merged (not skipped as unchanged) since construction.
    int applicationsMerged() const { return m_applicationsMerged; }
    engine::Snapshot snapshot() const { return m_snapshot; }

    QModelIndex clusterIndex(const QString& cluster) const;
    QModelIndex applicationIndex(const QString& application) const;
    QModelIndex resourceIndex(const QString& application, const ResourceKey& key) const;
    NodeType nodeType(const QModelIndex& index) const;
    // The status behind a row, or null when the index is of another type.
    const engine::ClusterStatus* clusterAt(const QModelIndex& index) const;
    const engine::AppStatus* applicationAt(const QModelIndex& index) const;
    const engine::ResourceStatus* resourceAt(const QModelIndex& index) const;
    const engine::ChildStatus* childAt(const QModelIndex& index) const;
    // The application a row belongs to (its own for an application row); null for a cluster.
    const engine::AppStatus* applicationOf(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    struct Node {
        NodeType type = NodeType::Cluster;
        Node* parent = nullptr;
        int row = 0;
        QString id; // cluster name, application name, ResourceKey::toString()
        std::variant<engine::ClusterStatus, engine::AppStatus, engine::ResourceStatus, engine::ChildStatus>
            status;
        std::vector<std::unique_ptr<Node>> children;
        // An application's resource and child lists its rows were last merged from: the engine keeps
        // the lists of an unchanged application, so a list shared with these needs no merge.
        QList<engine::ResourceStatus> mergedResources;
        QList<engine::ChildStatus> mergedChildren;
    };

private:
    struct Wanted {
        QString id;
        std::variant<engine::ClusterStatus, engine::AppStatus, engine::ResourceStatus, engine::ChildStatus>
            status;
    };
    void mergeChildren(Node* parent, std::vector<Wanted> wanted);
    bool mergeApplication(Node* app); // false: its lists were merged already
    // Nests the objects `owner` owns (by uid), and theirs, under it.
    void mergeOwned(Node* owner, const QString& ownerUid,
                    const QMultiHash<QString, const engine::ChildStatus*>& owned);
    const Node* applicationNodeOf(const Node* node) const;
    QModelIndex indexOf(const Node* node, int column = 0) const;
    const Node* nodeAt(const QModelIndex& index) const;
    const Node* clusterOf(const Node* node) const;
    QVariant displayData(const Node* node, int column) const;

    Node m_root;
    engine::Snapshot m_snapshot;
    QHash<QString, Node*> m_clusters;
    QHash<QString, Node*> m_applications;
    QStringList m_pending; // applications whose resources are still to merge, from m_nextPending on
    qsizetype m_nextPending = 0;
    int m_applicationsMerged = 0;
};

} // namespace driftdeck::ui
