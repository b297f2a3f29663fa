#include "synccommand.h"

#include "diffreport.h"
#include "fleetreport.h"
#include "fleetsession.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace driftdeck::cli {

namespace {

// Parses the verb's options; false when the run is over (help, or a usage error printed).
bool parseVerb(QCommandLineParser& parser, const QString& verb, const QStringList& arguments, int positionals,
               QTextStream& out, QTextStream& err, int* exitCode) {
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
    if (parser.positionalArguments().size() != positionals) {
        err << "driftdeck-cli " << verb << ": "
            << (positionals == 0 ? u"unexpected argument '%1'"_s.arg(parser.positionalArguments().value(0))
                                 : u"expected %1 argument(s); see --help"_s.arg(positionals))
            << '\n';
        *exitCode = Failed;
        return false;
    }
    return true;
}

// "GROUP/KIND/NAMESPACE/NAME": "apps/Deployment/shop/web", "/ConfigMap/shop/settings",
// "/Namespace//shop" (cluster-scoped: empty namespace).
std::optional<ResourceKey> parseResource(const QString& text) {
    const QStringList parts = text.split(u'/');
    if (parts.size() != 4 || parts[1].isEmpty() || parts[3].isEmpty())
        return std::nullopt;
    return ResourceKey{parts[0], parts[1], parts[2], parts[3]};
}

void printPlan(const QString& app, const sync::SyncPlan& plan, QTextStream& out) {
    out << "Plan for " << app << ": " << plan.count(sync::PlanItem::Action::Create) << " to create, "
        << plan.count(sync::PlanItem::Action::Update) << " to update, "
        << plan.count(sync::PlanItem::Action::Prune) << " to prune, "
        << plan.count(sync::PlanItem::Action::Unchanged) << " unchanged\n";
    for (const sync::PlanItem& item : plan.items) {
        if (item.action == sync::PlanItem::Action::Unchanged)
            continue;
        out << "  " << sync::actionName(item.action).leftJustified(9) << " wave "
            << QString::number(item.wave).leftJustified(3) << objectLabel(item.key) << "  (" << item.reason
            << ")\n";
    }
    for (const QString& warning : plan.warnings)
        out << "  warning: " << warning << '\n';
}

void printResult(const engine::OperationResult& result, QTextStream& out) {
    if (result.error) {
        out << result.application << ": " << result.kind << " failed: " << result.error->toString() << '\n';
        return;
    }
    out << result.application << ": " << result.kind << " " << (result.ok ? "succeeded" : "did not succeed")
        << ": " << result.message << '\n';
    for (const sync::SyncResourceResult& resource : result.sync.resources) {
        if (resource.status == sync::ResourceStatus::Unchanged)
            continue;
        out << "  " << sync::statusName(resource.status).leftJustified(9) << ' ' << objectLabel(resource.key);
        if (!resource.message.isEmpty())
            out << ": " << resource.message;
        out << '\n';
    }
    if (!result.revertNote.isEmpty())
        out << "  " << result.revertNote << '\n';
}

QJsonObject resultJson(const engine::OperationResult& result) {
    QJsonArray resources;
    for (const sync::SyncResourceResult& resource : result.sync.resources)
        resources.append(
            QJsonObject{{u"group"_s, resource.key.group},
                        {u"kind"_s, resource.key.kind},
                        {u"namespace"_s, resource.key.ns},
                        {u"name"_s, resource.key.name},
                        {u"action"_s, sync::actionName(resource.action)},
                        {u"status"_s, sync::statusName(resource.status)},
                        {u"message"_s, resource.message},
                        {u"conflictManagers"_s, QJsonArray::fromStringList(resource.conflictManagers)}});
    QJsonObject json{{u"application"_s, result.application},
                     {u"operation"_s, result.kind},
                     {u"succeeded"_s, result.ok},
                     {u"message"_s, result.message},
                     {u"revision"_s, result.revision},
                     {u"resources"_s, resources}};
    if (!result.kind.startsWith(u"revert"))
        json.insert(u"outcome"_s, sync::outcomeName(result.sync.outcome));
    if (result.error)
        json.insert(u"error"_s, errorJson(*result.error));
    if (!result.revertNote.isEmpty())
        json.insert(u"push"_s, result.revertNote);
    return json;
}

// Prints one operation's result in the session's format; the exit code: 0 succeeded, 2 otherwise.
int report(const FleetSession& session, const engine::OperationResult& result, QTextStream& out) {
    if (session.format() == "text"_L1)
        printResult(result, out);
    else
        printStructured(resultJson(result), session.format(), out);
    out.flush();
    return result.ok ? 0 : Failed;
}

// Waits for the one application an operation is about; false (error printed) when it has no status.
bool waitForApp(FleetSession& session, const QString& app) {
    const Snapshot snapshot = session.waitForStatus();
    const engine::AppStatus* status = snapshot->application(app);
    if (!status || status->sync == engine::SyncStatus::Unknown) {
        session.fail(Error::make(Error::Code::Unavailable, u"application %1 has no status yet"_s.arg(app)));
        return false;
    }
    return true;
}

} // namespace

