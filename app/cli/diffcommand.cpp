#include "diffcommand.h"

#include "diff/drift.h"
#include "diff/pairing.h"
#include "diff/sidebyside.h"
#include "objectstream.h"
#include "yaml/yamlcodec.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace driftdeck::cli {

using namespace Qt::StringLiterals;

namespace {

enum ExitCode { NoDrift = 0, Drift = 1, Failed = 2 };

Status readObjects(const QString& path, QList<kubeobj::Object>& objects) {
    return readObjectFile(path, [&objects](const manifest::DesiredObject& object) {
        objects.append(kubeobj::Object::fromTrustedJson(object.object));
    });
}

QString objectLabel(const ResourceKey& key) {
    const QString kind = key.group.isEmpty() ? key.kind : QString(key.kind + u'.' + key.group);
    return key.ns.isEmpty() ? QString(kind + u'/' + key.name)
                            : QString(kind + u'/' + key.ns + u'/' + key.name);
}

QJsonObject changeJson(const diff::FieldChange& change) {
    QJsonObject out{{u"type"_s, diff::changeTypeName(change.type)}, {u"pointer"_s, change.pointer}};
    if (!change.desired.isUndefined())
        out.insert(u"desired"_s, change.desired);
    if (!change.live.isUndefined())
        out.insert(u"live"_s, change.live);
    return out;
}

QJsonObject reportJson(const QList<diff::ObjectDiff>& diffs, const QStringList& warnings) {
    QJsonArray objects;
    int counts[4] = {0, 0, 0, 0};
    for (const diff::ObjectDiff& d : diffs) {
        ++counts[int(d.state)];
        QJsonArray changes;
        for (const diff::FieldChange& c : d.changes)
            changes.append(changeJson(c));
        const kubeobj::Object& shown = d.desired.isNull() ? d.live : d.desired;
        objects.append(QJsonObject{{u"apiVersion"_s, shown.apiVersion()},
                                   {u"kind"_s, d.key.kind},
                                   {u"namespace"_s, d.key.ns},
                                   {u"name"_s, d.key.name},
                                   {u"state"_s, diff::stateName(d.state)},
                                   {u"changes"_s, changes}});
    }
    return QJsonObject{
        {u"objects"_s, objects},
        {u"summary"_s, QJsonObject{{u"synced"_s, counts[int(diff::ObjectDiff::State::Synced)]},
                                   {u"outOfSync"_s, counts[int(diff::ObjectDiff::State::OutOfSync)]},
                                   {u"missing"_s, counts[int(diff::ObjectDiff::State::Missing)]},
                                   {u"extra"_s, counts[int(diff::ObjectDiff::State::Extra)]}}},
        {u"drift"_s, counts[0] != diffs.size()},
        {u"warnings"_s, QJsonArray::fromStringList(warnings)}};
}

void printText(const QList<diff::ObjectDiff>& diffs, bool sideBySide, int width, QTextStream& out) {
    int drifted = 0;
    for (const diff::ObjectDiff& d : diffs) {
        if (!d.hasDrift())
            continue;
        ++drifted;
        const QString label = objectLabel(d.key);
        // kubectl diff's direction: from live (-) to what a sync would make of it (+).
        const diff::SideBySide model = sideBySide
                                           ? diff::buildSideBySide(d.desired.yamlLines(), d.live.yamlLines())
                                           : diff::buildSideBySide(d.live.yamlLines(), d.desired.yamlLines());
        out << "=== " << label << ": " << diff::stateName(d.state) << '\n';
        if (sideBySide) {
            out << diff::sideBySideText(model, {width, false});
        } else {
            diff::UnifiedTextOptions names;
            names.leftName = u"live/"_s + label;
            names.rightName = u"desired/"_s + label;
            out << diff::unifiedText(model, names);
        }
    }
    out << drifted << " of " << diffs.size() << " objects differ\n";
}

} // namespace

