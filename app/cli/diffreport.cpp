#include "diffreport.h"

#include "diff/sidebyside.h"

#include <QJsonArray>

namespace driftdeck::cli {

using namespace Qt::StringLiterals;

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

} // namespace driftdeck::cli
