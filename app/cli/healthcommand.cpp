#include "healthcommand.h"

#include "health/health.h"
#include "objectstream.h"
#include "yaml/yamlcodec.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace driftdeck::cli {

using namespace Qt::StringLiterals;

namespace {

enum ExitCode { AllHealthy = 0, NotHealthy = 1, Failed = 2 };

// What is kept of an object: never its spec, data or status, so nothing secret can be printed.
struct HealthRow {
    QString apiVersion;
    ResourceKey key;
    health::Health health;
};

Status readFile(const QString& path, QList<HealthRow>& rows) {
    return readObjectFile(path, [&rows](const manifest::DesiredObject& object) {
        rows.append(HealthRow{object.object.value("apiVersion"_L1).toString(), object.key,
                              health::assess(object.object)});
    });
}

QString displayName(const ResourceKey& key) {
    return key.ns.isEmpty() ? key.name : key.ns + u'/' + key.name;
}

health::Health overall(const QList<HealthRow>& rows) {
    QList<health::ResourceHealth> resources;
    resources.reserve(rows.size());
    for (const HealthRow& row : rows)
        resources.append(health::ResourceHealth{row.key, row.health});
    return health::aggregate(resources);
}

QJsonObject toJson(const QList<HealthRow>& rows, const health::Health& total) {
    QJsonArray objects;
    for (const HealthRow& row : rows) {
        QJsonObject object;
        object.insert(u"apiVersion"_s, row.apiVersion);
        object.insert(u"kind"_s, row.key.kind);
        object.insert(u"namespace"_s, row.key.ns);
        object.insert(u"name"_s, row.key.name);
        object.insert(u"health"_s, health::statusName(row.health.status));
        object.insert(u"message"_s, row.health.message);
        objects.append(object);
    }
    QJsonObject document;
    document.insert(u"objects"_s, objects);
    document.insert(u"health"_s, health::statusName(total.status));
    document.insert(u"message"_s, total.message);
    return document;
}

void printTable(const QList<HealthRow>& rows, const health::Health& total, QTextStream& out) {
    const QStringList headers{u"KIND"_s, u"NAMESPACE/NAME"_s, u"HEALTH"_s, u"MESSAGE"_s};
    QList<QStringList> table;
    table.reserve(rows.size());
    for (const HealthRow& row : rows)
        table.append(
            {row.key.kind, displayName(row.key), health::statusName(row.health.status), row.health.message});
    QList<qsizetype> widths;
    for (qsizetype column = 0; column < 3; ++column) {
        qsizetype width = headers[column].size();
        for (const QStringList& cells : std::as_const(table))
            width = std::max(width, cells[column].size());
        widths.append(width);
    }
    const auto printRow = [&](const QStringList& cells) {
        QString line;
        for (qsizetype column = 0; column < 3; ++column)
            line += cells[column].leftJustified(widths[column]) + u"  "_s;
        line += cells[3];
        out << line.trimmed() << '\n';
    };
    printRow(headers);
    for (const QStringList& cells : std::as_const(table))
        printRow(cells);
    out << '\n' << health::statusName(total.status) << ": " << total.message << '\n';
}

} // namespace

int runHealthCommand(const QStringList& arguments, QTextStream& out, QTextStream& err) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Prints the health of every Kubernetes object in FILE (YAML or JSON, several documents, "
        u"kind: List as kubectl get -o yaml writes it) and of all of them together.\n"
        u"Exit code: 0 all Healthy or Suspended, 1 any Progressing, Degraded, Missing or Unknown, "
        u"2 error."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption output({u"o"_s, u"output"_s}, u"Output format: text (default), json or yaml."_s,
                                    u"format"_s, u"text"_s);
    parser.addOption(help);
    parser.addOption(output);
    parser.addPositionalArgument(u"FILE"_s, u"Files to read; - reads standard input."_s, u"FILE..."_s);
    if (!parser.parse(QStringList{u"driftdeck-cli health"_s} + arguments)) {
        err << "driftdeck-cli health: " << parser.errorText() << "\nTry driftdeck-cli health --help.\n";
        return Failed;
    }
    if (parser.isSet(help)) {
        // Qt names the executable in the usage line; the verb belongs there too.
        QString text = parser.helpText();
        text.replace(0, text.indexOf(u'\n'), u"Usage: driftdeck-cli health [options] FILE..."_s);
        out << text;
        return AllHealthy;
    }
    const QString format = parser.value(output);
    if (format != "text"_L1 && format != "json"_L1 && format != "yaml"_L1) {
        err << "driftdeck-cli health: unknown output format '" << format << "'; use text, json or yaml\n";
        return Failed;
    }
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        err << "driftdeck-cli health: no FILE given; pass one or more files, or - for standard input\n";
        return Failed;
    }

    QList<HealthRow> rows;
    for (const QString& file : files) {
        const Status status = readFile(file, rows);
        if (!status) {
            err << "driftdeck-cli health: " << status.error().message << '\n';
            return Failed;
        }
    }

    const health::Health total = overall(rows);
    if (format == "json"_L1)
        out << QJsonDocument(toJson(rows, total)).toJson(QJsonDocument::Indented);
    else if (format == "yaml"_L1)
        out << yaml::toYaml(toJson(rows, total));
    else
        printTable(rows, total, out);
    out.flush();
    const bool allGood =
        total.status == health::HealthStatus::Healthy || total.status == health::HealthStatus::Suspended;
    return allGood ? AllHealthy : NotHealthy;
}

} // namespace driftdeck::cli
