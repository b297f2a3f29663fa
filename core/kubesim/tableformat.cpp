#include "kubesim/tableformat.h"

#include <QDateTime>
#include <QJsonArray>

namespace driftdeck::kubesim {
namespace {

QJsonObject column(const char* name, const char* type = "string", const char* format = "", int priority = 0) {
    return QJsonObject{{QStringLiteral("name"), QString::fromLatin1(name)},
                       {QStringLiteral("type"), QString::fromLatin1(type)},
                       {QStringLiteral("format"), QString::fromLatin1(format)},
                       {QStringLiteral("description"), QString()},
                       {QStringLiteral("priority"), priority}};
}

int intAt(const QJsonObject& obj, const char* section, const char* field) {
    return obj.value(QString::fromLatin1(section)).toObject().value(QString::fromLatin1(field)).toInt();
}

QJsonArray columnsFor(const ResourceType& type) {
    QJsonArray columns{column("Name", "string", "name")};
    if (type.group == QLatin1String("apps") && type.kind == QLatin1String("Deployment")) {
        columns.append(column("Ready"));
        columns.append(column("Up-to-date", "integer"));
        columns.append(column("Available", "integer"));
    } else if (type.group == QLatin1String("apps") && type.kind == QLatin1String("ReplicaSet")) {
        columns.append(column("Desired", "integer"));
        columns.append(column("Current", "integer"));
        columns.append(column("Ready", "integer"));
    } else if (type.group.isEmpty() && type.kind == QLatin1String("Pod")) {
        columns.append(column("Ready"));
        columns.append(column("Status"));
        columns.append(column("Restarts", "string"));
    } else if (type.group.isEmpty() && type.kind == QLatin1String("Namespace")) {
        columns.append(column("Status"));
    } else if (type.group.isEmpty() && type.kind == QLatin1String("Service")) {
        columns.append(column("Type"));
        columns.append(column("Cluster-IP"));
        columns.append(column("Ports"));
    } else if (type.group.isEmpty() && type.kind == QLatin1String("ConfigMap")) {
        columns.append(column("Data", "integer"));
    }
    columns.append(column("Age"));
    return columns;
}

QJsonArray cellsFor(const ResourceType& type, const QJsonObject& obj) {
    const QJsonObject meta = obj.value(QStringLiteral("metadata")).toObject();
    QJsonArray cells{meta.value(QStringLiteral("name"))};
    if (type.group == QLatin1String("apps") && type.kind == QLatin1String("Deployment")) {
        cells.append(QStringLiteral("%1/%2")
                         .arg(intAt(obj, "status", "readyReplicas"))
                         .arg(intAt(obj, "spec", "replicas")));
        cells.append(intAt(obj, "status", "updatedReplicas"));
        cells.append(intAt(obj, "status", "availableReplicas"));
    } else if (type.group == QLatin1String("apps") && type.kind == QLatin1String("ReplicaSet")) {
        cells.append(intAt(obj, "spec", "replicas"));
        cells.append(intAt(obj, "status", "replicas"));
        cells.append(intAt(obj, "status", "readyReplicas"));
    } else if (type.group.isEmpty() && type.kind == QLatin1String("Pod")) {
        const QJsonArray containers =
            obj.value(QStringLiteral("spec")).toObject().value(QStringLiteral("containers")).toArray();
        int ready = 0;
        int restarts = 0;
        for (const QJsonValue& s : obj.value(QStringLiteral("status"))
                                       .toObject()
                                       .value(QStringLiteral("containerStatuses"))
                                       .toArray()) {
            ready += s.toObject().value(QStringLiteral("ready")).toBool() ? 1 : 0;
            restarts += s.toObject().value(QStringLiteral("restartCount")).toInt();
        }
        cells.append(QStringLiteral("%1/%2").arg(ready).arg(containers.size()));
        cells.append(meta.contains(QStringLiteral("deletionTimestamp"))
                         ? QStringLiteral("Terminating")
                         : obj.value(QStringLiteral("status"))
                               .toObject()
                               .value(QStringLiteral("phase"))
                               .toString(QStringLiteral("Pending")));
        cells.append(QString::number(restarts));
    } else if (type.group.isEmpty() && type.kind == QLatin1String("Namespace")) {
        cells.append(obj.value(QStringLiteral("status"))
                         .toObject()
                         .value(QStringLiteral("phase"))
                         .toString(QStringLiteral("Active")));
    } else if (type.group.isEmpty() && type.kind == QLatin1String("Service")) {
        const QJsonObject spec = obj.value(QStringLiteral("spec")).toObject();
        QStringList ports;
        for (const QJsonValue& p : spec.value(QStringLiteral("ports")).toArray()) {
            const QJsonObject port = p.toObject();
            QString text = QString::number(port.value(QStringLiteral("port")).toInt());
            if (port.contains(QStringLiteral("nodePort")))
                text += QLatin1Char(':') + QString::number(port.value(QStringLiteral("nodePort")).toInt());
            ports.append(text + QLatin1Char('/') +
                         port.value(QStringLiteral("protocol")).toString(QStringLiteral("TCP")));
        }
        cells.append(spec.value(QStringLiteral("type")).toString(QStringLiteral("ClusterIP")));
        cells.append(spec.value(QStringLiteral("clusterIP")).toString(QStringLiteral("<none>")));
        cells.append(ports.isEmpty() ? QStringLiteral("<none>") : ports.join(QLatin1Char(',')));
    } else if (type.group.isEmpty() && type.kind == QLatin1String("ConfigMap")) {
        cells.append(obj.value(QStringLiteral("data")).toObject().size() +
                     obj.value(QStringLiteral("binaryData")).toObject().size());
    }
    cells.append(humanAge(meta.value(QStringLiteral("creationTimestamp")).toString()));
    return cells;
}

} // namespace

bool wantsTable(const QByteArray& acceptHeader) {
    return acceptHeader.contains("as=Table");
}

QString humanAge(const QString& creationTimestamp) {
    const QDateTime created = QDateTime::fromString(creationTimestamp, Qt::ISODate);
    if (!created.isValid())
        return QStringLiteral("<unknown>");
    const qint64 s = qMax<qint64>(0, created.secsTo(QDateTime::currentDateTimeUtc()));
    if (s < 120)
        return QStringLiteral("%1s").arg(s);
    if (s < 600)
        return s % 60 ? QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60) : QStringLiteral("%1m").arg(s / 60);
    if (s < 3 * 3600)
        return QStringLiteral("%1m").arg(s / 60);
    if (s < 48 * 3600)
        return QStringLiteral("%1h").arg(s / 3600);
    return QStringLiteral("%1d").arg(s / 86400);
}

QJsonObject toTable(const ResourceType& type, const QList<QJsonObject>& objects,
                    const QJsonObject& listMetadata) {
    QJsonArray rows;
    for (const QJsonObject& obj : objects) {
        const QJsonObject partial{{QStringLiteral("kind"), QStringLiteral("PartialObjectMetadata")},
                                  {QStringLiteral("apiVersion"), QStringLiteral("meta.k8s.io/v1")},
                                  {QStringLiteral("metadata"), obj.value(QStringLiteral("metadata"))}};
        rows.append(
            QJsonObject{{QStringLiteral("cells"), cellsFor(type, obj)}, {QStringLiteral("object"), partial}});
    }
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("Table")},
                       {QStringLiteral("apiVersion"), QStringLiteral("meta.k8s.io/v1")},
                       {QStringLiteral("metadata"), listMetadata},
                       {QStringLiteral("columnDefinitions"), columnsFor(type)},
                       {QStringLiteral("rows"), rows}};
}

} // namespace driftdeck::kubesim