int runSyncCommand(const QStringList& arguments, QTextStream& out, QTextStream& err) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Sync applications: server-side apply of desired state (with the tracking annotation), wave by "
        u"wave with health waits; prune only with --prune and only objects carrying the application's "
        u"tracking id. The plan is printed first.\nExit code: 0 every sync succeeded, 2 otherwise."_s);
    FleetOptions options;
    options.addTo(parser);
    const QCommandLineOption dryRun(u"dry-run"_s,
                                    u"Send with dryRun=All: validated by the server, nothing persisted."_s);
    const QCommandLineOption prune(u"prune"_s, u"Delete tracked objects that Git no longer has."_s);
    const QCommandLineOption resource(
        u"resource"_s, u"Only this resource (repeatable): GROUP/KIND/NAMESPACE/NAME."_s, u"key"_s);
    const QCommandLineOption force(u"force-conflicts"_s, u"Take fields other field managers own."_s);
    const QCommandLineOption createNamespace(u"create-namespace"_s,
                                             u"Create the destination namespace first."_s);
    const QCommandLineOption replace(u"replace"_s, u"Replace objects instead of applying them."_s);
    const QCommandLineOption preview(u"preview"_s, u"Print the plan only."_s);
    parser.addOptions({dryRun, prune, resource, force, createNamespace, replace, preview});
    int exitCode = 0;
    if (!parseVerb(parser, u"sync"_s, arguments, 0, out, err, &exitCode))
        return exitCode;
    engine::SyncRequest request;
    request.dryRun = parser.isSet(dryRun);
    request.prune = parser.isSet(prune);
    request.forceConflicts = parser.isSet(force);
    request.createNamespace = parser.isSet(createNamespace);
    request.replace = parser.isSet(replace);
    for (const QString& text : parser.values(resource)) {
        const std::optional<ResourceKey> key = parseResource(text);
        if (!key) {
            err << "driftdeck-cli sync: --resource '" << text
                << "' is not GROUP/KIND/NAMESPACE/NAME (e.g. apps/Deployment/shop/web, "
                   "/ConfigMap/shop/settings)\n";
            return Failed;
        }
        request.only.insert(*key);
    }
    FleetSession session(u"sync"_s, err);
    if (!session.open(parser, options).ok())
        return Failed;
    const Snapshot snapshot = session.waitForStatus();
    bool failed = false;
    QJsonArray results;
    QList<QPair<QString, quint64>> started;
    for (const engine::AppStatus& app : snapshot->applications) {
        Result<sync::SyncPlan> plan = session.engine().planSync(app.name, request);
        if (!plan.ok()) {
            failed = true;
            if (session.format() == "text"_L1)
                out << app.name << ": not synced: " << plan.error().toString() << '\n';
            else
                results.append(
                    QJsonObject{{u"application"_s, app.name}, {u"error"_s, errorJson(plan.error())}});
            continue;
        }
        if (session.format() == "text"_L1)
            printPlan(app.name, *plan, out);
        if (!parser.isSet(preview))
            started.append({app.name, session.engine().sync(app.name, request)});
    }
    out.flush();
    for (const auto& [name, id] : started) {
        const engine::OperationResult result = session.waitForOperation(id);
        failed = failed || !result.ok;
        if (session.format() == "text"_L1)
            printResult(result, out);
        else
            results.append(resultJson(result));
        out.flush();
    }
    if (session.format() != "text"_L1)
        printStructured(QJsonObject{{u"results"_s, results}}, session.format(), out);
    out.flush();
    return failed ? Failed : 0;
}

