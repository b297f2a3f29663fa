#include "kubesim/controllersupport.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace driftdeck::kubesim::controllers {
namespace {

// The alphabet of generated names: no vowels (no accidental words), no look-alike characters.
const char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";

// Status fields the API declares omitempty: a zero is not written. (Job's `ready` and
// `terminating` are pointers and do show 0, so they are not in the list.)
void dropZeros(QJsonObject& status) {
    for (const char* key : {"readyReplicas", "availableReplicas", "unavailableReplicas", "updatedReplicas",
                            "fullyLabeledReplicas", "currentReplicas", "numberReady", "numberAvailable",
                            "numberUnavailable", "updatedNumberScheduled", "active", "succeeded", "failed"}) {
        const QString k = QLatin1String(key);
        if (status.contains(k) && status.value(k).toInt() == 0)
            status.remove(k);
    }
}

} // namespace

QJsonObject meta(const QJsonObject& obj) {
    return obj.value(QLatin1String("metadata")).toObject();
}
QString uidOf(const QJsonObject& obj) {
    return meta(obj).value(QLatin1String("uid")).toString();
}
QString nameOf(const QJsonObject& obj) {
    return meta(obj).value(QLatin1String("name")).toString();
}
QString nsOf(const QJsonObject& obj) {
    return meta(obj).value(QLatin1String("namespace")).toString();
}
bool isDeleting(const QJsonObject& obj) {
    return meta(obj).contains(QLatin1String("deletionTimestamp"));
}
QString nowString() {
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}
qint64 nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

std::optional<ResourceType> typeOf(const ObjectStore& store, const QString& group, const QString& kind) {
    return store.registry().findKind(group, kind);
}

QJsonObject controllerRef(const QJsonObject& owner) {
    return QJsonObject{{QStringLiteral("apiVersion"), owner.value(QLatin1String("apiVersion"))},
                       {QStringLiteral("kind"), owner.value(QLatin1String("kind"))},
                       {QStringLiteral("name"), nameOf(owner)},
                       {QStringLiteral("uid"), uidOf(owner)},
                       {QStringLiteral("controller"), true},
                       {QStringLiteral("blockOwnerDeletion"), true}};
}

std::optional<std::pair<QString, QString>> controllerOf(const QJsonObject& obj) {
    for (const QJsonValue& ref : meta(obj).value(QLatin1String("ownerReferences")).toArray()) {
        const QJsonObject r = ref.toObject();
        if (r.value(QLatin1String("controller")).toBool())
            return std::make_pair(r.value(QLatin1String("kind")).toString(),
                                  r.value(QLatin1String("name")).toString());
    }
    return std::nullopt;
}

QList<QJsonObject> ownedBy(const ObjectStore& store, const ResourceType& type, const QString& ns,
                           const QString& uid) {
    QList<QJsonObject> out;
    for (const QJsonObject& obj : store.list(type, ns)) {
        for (const QJsonValue& ref : meta(obj).value(QLatin1String("ownerReferences")).toArray()) {
            const QJsonObject r = ref.toObject();
            if (r.value(QLatin1String("uid")).toString() == uid &&
                r.value(QLatin1String("controller")).toBool()) {
                out.append(obj);
                break;
            }
        }
    }
    return out;
}

QString templateHash(const QJsonObject& podTemplate) {
    quint32 hash = 2166136261u;
    for (const char c : QJsonDocument(podTemplate).toJson(QJsonDocument::Compact)) {
        hash ^= quint8(c);
        hash *= 16777619u;
    }
    // Like the real controller: the decimal digits of the hash, each mapped into the alphabet.
    QString out;
    for (const QChar digit : QString::number(hash))
        out.append(QLatin1Char(kAlphabet[digit.unicode() % (sizeof(kAlphabet) - 1)]));
    return out;
}

QString randomSuffix() {
    QString out;
    for (int i = 0; i < 5; ++i)
        out.append(QLatin1Char(kAlphabet[QRandomGenerator::global()->bounded(int(sizeof(kAlphabet) - 1))]));
    return out;
}

