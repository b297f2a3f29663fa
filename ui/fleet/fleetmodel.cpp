#include "fleetmodel.h"

#include <QElapsedTimer>
#include <QSet>

#include <algorithm>
#include <climits>

namespace driftdeck::ui {
namespace {

using engine::AppStatus;
using engine::ChildStatus;
using engine::ClusterStatus;
using engine::ResourceStatus;

QString errorText(const std::optional<Error>& error) {
    return error ? error->toString() : QString();
}

bool same(const ClusterStatus& a, const ClusterStatus& b) {
    return a.name == b.name && a.context == b.context && a.tags == b.tags && a.server == b.server &&
           a.connection == b.connection && errorText(a.error) == errorText(b.error) &&
           a.watchedTypes == b.watchedTypes && a.liveObjects == b.liveObjects;
}

bool same(const AppStatus& a, const AppStatus& b) {
    return a.cluster == b.cluster && a.targetRevision == b.targetRevision && a.commitId == b.commitId &&
           a.sync == b.sync && a.health == b.health && errorText(a.error) == errorText(b.error) &&
           a.warnings == b.warnings && a.compareCount == b.compareCount &&
           a.pinnedRevision == b.pinnedRevision && a.autoSyncPaused == b.autoSyncPaused &&
           a.autoSync == b.autoSync && a.lastSyncAt == b.lastSyncAt && a.lastSyncResult == b.lastSyncResult &&
           a.resources.size() == b.resources.size() && a.children.size() == b.children.size();
}

bool same(const ResourceStatus& a, const ResourceStatus& b) {
    return a.diff.state == b.diff.state && a.health == b.health && a.sourceFile == b.sourceFile &&
           a.sourceLine == b.sourceLine && a.uid == b.uid && a.diff.changes == b.diff.changes &&
           a.diff.desired == b.diff.desired && a.diff.live == b.diff.live && a.conditions == b.conditions;
}

bool same(const ChildStatus& a, const ChildStatus& b) {
    return a.key == b.key && a.uid == b.uid && a.ownerUid == b.ownerUid && a.health == b.health;
}

template <typename Variant>
bool sameStatus(const Variant& a, const Variant& b) {
    if (a.index() != b.index())
        return false;
    return std::visit(
        [&b](const auto& left) {
            using T = std::decay_t<decltype(left)>;
            return same(left, std::get<T>(b));
        },
        a);
}

} // namespace

FleetModel::FleetModel(QObject* parent)
    : QAbstractItemModel(parent) {}

FleetModel::~FleetModel() = default;

void FleetModel::applySnapshot(const engine::Snapshot& snapshot) {
    beginSnapshot(snapshot, std::chrono::milliseconds::max());
}

bool FleetModel::beginSnapshot(const engine::Snapshot& snapshot, std::chrono::milliseconds budget) {
    if (!snapshot)
        return !merging();
    m_snapshot = snapshot;
    // Clusters in workspace order; an application naming a cluster the snapshot lacks still shows,
    // under a placeholder that says so.
    std::vector<Wanted> clusters;
    QSet<QString> clusterNames;
    for (const ClusterStatus& cluster : snapshot->clusters) {
        clusters.push_back({cluster.name, cluster});
        clusterNames.insert(cluster.name);
    }
    for (const AppStatus& app : snapshot->applications)
        if (!clusterNames.contains(app.cluster)) {
            ClusterStatus missing;
            missing.name = app.cluster;
            missing.connection = engine::ConnectionState::Misconfigured;
            missing.error = Error::make(Error::Code::NotFound,
                                        tr("cluster '%1' is not in the workspace").arg(app.cluster),
                                        tr("add it under clusters: in the workspace file"));
            clusters.push_back({app.cluster, missing});
            clusterNames.insert(app.cluster);
        }
    mergeChildren(&m_root, std::move(clusters));

    m_clusters.clear();
    for (const auto& cluster : m_root.children)
        m_clusters.insert(cluster->id, cluster.get());
    QHash<QString, std::vector<Wanted>> appsByCluster;
    for (const AppStatus& app : snapshot->applications)
        appsByCluster[app.cluster].push_back({app.name, app});
    m_applications.clear();
    // The applications an unfinished merge had not reached come first: snapshots arriving faster
    // than slices (every 20 ms while a fleet starts) would otherwise merge the first applications
    // again and again and never reach the last.
    const QStringList unfinished = m_pending.mid(m_nextPending);
    m_pending.clear();
    m_nextPending = 0;
    QStringList rest;
    for (const auto& cluster : m_root.children) {
        mergeChildren(cluster.get(), appsByCluster.take(cluster->id));
        for (const auto& app : cluster->children) {
            m_applications.insert(app->id, app.get());
            rest.append(app->id);
        }
    }
    QSet<QString> first;
    for (const QString& name : unfinished)
        if (m_applications.contains(name) && !first.contains(name)) {
            first.insert(name);
            m_pending.append(name);
        }
    for (const QString& name : std::as_const(rest))
        if (!first.contains(name))
            m_pending.append(name);
    return continueSnapshot(budget);
}

void FleetModel::cancelMerge() {
    m_pending.clear();
    m_nextPending = 0;
}

bool FleetModel::continueSnapshot(std::chrono::milliseconds budget) {
    QElapsedTimer clock;
    clock.start();
    while (m_nextPending < m_pending.size()) {
        Node* app = m_applications.value(m_pending[m_nextPending++]);
        // Only a merge spends the budget: skipping an unchanged application costs nothing.
        if (!app || !mergeApplication(app))
            continue;
        if (budget != std::chrono::milliseconds::max() && clock.elapsed() >= budget.count())
            break;
    }
    return !merging();
}

bool FleetModel::mergeApplication(Node* app) {
    const AppStatus& status = std::get<AppStatus>(app->status);
    // The engine keeps the lists of an application whose comparison found nothing changed: a list
    // shared with the one merged last time needs no merge, so a snapshot after one application
    // changed costs that application only.
    if (status.resources.isSharedWith(app->mergedResources) &&
        status.children.isSharedWith(app->mergedChildren))
        return false;
    ++m_applicationsMerged;
    std::vector<Wanted> resources;
    resources.reserve(size_t(status.resources.size()));
    for (const ResourceStatus& resource : status.resources)
        resources.push_back({resource.key.toString(), resource});
    mergeChildren(app, std::move(resources));
    QMultiHash<QString, const ChildStatus*> owned;
    for (const ChildStatus& child : status.children)
        if (!child.ownerUid.isEmpty() && child.uid != child.ownerUid)
            owned.insert(child.ownerUid, &child);
    for (const auto& resource : app->children)
        mergeOwned(resource.get(), std::get<ResourceStatus>(resource->status).uid, owned);
    app->mergedResources = status.resources;
    app->mergedChildren = status.children;
    return true;
}

void FleetModel::mergeOwned(Node* owner, const QString& ownerUid,
                            const QMultiHash<QString, const ChildStatus*>& owned) {
    std::vector<Wanted> wanted;
    if (!ownerUid.isEmpty()) {
        QList<const ChildStatus*> children = owned.values(ownerUid);
        // QMultiHash gives the newest insertion first; keep the engine's order (stable rows).
        std::reverse(children.begin(), children.end());
        wanted.reserve(size_t(children.size()));
        for (const ChildStatus* child : children)
            wanted.push_back({child->uid, *child});
    }
    mergeChildren(owner, std::move(wanted));
    // Depth is bounded by the ownership chain; a cycle of uids cannot recurse because a node only
    // nests objects whose owner is the node itself and the tree depth is capped.
    int depth = 0;
    for (const Node* up = owner; up; up = up->parent)
        ++depth;
    if (depth > 8)
        return;
    for (const auto& child : owner->children)
        mergeOwned(child.get(), child->id, owned);
}

void FleetModel::mergeChildren(Node* parent, std::vector<Wanted> wanted) {
    const QModelIndex parentIndex = indexOf(parent);
    QHash<QString, qsizetype> wantedPosition;
    wantedPosition.reserve(qsizetype(wanted.size()));
    for (size_t i = 0; i < wanted.size(); ++i)
        wantedPosition.insert(wanted[i].id, qsizetype(i));
    auto& children = parent->children;

    // Removals, in runs of adjacent rows from the end so earlier rows keep their numbers.
    for (int i = int(children.size()) - 1; i >= 0;) {
        if (wantedPosition.contains(children[size_t(i)]->id)) {
            --i;
            continue;
        }
        const int last = i;
        while (i >= 0 && !wantedPosition.contains(children[size_t(i)]->id))
            --i;
        const int first = i + 1;
        beginRemoveRows(parentIndex, first, last);
        children.erase(children.begin() + first, children.begin() + last + 1);
        for (size_t row = size_t(first); row < children.size(); ++row)
            children[row]->row = int(row);
        endRemoveRows();
    }

    // Changes in place: one dataChanged over the span of changed rows.
    QSet<QString> present;
    present.reserve(qsizetype(children.size()));
    int firstChanged = INT_MAX;
    int lastChanged = -1;
    for (const auto& child : children) {
        present.insert(child->id);
        const Wanted& next = wanted[size_t(wantedPosition.value(child->id))];
        if (!sameStatus(child->status, next.status)) {
            child->status = next.status;
            firstChanged = std::min(firstChanged, child->row);
            lastChanged = std::max(lastChanged, child->row);
        } else {
            child->status = next.status; // equal content; hold the new snapshot's data
        }
    }
    if (lastChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged, 0, parentIndex),
                           index(lastChanged, ColumnCount - 1, parentIndex));

