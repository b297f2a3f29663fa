// What the fleet tree shows in each cell, and the roles the filter and the window read.
#include "fleetmodel.h"
#include "statusicons.h"

#include <QLocale>

namespace driftdeck::ui {
namespace {

using engine::AppStatus;
using engine::ChildStatus;
using engine::ClusterStatus;
using engine::ResourceStatus;

QString shortCommit(const QString& id) {
    return id.left(7);
}

QString when(const QDateTime& time) {
    if (!time.isValid())
        return {};
    return QLocale().toString(time.toLocalTime(), QLocale::ShortFormat);
}

QString clusterMessage(const ClusterStatus& cluster) {
    if (cluster.error) {
        QString text = cluster.error->message;
        if (!cluster.error->detail.isEmpty())
            text += QStringLiteral(" — ") + cluster.error->detail.section(u'\n', 0, 0);
        return text;
    }
    if (cluster.connection == engine::ConnectionState::Connected)
        return FleetModel::tr("%n live objects", nullptr, cluster.liveObjects) +
               FleetModel::tr(", %n resource types watched", nullptr, cluster.watchedTypes);
    return {};
}

QString appMessage(const AppStatus& app) {
    if (app.error)
        return app.error->message;
    QStringList parts;
    if (!app.pinnedRevision.isEmpty())
        parts << FleetModel::tr("rolled back to %1, auto-sync paused").arg(shortCommit(app.pinnedRevision));
    if (app.sync == engine::SyncStatus::OutOfSync) {
        const int changed = app.count(diff::ObjectDiff::State::OutOfSync);
        const int missing = app.count(diff::ObjectDiff::State::Missing);
        const int extra = app.count(diff::ObjectDiff::State::Extra);
        QStringList counts;
        if (changed)
            counts << FleetModel::tr("%n changed", nullptr, changed);
        if (missing)
            counts << FleetModel::tr("%n missing", nullptr, missing);
        if (extra)
            counts << FleetModel::tr("%n extra", nullptr, extra);
        parts << counts.join(QStringLiteral(", "));
    }
    if (!app.health.message.isEmpty() && app.health.status != health::HealthStatus::Healthy)
        parts << app.health.message;
    return parts.join(QStringLiteral("; "));
}

QString resourceMessage(const ResourceStatus& resource) {
    if (!resource.health.message.isEmpty())
        return resource.health.message;
    if (!resource.diff.changes.isEmpty()) {
        const diff::FieldChange& first = resource.diff.changes.first();
        QString text = diff::changeTypeName(first.type) + u' ' + first.pointer;
        if (resource.diff.changes.size() > 1)
            text += FleetModel::tr(" and %n more", nullptr, int(resource.diff.changes.size() - 1));
        return text;
    }
    return {};
}

// Health is only known for an application that was compared; an error leaves it unknown.
bool hasHealth(const AppStatus& app) {
    return app.sync == engine::SyncStatus::Synced || app.sync == engine::SyncStatus::OutOfSync;
}

QString resourceName(const ResourceKey& key) {
    return key.ns.isEmpty() ? QString(key.kind + u' ' + key.name)
                            : QString(key.kind + u' ' + key.ns + u'/' + key.name);
}

} // namespace

QVariant FleetModel::displayData(const Node* node, int column) const {
    if (const auto* cluster = std::get_if<ClusterStatus>(&node->status)) {
        switch (column) {
        case NameColumn:
            return cluster->tags.isEmpty() ? cluster->name
                                           : cluster->name + QStringLiteral("  [") +
                                                 cluster->tags.join(QStringLiteral(", ")) + u']';
        case SyncColumn:
            return engine::connectionStateName(cluster->connection);
        case MessageColumn:
            return clusterMessage(*cluster);
        default:
            return {};
        }
    }
    if (const auto* app = std::get_if<AppStatus>(&node->status)) {
        switch (column) {
        case NameColumn:
            return app->name;
        case SyncColumn:
            return engine::syncStatusName(app->sync);
        case HealthColumn:
            return hasHealth(*app) ? health::statusName(app->health.status) : QString();
        case RevisionColumn:
            if (app->commitId.isEmpty())
                return app->targetRevision;
            // No target revision: the repository's default branch; the commit says enough.
            return app->targetRevision.isEmpty()
                       ? shortCommit(app->commitId)
                       : app->targetRevision + QStringLiteral(" @ ") + shortCommit(app->commitId);
        case LastSyncColumn:
            return app->lastSyncAt.isValid() ? when(app->lastSyncAt) + u' ' + app->lastSyncResult : QString();
        case MessageColumn:
            return appMessage(*app);
        default:
            return {};
        }
    }
    if (const auto* child = std::get_if<ChildStatus>(&node->status)) {
        switch (column) {
        case NameColumn: // the namespace is its owner's, shown one row up
            return QString(child->key.kind + u' ' + child->key.name);
        case HealthColumn:
            return health::statusName(child->health.status);
        case MessageColumn:
            return child->health.message;
        default:
            return {};
        }
    }
    const auto& resource = std::get<ResourceStatus>(node->status);
    switch (column) {
    case NameColumn:
        return resourceName(resource.key);
    case SyncColumn:
        return diff::stateName(resource.diff.state);
    case HealthColumn:
        return health::statusName(resource.health.status);
    case RevisionColumn:
        return resource.sourceFile.isEmpty() ? QString()
               : resource.sourceLine > 0 ? resource.sourceFile + u':' + QString::number(resource.sourceLine)
                                         : resource.sourceFile;
    case MessageColumn:
        return resourceMessage(resource);
    default:
        return {};
    }
}

QVariant FleetModel::data(const QModelIndex& index, int role) const {
    const Node* node = nodeAt(index);
    if (!node)
        return {};
    const Node* clusterNode = clusterOf(node);
    const auto& cluster = std::get<ClusterStatus>(clusterNode->status);
    const auto* app = std::get_if<AppStatus>(&node->status);
    const auto* resource = std::get_if<ResourceStatus>(&node->status);
    const auto* child = std::get_if<ChildStatus>(&node->status);
    switch (role) {
    case Qt::DisplayRole:
        return displayData(node, index.column());
    case Qt::ToolTipRole:
        if (node->type == NodeType::Cluster && index.column() == NameColumn)
            return tr("%1 (context %2)").arg(cluster.server, cluster.context);
        if (index.column() == MessageColumn || index.column() == NameColumn) {
            const QString text = displayData(node, MessageColumn).toString();
            return text.isEmpty() ? QVariant() : QVariant(text);
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == SyncColumn) {
            if (app)
                return syncIcon(app->sync);
            if (resource)
                return diffStateIcon(resource->diff.state);
            if (node->type == NodeType::Cluster)
                return connectionIcon(cluster.connection);
            return {}; // an owned object is not compared with Git
        }
        if (index.column() == HealthColumn) {
            if (app && hasHealth(*app))
                return healthIcon(app->health.status);
            if (resource)
                return healthIcon(resource->health.status);
            if (child)
                return healthIcon(child->health.status);
        }
        return {};
    case NodeTypeRole:
        return int(node->type);
    case SyncStatusRole:
        return int(app ? app->sync : engine::SyncStatus::Unknown);
    case DiffStateRole:
        return resource ? int(resource->diff.state) : -1;
    case HealthStatusRole:
        if (app)
            return int(app->health.status);
        if (child)
            return int(child->health.status);
        return resource ? int(resource->health.status) : -1;
    case ConnectionRole:
        return int(cluster.connection);
    case ClusterNameRole:
        return cluster.name;
    case ApplicationNameRole: {
        const Node* appNode = applicationNodeOf(node);
        return appNode ? std::get<AppStatus>(appNode->status).name : QString();
    }
    case ResourceKeyRole:
        if (child)
            return QVariant::fromValue(child->key);
        return resource ? QVariant::fromValue(resource->key) : QVariant();
    case ClusterTagsRole:
        return cluster.tags;
    case FilterTextRole:
        if (resource)
            return QString(resource->key.kind + u' ' + resource->key.ns + u'/' + resource->key.name);
        if (child)
            return QString(child->key.kind + u' ' + child->key.ns + u'/' + child->key.name);
        return node->id;
    default:
        return {};
    }
}

QVariant FleetModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case SyncColumn:
        return tr("Sync");
    case HealthColumn:
        return tr("Health");
    case RevisionColumn:
        return tr("Revision / source");
    case LastSyncColumn:
        return tr("Last sync");
    case MessageColumn:
        return tr("Message");
    default:
        return {};
    }
}

} // namespace driftdeck::ui
