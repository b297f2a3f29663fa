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
    bool unchanged = input.previous.size() == pairing.pairs.size();
    out.memos.reserve(pairing.pairs.size());
    for (const diff::ObjectPair& pair : pairing.pairs) {
        const QString liveUid = pair.live.isNull() ? QString() : pair.live.uid();
        const QString liveVersion = pair.live.isNull() ? QString() : pair.live.resourceVersion();
        const QString liveApiVersion =
            pair.live.isNull() ? QString() : pair.live.json().value(u"apiVersion").toString();
        ResourceStatus resource;
        const auto memo = input.memos.constFind(pair.key);
        const bool reuse = memo != input.memos.cend() && memo->liveUid == liveUid &&
                           memo->liveVersion == liveVersion && memo->liveApiVersion == liveApiVersion &&
                           memo->desired == pair.desired;
        if (reuse) {
            resource = memo->status;
            ++out.reused;
        } else {
            resource.key = pair.key;
            resource.diff = diff::compareObjects(pair.desired, pair.live, input.options);
            resource.uid = pair.live.uid();
            resource.conditions = pair.live.json().value(u"status").toObject().value(u"conditions").toArray();
            resource.managedFields =
                pair.live.json().value(u"metadata").toObject().value(u"managedFields").toArray();
            resource.health = pair.live.isNull() ? health::missing() : health::assess(pair.live.json());
        }
        resource.sourceFile.clear();
        resource.sourceLine = 0;
        resource.sourceDocument = 0;
        if (const qsizetype index = sourceIndex.value(pair.key, -1);
            index >= 0 && index < input.sources.size()) {
            const manifest::DesiredObject::Source& source = input.sources[index];
            resource.sourceFile = source.file;
            resource.sourceLine = source.line;
            resource.sourceDocument = source.documentIndex;
        }
        if (unchanged) {
            const ResourceStatus& before = input.previous[out.resources.size()];
            // A reused status is the one published for its key: the same key at the same place
            // and the same source location leave the published element as it is.
            unchanged = reuse && before.key == resource.key && before.sourceFile == resource.sourceFile &&
                        before.sourceLine == resource.sourceLine &&
                        before.sourceDocument == resource.sourceDocument;
        }
        out.memos.insert(pair.key, CompareMemo{pair.desired, liveUid, liveVersion, liveApiVersion, resource});
        if (resource.diff.hasDrift())
            out.sync = SyncStatus::OutOfSync;
        // An extra object is on its way out: it does not make the application unhealthy.
        if (resource.diff.state != diff::ObjectDiff::State::Extra)
            healths.append({pair.key, resource.health});
        out.resources.append(std::move(resource));
    }
    out.resourcesUnchanged = unchanged;
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
