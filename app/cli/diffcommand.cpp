#include "diffcommand.h"

#include "diff/drift.h"
#include "diff/pairing.h"
#include "diff/sidebyside.h"
#include "diffreport.h"
#include "objectstream.h"
#include "statuscommand.h"
#include "yaml/yamlcodec.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace driftdeck::cli {

using namespace Qt::StringLiterals;

namespace {

Status readObjects(const QString& path, QList<kubeobj::Object>& objects) {
    return readObjectFile(path, [&objects](const manifest::DesiredObject& object) {
        objects.append(kubeobj::Object::fromTrustedJson(object.object));
    });
}

} // namespace

int runDiffCommand(const QStringList& arguments, QTextStream& out, QTextStream& err) {
    // Without files, the workspace's applications are compared.
    bool files = false;
    for (const QString& argument : arguments)
        files = files || argument.startsWith(u"--desired"_s) || argument.startsWith(u"--live"_s);
    if (!files)
        return runFleetDiffCommand(arguments, out, err);
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
