#include "kube/discovery.h"

#include "kube/clusterclient.h"
#include "kube/redaction.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

namespace driftdeck::kube {

struct Discovery::State {
    ClusterClient* client = nullptr;
    QString cacheFile;
    std::chrono::seconds ttl;
    QMutex fetchMutex; // one discovery at a time; the others then read its result
    mutable QMutex mutex;
    bool loaded = false;
    QList<ResourceInfo> resources;
    QHash<QString, QString> preferred; // group -> version
    QDateTime fetchedAt;
    int serverFetches = 0;
    bool closed = false; // set under fetchMutex when the Discovery (and maybe the client) goes away
};

namespace {

// Discovery blocks on replies, so it gets threads of its own rather than the global pool's.
QThreadPool* discoveryPool() {
    static QThreadPool pool;
    static const bool configured = [] {
        pool.setMaxThreadCount(4);
        return true;
    }();
    Q_UNUSED(configured);
    return &pool;
}

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

// Resources of one APIResourceList; subresources ("pods/log") are not kinds of their own.
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

bool loadDisk(Discovery::State& s) {
    QFile file(s.cacheFile);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    const QDateTime fetched =
        QDateTime::fromString(root.value(QLatin1String("fetched")).toString(), Qt::ISODate);
    if (!fetched.isValid() || fetched.secsTo(QDateTime::currentDateTimeUtc()) > s.ttl.count() ||
        fetched > QDateTime::currentDateTimeUtc().addSecs(60))
        return false;
    QList<ResourceInfo> resources;
    for (const QJsonValue& v : root.value(QLatin1String("resources")).toArray())
        resources.append(fromJson(v.toObject()));
    if (resources.isEmpty())
        return false;
    QHash<QString, QString> preferred;
    const QJsonObject pref = root.value(QLatin1String("preferred")).toObject();
    for (auto it = pref.begin(); it != pref.end(); ++it)
        preferred.insert(it.key(), it.value().toString());
    QMutexLocker lock(&s.mutex);
    s.resources = resources;
    s.preferred = preferred;
    s.fetchedAt = fetched;
    s.loaded = true;
    return true;
}

void saveDisk(const Discovery::State& s, const QList<ResourceInfo>& resources,
              const QHash<QString, QString>& preferred, const QDateTime& fetched) {
    QDir().mkpath(QFileInfo(s.cacheFile).absolutePath());
    QJsonArray list;
    for (const ResourceInfo& r : resources)
        list.append(toJson(r));
    QJsonObject pref;
    for (auto it = preferred.begin(); it != preferred.end(); ++it)
        pref.insert(it.key(), it.value());
    QSaveFile file(s.cacheFile);
    if (!file.open(QIODevice::WriteOnly))
        return;
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("fetched"), fetched.toString(Qt::ISODate)},
                                         {QStringLiteral("resources"), list},
                                         {QStringLiteral("preferred"), pref}})
                   .toJson(QJsonDocument::Compact));
    if (!file.commit())
        qCWarning(lcKube).noquote() << QStringLiteral("cannot write the discovery cache") << s.cacheFile;
}