void writeStatus(ObjectStore& store, const ResourceType& type, QJsonObject obj, const QJsonObject& status,
                 const QString& manager) {
    QJsonObject clean = status;
    dropZeros(clean);
    if (obj.value(QLatin1String("status")).toObject() == clean)
        return;
    obj.insert(QStringLiteral("status"), clean);
    store.update(type, obj, WriteOptions{manager, false, QStringLiteral("status"), QStringLiteral("Update")});
}

StoreResult writeObject(ObjectStore& store, const ResourceType& type, const QJsonObject& obj,
                        const QString& manager) {
    return store.update(type, obj, WriteOptions{manager, false, {}, QStringLiteral("Update")});
}

bool podReady(const QJsonObject& pod) {
    for (const QJsonValue& c :
         pod.value(QLatin1String("status")).toObject().value(QLatin1String("conditions")).toArray())
        if (c.toObject().value(QLatin1String("type")).toString() == QLatin1String("Ready"))
            return c.toObject().value(QLatin1String("status")).toString() == QLatin1String("True");
    return false;
}

QString podPhase(const QJsonObject& pod) {
    return pod.value(QLatin1String("status")).toObject().value(QLatin1String("phase")).toString();
}

QJsonObject conditionOf(const QJsonObject& status, const QString& type) {
    for (const QJsonValue& c : status.value(QLatin1String("conditions")).toArray())
        if (c.toObject().value(QLatin1String("type")).toString() == type)
            return c.toObject();
    return {};
}

QJsonArray setCondition(const QJsonArray& conditions, const QString& type, const QString& status,
                        const QString& reason, const QString& message, bool withUpdateTime) {
    QJsonArray out;
    bool found = false;
    const QString now = nowString();
    for (const QJsonValue& v : conditions) {
        QJsonObject c = v.toObject();
        if (c.value(QLatin1String("type")).toString() == type) {
            found = true;
            const bool flipped = c.value(QLatin1String("status")).toString() != status;
            const bool changed = flipped || c.value(QLatin1String("reason")).toString() != reason ||
                                 c.value(QLatin1String("message")).toString() != message;
            if (flipped)
                c.insert(QStringLiteral("lastTransitionTime"), now);
            if (changed && withUpdateTime)
                c.insert(QStringLiteral("lastUpdateTime"), now);
            c.insert(QStringLiteral("status"), status);
            c.insert(QStringLiteral("reason"), reason);
            c.insert(QStringLiteral("message"), message);
        }
        out.append(c);
    }
    if (!found) {
        QJsonObject c{{QStringLiteral("type"), type},
                      {QStringLiteral("status"), status},
                      {QStringLiteral("reason"), reason},
                      {QStringLiteral("message"), message},
                      {QStringLiteral("lastTransitionTime"), now}};
        if (withUpdateTime)
            c.insert(QStringLiteral("lastUpdateTime"), now);
        out.append(c);
    }
    return out;
}

QJsonObject podFromTemplate(const QJsonObject& owner, const QJsonObject& podTemplate, const QString& name,
                            const QJsonObject& extraLabels) {
    const QJsonObject tmeta = podTemplate.value(QLatin1String("metadata")).toObject();
    QJsonObject labels = tmeta.value(QLatin1String("labels")).toObject();
    for (auto it = extraLabels.begin(); it != extraLabels.end(); ++it)
        labels.insert(it.key(), it.value());
    QJsonObject pmeta{{QStringLiteral("name"), name},
                      {QStringLiteral("namespace"), nsOf(owner)},
                      {QStringLiteral("labels"), labels},
                      {QStringLiteral("ownerReferences"), QJsonArray{controllerRef(owner)}}};
    if (tmeta.contains(QLatin1String("annotations")))
        pmeta.insert(QStringLiteral("annotations"), tmeta.value(QLatin1String("annotations")));
    return QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("kind"), QStringLiteral("Pod")},
                       {QStringLiteral("metadata"), pmeta},
                       {QStringLiteral("spec"), podTemplate.value(QLatin1String("spec")).toObject()}};
}

} // namespace driftdeck::kubesim::controllers
