#include "statuscommand.h"

#include "diffreport.h"
#include "fleetreport.h"
#include "fleetsession.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace driftdeck::cli {

namespace {

bool parse(QCommandLineParser& parser, const QString& verb, const QStringList& arguments, QTextStream& out,
           QTextStream& err, int* exitCode) {
    if (!parser.parse(QStringList{u"driftdeck-cli "_s + verb} + arguments)) {
        err << "driftdeck-cli " << verb << ": " << parser.errorText() << "\nTry driftdeck-cli " << verb
            << " --help.\n";
        *exitCode = Failed;
        return false;
    }
    if (parser.isSet(u"help"_s)) {
        out << parser.helpText();
        *exitCode = 0;
        return false;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "driftdeck-cli " << verb << ": unexpected argument '"
            << parser.positionalArguments().constFirst() << "'\n";
        *exitCode = Failed;
        return false;
    }
    return true;
}

bool anyFailed(const engine::FleetSnapshot& snapshot) {
    for (const engine::AppStatus& app : snapshot.applications)
        if (app.sync == engine::SyncStatus::Error || app.sync == engine::SyncStatus::Unknown)
            return true;
    return false;
}

} // namespace

int runStatusCommand(const QStringList& arguments, QTextStream& out, QTextStream& err) {
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Connection of every cluster; sync and health of every application.\n"
                                     u"Exit code: 0 every application has a status, 2 otherwise."_s);
    FleetOptions options;
    options.addTo(parser);
    int exitCode = 0;
    if (!parse(parser, u"status"_s, arguments, out, err, &exitCode))
        return exitCode;
    FleetSession session(u"status"_s, err);
    if (!session.open(parser, options).ok())
        return Failed;
    const Snapshot snapshot = session.waitForStatus();
    if (session.format() == "text"_L1) {
        printStatusText(*snapshot, out);
    } else {
        QJsonArray clusters;
        for (const engine::ClusterStatus& cluster : snapshot->clusters)
            clusters.append(clusterJson(cluster));
        QJsonArray apps;
        for (const engine::AppStatus& app : snapshot->applications)
            apps.append(appJson(app));
        printStructured(QJsonObject{{u"clusters"_s, clusters}, {u"applications"_s, apps}}, session.format(),
                        out);
    }
    out.flush();
    return anyFailed(*snapshot) ? Failed : 0;
}

int runFleetDiffCommand(const QStringList& arguments, QTextStream& out, QTextStream& err) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"What a sync would change, per application of the workspace: live objects against desired state "
        u"rendered from Git. Server defaults, status and fields of other field managers are not drift.\n"
        u"Exit code: 0 no drift, 1 drift, 2 an application could not be compared."_s);
    FleetOptions options;
    options.addTo(parser);
    const QCommandLineOption sideOption(u"side-by-side"_s, u"Two columns: desired left, live right."_s);
    const QCommandLineOption widthOption(u"width"_s, u"Columns for --side-by-side (default 160)."_s, u"n"_s,
                                         u"160"_s);
    const QCommandLineOption revisionOption(
        u"revision"_s,
        u"Compare live state with desired state at this commit of the application's history (one --app)."_s,
        u"commit"_s);
    parser.addOptions({sideOption, widthOption, revisionOption});
    int exitCode = 0;
    if (!parse(parser, u"diff"_s, arguments, out, err, &exitCode))
        return exitCode;
    if (parser.isSet(revisionOption) && parser.values(options.app).size() != 1) {
        err << "driftdeck-cli diff: --revision needs exactly one --app NAME\n";
        return Failed;
    }
    bool widthOk = false;
    const int width = parser.value(widthOption).toInt(&widthOk);
    if (!widthOk || width < 40 || width > 1000) {
        err << "driftdeck-cli diff: --width must be a number of columns between 40 and 1000\n";
        return Failed;
    }
    FleetSession session(u"diff"_s, err);
    if (!session.open(parser, options).ok())
        return Failed;
    Snapshot snapshot = session.waitForStatus();
    if (parser.isSet(revisionOption)) {
        // The same report, against the application's desired state at another commit.
        const QString name = parser.value(options.app);
        const Result<QList<engine::ResourceStatus>> compared =
            FleetSession::wait(session.engine().compareAtRevision(name, parser.value(revisionOption)));
        if (!compared.ok()) {
            session.fail(compared.error());
            return Failed;
        }
        auto copy = std::make_shared<engine::FleetSnapshot>(*snapshot);
        for (engine::AppStatus& app : copy->applications) {
            if (app.name != name)
                continue;
            app.resources = *compared;
            app.sync = engine::SyncStatus::Synced;
            for (const engine::ResourceStatus& resource : app.resources)
                if (resource.diff.hasDrift())
                    app.sync = engine::SyncStatus::OutOfSync;
            app.commitId = parser.value(revisionOption);
        }
        snapshot = copy;
    }
    bool drift = false;
    QJsonArray apps;
    for (const engine::AppStatus& app : snapshot->applications) {
        drift = drift || app.hasDrift();
        QList<diff::ObjectDiff> diffs;
        for (const engine::ResourceStatus& resource : app.resources)
            diffs.append(resource.diff);
        if (session.format() != "text"_L1) {
            QJsonObject json = reportJson(diffs, app.warnings);
            json.insert(u"application"_s, app.name);
            json.insert(u"cluster"_s, app.cluster);
            json.insert(u"revision"_s, app.commitId);
            json.insert(u"sync"_s, engine::syncStatusName(app.sync));
            if (app.error)
                json.insert(u"error"_s, errorJson(*app.error));
            apps.append(json);
            continue;
        }
        out << "### " << app.name << " (cluster " << app.cluster << ", revision " << app.commitId.left(8)
            << "): " << engine::syncStatusName(app.sync) << '\n';
        if (app.error) {
            out << "  " << app.error->toString() << '\n';
            continue;
        }
        for (const QString& warning : app.warnings)
            out << "  warning: " << warning << '\n';
        printText(diffs, parser.isSet(sideOption), width, out);
    }
    if (session.format() != "text"_L1)
        printStructured(QJsonObject{{u"applications"_s, apps}, {u"drift"_s, drift}}, session.format(), out);
    out.flush();
    if (anyFailed(*snapshot))
        return Failed;
    return drift ? Drift : NoDrift;
}

} // namespace driftdeck::cli
