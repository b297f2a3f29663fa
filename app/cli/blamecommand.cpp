#include "blamecommand.h"

#include "diffreport.h"
#include "fleetreport.h"
#include "fleetsession.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace driftdeck::cli {

int runBlameCommand(const QStringList& arguments, QTextStream& out, QTextStream& err) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Which commit introduced each drift of an application: for every drifted field, the commit that "
        u"last changed its line in the source file (exact), or the newest commit of the object's document "
        u"where the renderer cannot say (per object: Helm, Kustomize patches, defaults).\n"
        u"Exit code: 0, or 2 when it cannot be answered."_s);
    FleetOptions options;
    options.addTo(parser);
    if (!parser.parse(QStringList{u"driftdeck-cli blame"_s} + arguments)) {
        err << "driftdeck-cli blame: " << parser.errorText() << "\nTry driftdeck-cli blame --help.\n";
        return Failed;
    }
    if (parser.isSet(options.help)) {
        out << parser.helpText();
        return 0;
    }
    if (parser.values(options.app).size() != 1 || !parser.positionalArguments().isEmpty()) {
        err << "driftdeck-cli blame: name the application with --app NAME (exactly one)\n";
        return Failed;
    }
    const QString app = parser.value(options.app);
    FleetSession session(u"blame"_s, err);
    if (!session.open(parser, options).ok())
        return Failed;
    const Snapshot snapshot = session.waitForStatus();
    const engine::AppStatus* status = snapshot->application(app);
    if (!status || status->sync == engine::SyncStatus::Unknown || status->sync == engine::SyncStatus::Error) {
        session.fail(status && status->error
                         ? *status->error
                         : Error::make(Error::Code::Unavailable, u"%1 has no status"_s.arg(app)));
        return Failed;
    }
    const Result<QList<engine::FieldBlame>> blamed = FleetSession::wait(session.engine().blame(app));
    if (!blamed.ok()) {
        session.fail(blamed.error());
        return Failed;
    }
    if (session.format() != "text"_L1) {
        QJsonArray fields;
        for (const engine::FieldBlame& field : *blamed)
            fields.append(QJsonObject{
                {u"group"_s, field.key.group},
                {u"kind"_s, field.key.kind},
                {u"namespace"_s, field.key.ns},
                {u"name"_s, field.key.name},
                {u"state"_s, diff::stateName(field.state)},
                {u"pointer"_s, field.pointer},
                {u"change"_s, field.pointer.isEmpty() ? QString() : diff::changeTypeName(field.change)},
                {u"file"_s, field.file},
                {u"line"_s, field.provenance.sourceLine},
                {u"commit"_s, field.provenance.commitId},
                {u"author"_s, field.provenance.author},
                {u"time"_s, field.provenance.time.toString(Qt::ISODate)},
                {u"summary"_s, field.provenance.summary},
                {u"exact"_s, field.provenance.exact}});
        printStructured(
            QJsonObject{{u"application"_s, app}, {u"revision"_s, status->commitId}, {u"fields"_s, fields}},
            session.format(), out);
        return 0;
    }
    out << app << " at " << status->commitId.left(12) << ": " << blamed->size() << " drifted field(s)\n";
    for (const engine::FieldBlame& field : *blamed) {
        out << objectLabel(field.key) << ' '
            << (field.pointer.isEmpty() ? diff::stateName(field.state)
                                        : field.pointer + u" ("_s + diff::changeTypeName(field.change) + u')')
            << "\n    ";
        if (field.provenance.isNull()) {
            out << "no commit found\n";
            continue;
        }
        out << field.provenance.toText() << " \"" << field.provenance.summary << "\"  " << field.file;
        if (field.provenance.exact && field.provenance.sourceLine > 0)
            out << ':' << field.provenance.sourceLine;
        else
            out << " (per object: the line is not in the file as written)";
        out << '\n';
    }
    return 0;
}

} // namespace driftdeck::cli