int runRollbackCommand(const QStringList& arguments, QTextStream& out, QTextStream& err) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Sync an application to an earlier revision (a commit of its history: driftdeck-cli history, "
        u"git log). The application stays pinned to it and its auto-sync is paused until "
        u"driftdeck-cli resume.\nExit code: 0 succeeded, 2 otherwise."_s);
    parser.addPositionalArgument(u"revision"_s, u"Commit (or tag) to roll back to."_s);
    FleetOptions options;
    options.addTo(parser);
    const QCommandLineOption prune(u"prune"_s, u"Delete tracked objects the revision does not have."_s);
    parser.addOption(prune);
    int exitCode = 0;
    if (!parseVerb(parser, u"rollback"_s, arguments, 1, out, err, &exitCode))
        return exitCode;
    if (parser.values(options.app).size() != 1) {
        err << "driftdeck-cli rollback: name the application with --app NAME (exactly one)\n";
        return Failed;
    }
    const QString app = parser.value(options.app);
    FleetSession session(u"rollback"_s, err);
    if (!session.open(parser, options).ok() || !waitForApp(session, app))
        return Failed;
    engine::SyncRequest request;
    request.prune = parser.isSet(prune);
    out << "Rolling " << app << " back to " << parser.positionalArguments().constFirst()
        << ". Its auto-sync is paused and it stays at this revision until `driftdeck-cli resume --app " << app
        << "`.\n";
    out.flush();
    const engine::OperationResult result = session.waitForOperation(
        session.engine().rollback(app, parser.positionalArguments().constFirst(), request));
    return report(session, result, out);
}

int runResumeCommand(const QStringList& arguments, QTextStream& out, QTextStream& err) {
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Unpin an application after a rollback and resume its auto-sync."_s);
    FleetOptions options;
    options.addTo(parser);
    int exitCode = 0;
    if (!parseVerb(parser, u"resume"_s, arguments, 0, out, err, &exitCode))
        return exitCode;
    if (parser.values(options.app).size() != 1) {
        err << "driftdeck-cli resume: name the application with --app NAME (exactly one)\n";
        return Failed;
    }
    FleetSession session(u"resume"_s, err);
    if (!session.open(parser, options).ok())
        return Failed;
    const engine::OperationResult result =
        session.waitForOperation(session.engine().resume(parser.value(options.app)));
    return report(session, result, out);
}

int runRevertCommand(const QStringList& arguments, QTextStream& out, QTextStream& err) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"`git revert` of a commit on the application's branch: a new commit (pushed to a remote "
        u"repository; a local repository receives it directly). Nothing is synced: the status printed "
        u"afterwards shows what a sync would now change.\nExit code: 0 succeeded, 2 otherwise."_s);
    parser.addPositionalArgument(u"commit"_s, u"The commit to revert."_s);
    FleetOptions options;
    options.addTo(parser);
    int exitCode = 0;
    if (!parseVerb(parser, u"revert"_s, arguments, 1, out, err, &exitCode))
        return exitCode;
    if (parser.values(options.app).size() != 1) {
        err << "driftdeck-cli revert: name the application with --app NAME (exactly one)\n";
        return Failed;
    }
    const QString app = parser.value(options.app);
    FleetSession session(u"revert"_s, err);
    if (!session.open(parser, options).ok())
        return Failed;
    const engine::OperationResult result =
        session.waitForOperation(session.engine().revert(app, parser.positionalArguments().constFirst()));
    return report(session, result, out);
}

} // namespace driftdeck::cli
