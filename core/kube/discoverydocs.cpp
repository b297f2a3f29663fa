#include "kube/discoverydocs_p.h"
#include "kube/redaction.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace driftdeck::kube::discoverydocs {

namespace {

QJsonObject toJson(const ResourceInfo& r) {
    return QJsonObject{{QStringLiteral("group"), r.group},
                       {QStringLiteral("version"), r.version},
                       {QStringLiteral("kind"), r.kind},
                       {QStringLiteral("resource"), r.resource},
                       {QStringLiteral("namespaced"), r.namespaced},
                       {QStringLiteral("verbs"), QJsonArray::fromStringList(r.verbs)}};
}

ResourceInfo fromJson(const QJsonObject& o) {
    ResourceInfo r;
    r.group = o.value(QLatin1String("group")).toString();
    r.version = o.value(QLatin1String("version")).toString();
    r.kind = o.value(QLatin1String("kind")).toString();
    r.resource = o.value(QLatin1String("resource")).toString();
    r.namespaced = o.value(QLatin1String("namespaced")).toBool();
    for (const QJsonValue& v : o.value(QLatin1String("verbs")).toArray())
        r.verbs.append(v.toString());
    return r;
}

} // namespace

void addResources(const QJsonObject& list, const QString& group, const QString& version,
                  QList<ResourceInfo>& out) {
    for (const QJsonValue& v : list.value(QLatin1String("resources")).toArray()) {
        const QJsonObject o = v.toObject();
        const QString name = o.value(QLatin1String("name")).toString();
        if (name.isEmpty() || name.contains(QLatin1Char('/')))
            continue;
        ResourceInfo r;
        r.group = group;
        r.version = version;
        r.kind = o.value(QLatin1String("kind")).toString();
        r.resource = name;
        r.namespaced = o.value(QLatin1String("namespaced")).toBool();
        for (const QJsonValue& verb : o.value(QLatin1String("verbs")).toArray())
            r.verbs.append(verb.toString());
        out.append(r);
    }
}

std::optional<Snapshot> readCache(const QString& path, std::chrono::seconds ttl) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxCacheBytes)
        return std::nullopt;
    const QJsonObject root = QJsonDocument::fromJson(file.read(kMaxCacheBytes)).object();
    Snapshot out;
    out.fetched = QDateTime::fromString(root.value(QLatin1String("fetched")).toString(), Qt::ISODate);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!out.fetched.isValid() || out.fetched.secsTo(now) > ttl.count() || out.fetched > now.addSecs(60))
        return std::nullopt;
    for (const QJsonValue& v : root.value(QLatin1String("resources")).toArray())
        out.resources.append(fromJson(v.toObject()));
    if (out.resources.isEmpty())
        return std::nullopt;
    const QJsonObject pref = root.value(QLatin1String("preferred")).toObject();
    for (auto it = pref.begin(); it != pref.end(); ++it)
        out.preferred.insert(it.key(), it.value().toString());
    return out;
}

void writeCache(const QString& path, const Snapshot& snapshot) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QJsonArray list;
    for (const ResourceInfo& r : snapshot.resources)
        list.append(toJson(r));
    QJsonObject pref;
    for (auto it = snapshot.preferred.begin(); it != snapshot.preferred.end(); ++it)
        pref.insert(it.key(), it.value());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return;
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("fetched"), snapshot.fetched.toString(Qt::ISODate)},
                                         {QStringLiteral("resources"), list},
                                         {QStringLiteral("preferred"), pref}})
                   .toJson(QJsonDocument::Compact));
    if (!file.commit())
        qCWarning(lcKube).noquote() << QStringLiteral("cannot write the discovery cache") << path;
}

} // namespace driftdeck::kube::discoverydocs
