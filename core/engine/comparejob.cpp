#include "comparejob_p.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace driftdeck::engine {

diff::DiffOptions diffOptionsOf(const AppSpec& spec, const QString& fieldManager) {
    diff::DiffOptions options;
    options.managers = QStringList{fieldManager};
    for (const IgnoreRule& rule : spec.ignoreDifferences) {
        diff::IgnoreRule converted;
        converted.group = rule.group;
        converted.kind = rule.kind;
        converted.name = rule.name;
        converted.ns = rule.ns;
        converted.jsonPointers = rule.jsonPointers;
        converted.managedFieldsManagers = rule.managedFieldsManagers;
        options.ignore.append(converted);
    }
    return options;
}

CompareOutput compare(const CompareInput& input) {
    CompareOutput out;
    QHash<ResourceKey, qsizetype> sourceIndex;
    for (qsizetype i = 0; i < input.desired.size(); ++i)
        sourceIndex.insert(diff::placed(input.desired[i], input.pairing).key(), i);
    const diff::Pairing pairing = diff::pairObjects(input.desired, input.live, input.pairing);
    out.warnings = pairing.warnings;
    QList<health::ResourceHealth> healths;
    for (const diff::ObjectPair& pair : pairing.pairs) {
        ResourceStatus resource;
        resource.key = pair.key;
        resource.diff = diff::compareObjects(pair.desired, pair.live, input.options);
        resource.uid = pair.live.uid();
        resource.conditions = pair.live.json().value(u"status").toObject().value(u"conditions").toArray();
        resource.managedFields =
            pair.live.json().value(u"metadata").toObject().value(u"managedFields").toArray();
        resource.health = pair.live.isNull() ? health::missing() : health::assess(pair.live.json());
        if (const qsizetype index = sourceIndex.value(pair.key, -1);
            index >= 0 && index < input.sources.size()) {
            const manifest::DesiredObject::Source& source = input.sources[index];
            resource.sourceFile = source.file;
            resource.sourceLine = source.line;
            resource.sourceDocument = source.documentIndex;
        }
        if (resource.diff.hasDrift())
            out.sync = SyncStatus::OutOfSync;
        // An extra object is on its way out: it does not make the application unhealthy.
        if (resource.diff.state != diff::ObjectDiff::State::Extra)
            healths.append({pair.key, resource.health});
        out.resources.append(std::move(resource));
    }
    out.health = health::aggregate(healths);
    QHash<QString, ResourceKey> keyOfUid;
    for (const kubeobj::Object& live : input.live)
        keyOfUid.insert(live.uid(), live.key());
    for (const kubeobj::Object& child : input.children) {
        keyOfUid.insert(child.uid(), child.key());
        ChildStatus status;
        status.key = child.key();
        status.uid = child.uid();
        const QJsonArray owners =
            child.json().value(u"metadata").toObject().value(u"ownerReferences").toArray();
        for (const QJsonValue& owner : owners) {
            const QJsonObject reference = owner.toObject();
            if (status.ownerUid.isEmpty() || reference.value(u"controller").toBool())
                status.ownerUid = reference.value(u"uid").toString();
        }
        status.owner = keyOfUid.value(status.ownerUid);
        status.health = health::assess(child.json());
        out.children.append(std::move(status));
    }
    return out;
}

} // namespace driftdeck::engine