    // Insertions, appended in the snapshot's order.
    std::vector<std::unique_ptr<Node>> added;
    for (Wanted& next : wanted) {
        if (present.contains(next.id))
            continue;
        present.insert(next.id);
        auto node = std::make_unique<Node>();
        node->type = NodeType(next.status.index()); // the variant's order is NodeType's
        node->parent = parent;
        node->id = next.id;
        node->status = std::move(next.status);
        added.push_back(std::move(node));
    }
    if (added.empty())
        return;
    const int first = int(children.size());
    beginInsertRows(parentIndex, first, first + int(added.size()) - 1);
    for (auto& node : added) {
        node->row = int(children.size());
        children.push_back(std::move(node));
    }
    endInsertRows();
}

QModelIndex FleetModel::indexOf(const Node* node, int column) const {
    if (!node || node == &m_root)
        return {};
    return createIndex(node->row, column, const_cast<Node*>(node));
}

const FleetModel::Node* FleetModel::nodeAt(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this)
        return nullptr;
    return static_cast<const Node*>(index.internalPointer());
}

const FleetModel::Node* FleetModel::clusterOf(const Node* node) const {
    while (node && node->type != NodeType::Cluster)
        node = node->parent;
    return node;
}

QModelIndex FleetModel::clusterIndex(const QString& cluster) const {
    return indexOf(m_clusters.value(cluster));
}

