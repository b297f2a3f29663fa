#include "fleetreport.h"

#include "yaml/yamlcodec.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace driftdeck::cli {

namespace {

QString shortId(const QString& commit) {
    return commit.left(8);
}

// Pads to `width` columns; the last column of a row is not padded.
QString cell(const QString& text, int width) {
    return text.leftJustified(width, u' ') + u"  "_s;
}

} // namespace

QJsonObject errorJson(const Error& error) {
    QJsonObject json{{u"code"_s, Error::codeName(error.code)}, {u"message"_s, error.message}};
    if (!error.detail.isEmpty())
        json.insert(u"fix"_s, error.detail);
    if (error.context.httpStatus != 0)
        json.insert(u"httpStatus"_s, error.context.httpStatus);
    return json;
}

QJsonObject clusterJson(const engine::ClusterStatus& cluster) {
    QJsonObject json{{u"name"_s, cluster.name},
                     {u"context"_s, cluster.context},
                     {u"server"_s, cluster.server},
                     {u"connection"_s, engine::connectionStateName(cluster.connection)},
                     {u"tags"_s, QJsonArray::fromStringList(cluster.tags)},
                     {u"liveObjects"_s, cluster.liveObjects}};
    if (cluster.error)
        json.insert(u"error"_s, errorJson(*cluster.error));
    return json;
}

QJsonObject appJson(const engine::AppStatus& app) {
    using State = diff::ObjectDiff::State;
    QJsonObject json{{u"name"_s, app.name},
                     {u"cluster"_s, app.cluster},
                     {u"repository"_s, app.repo},
                     {u"path"_s, app.path},
                     {u"targetRevision"_s, app.targetRevision},
                     {u"revision"_s, app.commitId},
                     {u"sync"_s, engine::syncStatusName(app.sync)},
                     {u"health"_s, health::statusName(app.health.status)},
                     {u"healthMessage"_s, app.health.message},
                     {u"resources"_s, QJsonObject{{u"total"_s, int(app.resources.size())},
                                                  {u"synced"_s, app.count(State::Synced)},
                                                  {u"outOfSync"_s, app.count(State::OutOfSync)},
                                                  {u"missing"_s, app.count(State::Missing)},
                                                  {u"extra"_s, app.count(State::Extra)}}},
                     {u"autoSync"_s, app.autoSync},
                     {u"autoSyncPaused"_s, app.autoSyncPaused},
                     {u"warnings"_s, QJsonArray::fromStringList(app.warnings)}};
    if (!app.pinnedRevision.isEmpty())
        json.insert(u"pinnedRevision"_s, app.pinnedRevision);
    if (app.error)
        json.insert(u"error"_s, errorJson(*app.error));
    if (app.comparedAt.isValid())
        json.insert(u"comparedAt"_s, app.comparedAt.toString(Qt::ISODate));
    return json;
}

void printStatusText(const engine::FleetSnapshot& snapshot, QTextStream& out) {
    int nameWidth = 7;
    for (const engine::ClusterStatus& cluster : snapshot.clusters)
        nameWidth = qMax(nameWidth, int(cluster.name.size()));
    out << cell(u"CLUSTER"_s, nameWidth) << cell(u"CONNECTION"_s, 13) << "SERVER\n";
    for (const engine::ClusterStatus& cluster : snapshot.clusters) {
        QString server = cluster.server;
        if (!cluster.tags.isEmpty())
            server += u" ["_s + cluster.tags.join(u", "_s) + u']';
        out << cell(cluster.name, nameWidth) << cell(engine::connectionStateName(cluster.connection), 13)
            << server << '\n';
        if (cluster.error)
            out << "  " << cluster.error->toString() << '\n';
    }
    out << '\n';
    int appWidth = 11;
    int clusterWidth = 7;
    for (const engine::AppStatus& app : snapshot.applications) {
        appWidth = qMax(appWidth, int(app.name.size()));
        clusterWidth = qMax(clusterWidth, int(app.cluster.size()));
    }
    out << cell(u"APPLICATION"_s, appWidth) << cell(u"CLUSTER"_s, clusterWidth) << cell(u"SYNC"_s, 9)
        << cell(u"HEALTH"_s, 11) << cell(u"REVISION"_s, 8) << "MESSAGE\n";
    for (const engine::AppStatus& app : snapshot.applications) {
        using State = diff::ObjectDiff::State;
        QString message;
        if (app.error) {
            message = app.error->toString();
        } else if (app.sync == engine::SyncStatus::OutOfSync) {
            QStringList parts;
            if (int n = app.count(State::OutOfSync))
                parts << u"%1 changed"_s.arg(n);
            if (int n = app.count(State::Missing))
                parts << u"%1 missing"_s.arg(n);
            if (int n = app.count(State::Extra))
                parts << u"%1 extra"_s.arg(n);
            message = parts.join(u", "_s) + u" of %1 resources"_s.arg(app.resources.size());
        }
        if (app.health.status != health::HealthStatus::Healthy && !app.health.message.isEmpty())
            message += (message.isEmpty() ? QString() : u"; "_s) + app.health.message;
        if (!app.pinnedRevision.isEmpty())
            message +=
                u"; pinned to %1, auto-sync paused (driftdeck-cli resume)"_s.arg(shortId(app.pinnedRevision));
        out << cell(app.name, appWidth) << cell(app.cluster, clusterWidth)
            << cell(engine::syncStatusName(app.sync), 9)
            << cell(app.sync == engine::SyncStatus::Error ? u"-"_s : health::statusName(app.health.status),
                    11)
            << cell(shortId(app.commitId), 8) << message << '\n';
        for (const QString& warning : app.warnings)
            out << "  warning: " << warning << '\n';
    }
}

void printStructured(const QJsonObject& json, const QString& format, QTextStream& out) {
    if (format == "yaml"_L1)
        out << yaml::toYaml(json);
    else
        out << QJsonDocument(json).toJson(QJsonDocument::Indented);
}

} // namespace driftdeck::cli
