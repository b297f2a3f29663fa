#include "sync/syncstate.h"

#include <QHash>
#include <QJsonArray>

// The JSON form of a SyncState: enough to carry on in another process, and nothing a Secret holds.
namespace driftdeck::sync {

namespace {

constexpr int kFormatVersion = 1;
const QString kLastApplied = QStringLiteral("kubectl.kubernetes.io/last-applied-configuration");

bool isSecretKey(const ResourceKey& key) {
    return key.group.isEmpty() && key.kind == QLatin1String("Secret");
}

// What a resume needs of a live object (its identity and tracking annotations), without its content.
QJsonObject liveStub(const kubeobj::Object& live) {
    const QJsonObject json = live.json();
    const QJsonObject meta = json.value(QLatin1String("metadata")).toObject();
    QJsonObject stubMeta;
    for (const char* name : {"name", "namespace", "uid"})
        if (meta.contains(QLatin1String(name)))
            stubMeta.insert(QLatin1String(name), meta.value(QLatin1String(name)));
    QJsonObject annotations = meta.value(QLatin1String("annotations")).toObject();
    annotations.remove(kLastApplied); // holds the applied values in clear
    if (!annotations.isEmpty())
        stubMeta.insert(QStringLiteral("annotations"), annotations);
    return QJsonObject{{QStringLiteral("apiVersion"), json.value(QLatin1String("apiVersion"))},
                       {QStringLiteral("kind"), json.value(QLatin1String("kind"))},
                       {QStringLiteral("metadata"), stubMeta}};
}

std::optional<PlanItem::Action> parseAction(const QString& name) {
    for (PlanItem::Action a : {PlanItem::Action::Create, PlanItem::Action::Update, PlanItem::Action::Prune,
                               PlanItem::Action::Unchanged, PlanItem::Action::Skip})
        if (actionName(a) == name)
            return a;
    return std::nullopt;
}

std::optional<ResourceStatus> parseStatus(const QString& name) {
    for (ResourceStatus s :
         {ResourceStatus::NotRun, ResourceStatus::Applied, ResourceStatus::Pruned, ResourceStatus::Unchanged,
          ResourceStatus::Skipped, ResourceStatus::Failed, ResourceStatus::Conflict})
        if (statusName(s) == name)
            return s;
    return std::nullopt;
}

std::optional<SyncPhase> parsePhase(const QString& name) {
    for (SyncPhase p : {SyncPhase::Pending, SyncPhase::Applying, SyncPhase::WaitingForHealth,
                        SyncPhase::Pruning, SyncPhase::Finished})
        if (phaseName(p) == name)
            return p;
    return std::nullopt;
}

// Group, kind and name equal; a namespace only where the object names one (desired state may leave
// it to the destination).
bool sameObject(const ResourceKey& object, const ResourceKey& key) {
    return object.group == key.group && object.kind == key.kind && object.name == key.name &&
           (object.ns.isEmpty() || object.ns == key.ns);
}

Error invalid(const QString& what) {
    return Error::make(Error::Code::Invalid, QStringLiteral("saved sync state: ") + what +
                                                 QStringLiteral("; plan the sync again instead of resuming"));
}

QStringList strings(const QJsonValue& value) {
    QStringList out;
    for (const QJsonValue& v : value.toArray())
        out.append(v.toString());
    return out;
}

} // namespace

QJsonObject SyncState::toJson() const {
    QJsonArray items;
    for (qsizetype i = 0; i < plan.items.size(); ++i) {
        const PlanItem& item = plan.items.at(i);
        const SyncResourceResult r = results.value(i);
        QJsonObject entry{{QStringLiteral("action"), actionName(item.action)},
                          {QStringLiteral("key"), item.key.toString()},
                          {QStringLiteral("wave"), item.wave},
                          {QStringLiteral("reason"), item.reason},
                          {QStringLiteral("status"), statusName(r.status)}};
        if (!r.message.isEmpty())
            entry.insert(QStringLiteral("message"), r.message);
        if (r.httpStatus != 0)
            entry.insert(QStringLiteral("httpStatus"), r.httpStatus);
        if (!r.conflictManagers.isEmpty())
            entry.insert(QStringLiteral("conflictManagers"), QJsonArray::fromStringList(r.conflictManagers));
        if (!item.desired.isNull()) {
            if (isSecretKey(item.key))
                entry.insert(QStringLiteral("desiredWithheld"), true);
            else
                entry.insert(QStringLiteral("desired"), item.desired.json());
        } else if (isSecretKey(item.key) &&
                   (item.action == PlanItem::Action::Create || item.action == PlanItem::Action::Update)) {
            // Still withheld (not rendered again before this save): it stays marked as such.
            entry.insert(QStringLiteral("desiredWithheld"), true);
        }
        if (!item.live.isNull())
            entry.insert(QStringLiteral("live"), liveStub(item.live));
        items.append(entry);
    }
    QJsonObject out{{QStringLiteral("version"), kFormatVersion},
                    {QStringLiteral("appName"), appName},
                    {QStringLiteral("dryRun"), dryRun},
                    {QStringLiteral("phase"), phaseName(phase)},
                    {QStringLiteral("next"), next},
                    {QStringLiteral("items"), items},
                    {QStringLiteral("warnings"), QJsonArray::fromStringList(plan.warnings)}};
    if (healthWave)
        out.insert(QStringLiteral("healthWave"), *healthWave);
    return out;
}

Result<SyncState> SyncState::fromJson(const QJsonObject& json, const QList<kubeobj::Object>& rendered) {
    if (json.value(QLatin1String("version")).toInt() != kFormatVersion)
        return invalid(QStringLiteral("unknown format version"));
    SyncState state;
    state.appName = json.value(QLatin1String("appName")).toString();
    if (state.appName.isEmpty())
        return invalid(QStringLiteral("no application name"));
    state.dryRun = json.value(QLatin1String("dryRun")).toBool();
    const auto phase = parsePhase(json.value(QLatin1String("phase")).toString());
    if (!phase)
        return invalid(QStringLiteral("unknown phase"));
    state.phase = *phase;
    if (json.contains(QLatin1String("healthWave"))) {
        const QJsonValue wave = json.value(QLatin1String("healthWave"));
        if (!wave.isDouble())
            return invalid(QStringLiteral("healthWave is not a number"));
        state.healthWave = wave.toInt();
    }
    const QJsonValue itemsValue = json.value(QLatin1String("items"));
    if (!itemsValue.isArray())
        return invalid(QStringLiteral("no items"));
    const QJsonArray items = itemsValue.toArray();
    if (items.size() > kMaxItems)
        return invalid(QStringLiteral("more than %1 items").arg(kMaxItems));
    QHash<ResourceKey, kubeobj::Object> renderedByKey;
    for (const kubeobj::Object& object : rendered)
        renderedByKey.insert(object.key(), object);
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject entry = items.at(i).toObject();
        const QString where = QStringLiteral("item %1").arg(i);
        PlanItem item;
        SyncResourceResult r;
        const auto action = parseAction(entry.value(QLatin1String("action")).toString());
        const auto status = parseStatus(entry.value(QLatin1String("status")).toString());
        bool keyOk = false;
        item.key = ResourceKey::parse(entry.value(QLatin1String("key")).toString(), &keyOk);
        if (!action || !status || !keyOk || !item.key.isValid())
            return invalid(where + QStringLiteral(" has no valid action, status or key"));
        item.action = *action;
        item.wave = entry.value(QLatin1String("wave")).toInt();
        item.reason = entry.value(QLatin1String("reason")).toString();
        if (entry.contains(QLatin1String("desired"))) {
            auto desired = kubeobj::Object::fromJson(entry.value(QLatin1String("desired")).toObject());
            if (!desired)
                return invalid(where + QStringLiteral(": ") + desired.error().message);
            // A state file is edited by anyone: the object applied must be the one its key names.
            if (!sameObject(desired->key(), item.key))
                return invalid(where + QStringLiteral(": the desired object is not ") + item.key.toString());
            item.desired = *desired;
        } else if (entry.value(QLatin1String("desiredWithheld")).toBool()) {
            item.desired = renderedByKey.value(item.key); // null: reported when its turn comes
        }
        if (entry.contains(QLatin1String("live"))) {
            auto live = kubeobj::Object::fromJson(entry.value(QLatin1String("live")).toObject());
            if (!live)
                return invalid(where + QStringLiteral(": ") + live.error().message);
            if (!sameObject(live->key(), item.key))
                return invalid(where + QStringLiteral(": the live object is not ") + item.key.toString());
            item.live = *live;
        }
        r.key = item.key;
        r.action = item.action;
        r.wave = item.wave;
        r.status = *status;
        r.message = entry.value(QLatin1String("message")).toString();
        r.httpStatus = entry.value(QLatin1String("httpStatus")).toInt();
        r.conflictManagers = strings(entry.value(QLatin1String("conflictManagers")));
        state.plan.items.append(item);
        state.results.append(r);
    }
    state.plan.warnings = strings(json.value(QLatin1String("warnings")));
    const int next = json.value(QLatin1String("next")).toInt(-1);
    if (next < 0 || next > state.plan.items.size())
        return invalid(QStringLiteral("next item out of range"));
    state.next = next;
    return state;
}

} // namespace driftdeck::sync