Status fetchServer(Discovery::State& s) {
    ClusterClient* client = s.client;
    QList<ResourceInfo> resources;
    QHash<QString, QString> preferred;

    const ApiReply core = client->get(QStringLiteral("/api")).result();
    if (!core.ok())
        return *core.error;
    const ApiReply groups = client->get(QStringLiteral("/apis")).result();
    if (!groups.ok())
        return *groups.error;

    struct Pending {
        QString group;
        QString version;
        QFuture<ApiReply> reply;
    };
    QList<Pending> pending;
    for (const QJsonValue& v : core.json().value(QLatin1String("versions")).toArray()) {
        const QString version = v.toString();
        pending.append({QString(), version, client->get(QStringLiteral("/api/") + version)});
    }
    preferred.insert(QString(), QStringLiteral("v1"));
    for (const QJsonValue& g : groups.json().value(QLatin1String("groups")).toArray()) {
        const QJsonObject group = g.toObject();
        const QString name = group.value(QLatin1String("name")).toString();
        preferred.insert(name, group.value(QLatin1String("preferredVersion"))
                                   .toObject()
                                   .value(QLatin1String("version"))
                                   .toString());
        for (const QJsonValue& v : group.value(QLatin1String("versions")).toArray()) {
            const QString version = v.toObject().value(QLatin1String("version")).toString();
            pending.append(
                {name, version, client->get(QStringLiteral("/apis/") + name + QLatin1Char('/') + version)});
        }
    }
    for (Pending& p : pending) {
        const ApiReply reply = p.reply.result();
        if (!reply.ok()) {
            // kubectl carries on when one aggregated API is down; so do we.
            qCWarning(lcKube).noquote() << redact(reply.error->message);
            continue;
        }
        addResources(reply.json(), p.group, p.version, resources);
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    saveDisk(s, resources, preferred, now);
    QMutexLocker lock(&s.mutex);
    s.resources = resources;
    s.preferred = preferred;
    s.fetchedAt = now;
    s.loaded = true;
    ++s.serverFetches;
    return success();
}

std::optional<ResourceInfo> lookup(const Discovery::State& s, const GroupVersionKind& gvk) {
    QMutexLocker lock(&s.mutex);
    const QString version = gvk.version.isEmpty() ? s.preferred.value(gvk.group) : gvk.version;
    for (const ResourceInfo& r : s.resources) {
        if (r.group == gvk.group && r.version == version && r.kind == gvk.kind)
            return r;
    }
    return std::nullopt;
}

Result<QList<ResourceInfo>> resourcesOf(Discovery::State& s, bool refresh) {
    QMutexLocker fetching(&s.fetchMutex);
    if (s.closed)
        return kubeError(Error::Code::Cancelled, QStringLiteral("discovery was closed"));
    bool loaded;
    {
        QMutexLocker lock(&s.mutex);
        loaded = s.loaded && s.fetchedAt.secsTo(QDateTime::currentDateTimeUtc()) <= s.ttl.count();
    }
    if (refresh || (!loaded && !loadDisk(s))) {
        auto status = fetchServer(s);
        if (!status)
            return status.error();
    }
    QMutexLocker lock(&s.mutex);
    return s.resources;
}

Result<ResourceInfo> resolveIn(Discovery::State& s, const GroupVersionKind& gvk) {
    auto all = resourcesOf(s, false);
    if (!all)
        return all.error();
    if (auto found = lookup(s, gvk))
        return *found;
    // Perhaps a CRD installed since the last discovery.
    auto fresh = resourcesOf(s, true);
    if (!fresh)
        return fresh.error();
    if (auto found = lookup(s, gvk))
        return *found;
    return kubeError(Error::Code::NotFound,
                     s.client->name() + QStringLiteral(": the cluster serves no kind ") + gvk.toString() +
                         QStringLiteral(" (is its CustomResourceDefinition installed?)"));
}

} // namespace

Discovery::Discovery(ClusterClient* client, QString cacheRoot, std::chrono::seconds ttl)
    : m_state(std::make_shared<State>()) {
    m_state->client = client;
    m_state->ttl = ttl;
    const QUrl server = client->settings().server;
    const int port = server.port(server.scheme() == QLatin1String("http") ? 80 : 443);
    QString dir = server.host() + QLatin1Char('_') + QString::number(port);
    dir.replace(QLatin1Char('/'), QLatin1Char('_')).replace(QLatin1Char(':'), QLatin1Char('_'));
    m_state->cacheFile = QDir(cacheRoot).filePath(dir + QStringLiteral("/resources.json"));
}

Discovery::~Discovery() {
    // Work in flight holds the state; it must not use the client after this returns.
    QMutexLocker wait(&m_state->fetchMutex);
    m_state->closed = true;
}

QString Discovery::defaultCacheRoot() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
           QStringLiteral("/driftdeck/discovery");
}

QString Discovery::cacheFilePath() const {
    return m_state->cacheFile;
}

QFuture<Result<ResourceInfo>> Discovery::resolve(const GroupVersionKind& gvk) {
    auto state = m_state;
    if (auto found = lookup(*state, gvk))
        return QtFuture::makeReadyFuture<Result<ResourceInfo>>(*found);
    return QtConcurrent::run(discoveryPool(), [state, gvk] { return resolveIn(*state, gvk); });
}

QFuture<Result<QList<ResourceInfo>>> Discovery::resources(bool refresh) {
    auto state = m_state;
    return QtConcurrent::run(discoveryPool(), [state, refresh] { return resourcesOf(*state, refresh); });
}

Result<ResourceInfo> Discovery::resolveBlocking(const GroupVersionKind& gvk) {
    return resolveIn(*m_state, gvk);
}

Result<QList<ResourceInfo>> Discovery::resourcesBlocking(bool refresh) {
    return resourcesOf(*m_state, refresh);
}

int Discovery::serverFetches() const {
    QMutexLocker lock(&m_state->mutex);
    return m_state->serverFetches;
}

} // namespace driftdeck::kube
