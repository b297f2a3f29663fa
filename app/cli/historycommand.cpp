#include "historycommand.h"

#include "diffreport.h"
#include "fleetreport.h"
#include "history/historystore.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace driftdeck::cli {

namespace {

template <typename T>
T waitFor(QFuture<T> future) {
    QEventLoop loop;
    QFutureWatcher<T> watcher;
    QObject::connect(&watcher, &QFutureWatcher<T>::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(future);
    if (!future.isFinished())
        loop.exec();
    return future.result();
}

QJsonObject recordJson(const history::OperationRecord& record) {
    QJsonArray resources;
    for (const history::ResourceOutcome& resource : record.resources)
        resources.append(QJsonObject{{u"group"_s, resource.group},
                                     {u"kind"_s, resource.kind},
                                     {u"namespace"_s, resource.ns},
                                     {u"name"_s, resource.name},
                                     {u"action"_s, resource.action},
                                     {u"status"_s, resource.status},
                                     {u"message"_s, resource.message}});
    return QJsonObject{
        {u"id"_s, record.id},
        {u"startedAt"_s, record.startedAt.toString(Qt::ISODate)},
        {u"finishedAt"_s, record.finishedAt.isValid() ? record.finishedAt.toString(Qt::ISODate) : QString()},
        {u"user"_s, record.user},
        {u"kind"_s, record.kind},
        {u"application"_s, record.application},
        {u"cluster"_s, record.cluster},
        {u"revision"_s, record.revision},
        {u"revisionLabel"_s, record.revisionLabel},
        {u"options"_s, record.options},
        {u"outcome"_s, record.outcome},
        {u"error"_s, record.error},
        {u"resources"_s, resources}};
}

} // namespace

int runHistoryCommand(const QStringList& arguments, QTextStream& out, QTextStream& err) {
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Operations recorded in the history database, newest first.\n"
                                     u"Exit code: 0, or 2 when the database cannot be read."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption app(u"app"_s, u"Only this application."_s, u"name"_s);
    const QCommandLineOption cluster(u"cluster"_s, u"Only this cluster."_s, u"name"_s);
    const QCommandLineOption kind(u"kind"_s, u"Only sync, rollback, revert, resume or pause."_s, u"kind"_s);
    const QCommandLineOption limit(u"limit"_s, u"Records per page (default 50, at most 500)."_s, u"n"_s,
                                   u"50"_s);
    const QCommandLineOption offset(u"offset"_s, u"Skip this many records."_s, u"n"_s, u"0"_s);
    const QCommandLineOption resources(u"resources"_s, u"Include each record's per-resource results."_s);
    const QCommandLineOption database(
        u"database"_s, u"History file (default: $XDG_DATA_HOME/driftdeck/history.sqlite)."_s, u"file"_s);
    const QCommandLineOption output({u"o"_s, u"output"_s}, u"Output format: text (default), json or yaml."_s,
                                    u"format"_s, u"text"_s);
    parser.addOptions({help, app, cluster, kind, limit, offset, resources, database, output});
    if (!parser.parse(QStringList{u"driftdeck-cli history"_s} + arguments)) {
        err << "driftdeck-cli history: " << parser.errorText() << "\nTry driftdeck-cli history --help.\n";
        return Failed;
    }
    if (parser.isSet(help)) {
        out << parser.helpText();
        return 0;
    }
    const QString format = parser.value(output);
    bool limitOk = false;
    bool offsetOk = false;
    history::HistoryQuery query;
    query.application = parser.value(app);
    query.cluster = parser.value(cluster);
    query.kind = parser.value(kind);
    query.limit = parser.value(limit).toInt(&limitOk);
    query.offset = parser.value(offset).toInt(&offsetOk);
    query.includeResources = parser.isSet(resources);
    if (!limitOk || !offsetOk || query.limit < 1 || query.limit > history::HistoryQuery::maxLimit ||
        query.offset < 0 || (format != "text"_L1 && format != "json"_L1 && format != "yaml"_L1)) {
        err << "driftdeck-cli history: --limit is 1 to 500, --offset 0 or more, -o text, json or yaml\n";
        return Failed;
    }
    history::HistoryStore store;
    if (const Status opened = waitFor(store.open(parser.value(database))); !opened.ok()) {
        err << "driftdeck-cli history: " << opened.error().toString() << '\n';
        return Failed;
    }
    const Result<history::HistoryPage> page = waitFor(store.operations(query));
    if (!page.ok()) {
        err << "driftdeck-cli history: " << page.error().toString() << '\n';
        return Failed;
    }
    if (format != "text"_L1) {
        QJsonArray records;
        for (const history::OperationRecord& record : page->operations)
            records.append(recordJson(record));
        printStructured(QJsonObject{{u"operations"_s, records}, {u"total"_s, page->totalCount}}, format, out);
        return 0;
    }
    out << "TIME                  USER        KIND      APPLICATION       CLUSTER     REVISION  OUTCOME      "
           "       "
           "ERROR\n";
    for (const history::OperationRecord& record : page->operations) {
        out << record.startedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s).leftJustified(22)
            << record.user.leftJustified(11) << ' ' << record.kind.leftJustified(9) << ' '
            << record.application.leftJustified(17) << ' ' << record.cluster.leftJustified(11) << ' '
            << record.revision.left(8).leftJustified(9) << ' ' << record.outcome.leftJustified(19) << ' '
            << record.error.left(120) << '\n';
        for (const history::ResourceOutcome& resource : record.resources)
            out << "    " << resource.status.leftJustified(9) << ' ' << resource.action << ' '
                << objectLabel(ResourceKey{resource.group, resource.kind, resource.ns, resource.name})
                << (resource.message.isEmpty() ? QString() : u": "_s + resource.message) << '\n';
    }
    out << page->operations.size() << " of " << page->totalCount << " operations\n";
    return 0;
}

} // namespace driftdeck::cli