int runDiffCommand(const QStringList& arguments, QTextStream& out, QTextStream& err) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Compares desired objects (from Git) with live objects (e.g. kubectl get -o yaml) and prints "
        u"what a sync would change. Objects pair by group, kind, namespace and name; server defaults, "
        u"status and fields owned by other field managers are not drift.\n"
        u"Exit code: 0 no drift, 1 drift, 2 error."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption desiredOption(u"desired"_s, u"Desired objects: YAML or JSON, - for stdin."_s,
                                           u"file"_s);
    const QCommandLineOption liveOption(u"live"_s, u"Live objects: YAML or JSON, - for stdin."_s, u"file"_s);
    const QCommandLineOption nsOption(
        {u"n"_s, u"namespace"_s},
        u"Namespace of desired namespaced objects that name none (default: default)."_s, u"namespace"_s,
        u"default"_s);
    const QCommandLineOption managerOption(
        u"manager"_s, u"A field manager whose fields desired state owns (repeatable; default: driftdeck)."_s,
        u"name"_s);
    const QCommandLineOption sideOption(u"side-by-side"_s, u"Two columns: desired left, live right."_s);
    const QCommandLineOption widthOption(u"width"_s, u"Columns for --side-by-side (default 160)."_s, u"n"_s,
                                         u"160"_s);
    const QCommandLineOption output({u"o"_s, u"output"_s}, u"Output format: text (default), json or yaml."_s,
                                    u"format"_s, u"text"_s);
    parser.addOptions(
        {help, desiredOption, liveOption, nsOption, managerOption, sideOption, widthOption, output});
    if (!parser.parse(QStringList{u"driftdeck-cli diff"_s} + arguments)) {
        err << "driftdeck-cli diff: " << parser.errorText() << "\nTry driftdeck-cli diff --help.\n";
        return Failed;
    }
    if (parser.isSet(help)) {
        QString text = parser.helpText();
        text.replace(0, text.indexOf(u'\n'),
                     u"Usage: driftdeck-cli diff [options] --desired FILE --live FILE"_s);
        out << text;
        return NoDrift;
    }
    const QString format = parser.value(output);
    if (format != "text"_L1 && format != "json"_L1 && format != "yaml"_L1) {
        err << "driftdeck-cli diff: unknown output format '" << format << "'; use text, json or yaml\n";
        return Failed;
    }
    if (!parser.isSet(desiredOption) || !parser.isSet(liveOption)) {
        err << "driftdeck-cli diff: both --desired FILE and --live FILE are needed\n";
        return Failed;
    }
    if (parser.value(desiredOption) == "-"_L1 && parser.value(liveOption) == "-"_L1) {
        err << "driftdeck-cli diff: only one of --desired and --live can read standard input\n";
        return Failed;
    }
    bool widthOk = false;
    const int width = parser.value(widthOption).toInt(&widthOk);
    if (!widthOk || width < 40 || width > 1000) {
        err << "driftdeck-cli diff: --width must be a number of columns between 40 and 1000\n";
        return Failed;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "driftdeck-cli diff: unexpected argument '" << parser.positionalArguments().constFirst()
            << "'; files go after --desired and --live\n";
        return Failed;
    }

    QList<kubeobj::Object> desired;
    QList<kubeobj::Object> live;
    for (const auto& [path, into] :
         {std::pair{parser.value(desiredOption), &desired}, std::pair{parser.value(liveOption), &live}}) {
        const Status status = readObjects(path, *into);
        if (!status) {
            err << "driftdeck-cli diff: " << status.error().message << '\n';
            return Failed;
        }
    }

    diff::PairingOptions pairing;
    pairing.destinationNamespace = parser.value(nsOption);
    diff::DiffOptions options;
    if (parser.isSet(managerOption))
        options.managers = parser.values(managerOption);
    const diff::Pairing paired = diff::pairObjects(desired, live, pairing);
    for (const QString& warning : paired.warnings)
        err << "driftdeck-cli diff: warning: " << warning << '\n';

    QList<diff::ObjectDiff> diffs;
    diffs.reserve(paired.pairs.size());
    bool drift = false;
    for (const diff::ObjectPair& pair : paired.pairs) {
        diffs.append(diff::compareObjects(pair.desired, pair.live, options));
        drift = drift || diffs.last().hasDrift();
    }

    if (format == "json"_L1)
        out << QJsonDocument(reportJson(diffs, paired.warnings)).toJson(QJsonDocument::Indented);
    else if (format == "yaml"_L1)
        out << yaml::toYaml(reportJson(diffs, paired.warnings));
    else
        printText(diffs, parser.isSet(sideOption), width, out);
    out.flush();
    return drift ? Drift : NoDrift;
}

} // namespace driftdeck::cli