QModelIndex FleetModel::applicationIndex(const QString& application) const {
    return indexOf(m_applications.value(application));
}

QModelIndex FleetModel::resourceIndex(const QString& application, const ResourceKey& key) const {
    const Node* app = m_applications.value(application);
    if (!app)
        return {};
    const QString id = key.toString();
    for (const auto& child : app->children)
        if (child->id == id)
            return indexOf(child.get());
    return {};
}

FleetModel::NodeType FleetModel::nodeType(const QModelIndex& index) const {
    const Node* node = nodeAt(index);
    return node ? node->type : NodeType::Cluster;
}

const engine::ClusterStatus* FleetModel::clusterAt(const QModelIndex& index) const {
    const Node* node = nodeAt(index);
    return node ? std::get_if<ClusterStatus>(&node->status) : nullptr;
}

const engine::AppStatus* FleetModel::applicationAt(const QModelIndex& index) const {
    const Node* node = nodeAt(index);
    return node ? std::get_if<AppStatus>(&node->status) : nullptr;
}

const engine::ResourceStatus* FleetModel::resourceAt(const QModelIndex& index) const {
    const Node* node = nodeAt(index);
    return node ? std::get_if<ResourceStatus>(&node->status) : nullptr;
}

const engine::ChildStatus* FleetModel::childAt(const QModelIndex& index) const {
    const Node* node = nodeAt(index);
    return node ? std::get_if<ChildStatus>(&node->status) : nullptr;
}

const FleetModel::Node* FleetModel::applicationNodeOf(const Node* node) const {
    while (node && node->type != NodeType::Application)
        node = node->parent;
    return node;
}

const engine::AppStatus* FleetModel::applicationOf(const QModelIndex& index) const {
    const Node* node = applicationNodeOf(nodeAt(index));
    return node ? std::get_if<AppStatus>(&node->status) : nullptr;
}

QModelIndex FleetModel::index(int row, int column, const QModelIndex& parent) const {
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    const Node* node = parent.isValid() ? nodeAt(parent) : &m_root;
    if (!node || row >= int(node->children.size()))
        return {};
    return createIndex(row, column, node->children[size_t(row)].get());
}

QModelIndex FleetModel::parent(const QModelIndex& child) const {
    const Node* node = nodeAt(child);
    if (!node || node->parent == &m_root)
        return {};
    return indexOf(node->parent);
}

int FleetModel::rowCount(const QModelIndex& parent) const {
    if (parent.column() > 0)
        return 0;
    const Node* node = parent.isValid() ? nodeAt(parent) : &m_root;
    return node ? int(node->children.size()) : 0;
}

int FleetModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

} // namespace driftdeck::ui
