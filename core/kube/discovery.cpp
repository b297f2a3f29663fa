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
#include <QPromise>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

#include <functional>

namespace driftdeck::kube {

struct Discovery::State {
    ClusterClient* client = nullptr; // used only under `mutex` while !closed
    QString clusterName;             // for messages: usable after the client is gone
    QString cacheFile;
    std::chrono::seconds ttl;
    std::chrono::seconds negativeTtl;
    mutable QMutex mutex;
    bool closed = false; // the Discovery (and maybe the client) is gone
    bool loaded = false;
    bool diskTried = false;
    QList<ResourceInfo> resources;
    QHash<QString, QString> preferred; // group -> version
    QDateTime fetchedAt;
    int serverFetches = 0;
    bool fetching = false;
    QList<std::function<void(Status)>> waiting; // for the fetch in flight
    QHash<QString, QDateTime> unknownSince;     // gvk -> when a fresh discovery did not know it
};

namespace {

using StatePtr = std::shared_ptr<Discovery::State>;
using Waiter = std::function<void(Status)>;

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

// Calls `fn` with the reply, also when the request never ran (the client went away first).
void whenReplied(QFuture<ApiReply> future, std::function<void(ApiReply)> fn) {
    future.then([fn](const ApiReply& reply) { fn(reply); }).onCanceled([fn] {
        ApiReply cancelled;
        cancelled.error = kubeError(Error::Code::Cancelled, QStringLiteral("discovery was cancelled"));
        fn(cancelled);
    });
}

bool freshInMemory(const Discovery::State& s) {
    return s.loaded && s.fetchedAt.secsTo(QDateTime::currentDateTimeUtc()) <= s.ttl.count();
}

// One discovery run: /api and /apis, then every group version, all in flight at once. The
// callbacks run on the cluster's thread (or wherever a reply is completed) and share this under
// its mutex.
struct Fetch {
    QMutex mutex;
    int outstanding = 0;
    std::optional<ApiReply> core;
    std::optional<ApiReply> groups;
    QList<ResourceInfo> resources;
    QHash<QString, QString> preferred;
};

void complete(const StatePtr& s, const Status& status) {
    QList<Waiter> waiting;
    {
        QMutexLocker lock(&s->mutex);
        s->fetching = false;
        waiting = std::exchange(s->waiting, {});
    }
    for (const Waiter& w : waiting)
        w(status);
}

void finishFetch(const StatePtr& s, const std::shared_ptr<Fetch>& f) {
    const QDateTime now = QDateTime::currentDateTimeUtc();
    saveDisk(*s, f->resources, f->preferred, now);
    {
        QMutexLocker lock(&s->mutex);
        s->resources = f->resources;
        s->preferred = f->preferred;
        s->fetchedAt = now;
        s->loaded = true;
        ++s->serverFetches;
    }
    complete(s, success());
}

// Both root documents are in: ask for every group version.
void fetchGroupVersions(const StatePtr& s, const std::shared_ptr<Fetch>& f) {
    if (!f->core->ok())
        return complete(s, *f->core->error);
    if (!f->groups->ok())
        return complete(s, *f->groups->error);
    struct Part {
        QString group;
        QString version;
        QString path;
    };
    QList<Part> parts;
    for (const QJsonValue& v : f->core->json().value(QLatin1String("versions")).toArray())
        parts.append({QString(), v.toString(), QStringLiteral("/api/") + v.toString()});
    f->preferred.insert(QString(), QStringLiteral("v1"));
    for (const QJsonValue& g : f->groups->json().value(QLatin1String("groups")).toArray()) {
        const QJsonObject group = g.toObject();
        const QString name = group.value(QLatin1String("name")).toString();
        f->preferred.insert(name, group.value(QLatin1String("preferredVersion"))
                                      .toObject()
                                      .value(QLatin1String("version"))
                                      .toString());
        for (const QJsonValue& v : group.value(QLatin1String("versions")).toArray()) {
            const QString version = v.toObject().value(QLatin1String("version")).toString();
            parts.append({name, version, QStringLiteral("/apis/") + name + QLatin1Char('/') + version});
        }
    }
    if (parts.isEmpty())
        return finishFetch(s, f);
    f->outstanding = int(parts.size());
    // Requests are sent under the lock (the client is valid while !closed); continuations are
    // attached after it, since one may run at once on this thread and take the lock itself.
    QList<QFuture<ApiReply>> replies;
    {
        QMutexLocker lock(&s->mutex);
        if (!s->closed) {
            for (const Part& part : parts)
                replies.append(s->client->get(part.path));
        }
    }
    if (replies.isEmpty())
        return complete(s, kubeError(Error::Code::Cancelled, QStringLiteral("discovery was closed")));
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const Part part = parts[i];
        whenReplied(replies[i], [s, f, part](const ApiReply& reply) {
            bool last = false;
            {
                QMutexLocker fetchLock(&f->mutex);
                if (reply.ok())
                    addResources(reply.json(), part.group, part.version, f->resources);
                else // kubectl carries on when one aggregated API is down; so do we.
                    qCWarning(lcKube).noquote() << reply.error->message;
                last = --f->outstanding == 0;
            }
            if (last)
                finishFetch(s, f);
        });
    }
}

// Runs `done` once the data is fresh: at once when it is, else after the (possibly shared) fetch.
void fetch(const StatePtr& s, bool force, Waiter done) {
    QMutexLocker lock(&s->mutex);
    if (s->closed) {
        lock.unlock();
        return done(kubeError(Error::Code::Cancelled, QStringLiteral("discovery was closed")));
    }
    if (!force && !freshInMemory(*s) && !s->diskTried) {
        s->diskTried = true;
        lock.unlock();
        loadDisk(*s); // a small file, read once per Discovery
        lock.relock();
    }
    if (!force && freshInMemory(*s)) {
        lock.unlock();
        return done(success());
    }
    s->waiting.append(std::move(done));
    if (s->fetching)
        return;
    s->fetching = true;
    QFuture<ApiReply> core = s->client->get(QStringLiteral("/api"));
    QFuture<ApiReply> groups = s->client->get(QStringLiteral("/apis"));
    lock.unlock();
    auto f = std::make_shared<Fetch>();
    const auto rootArrived = [s, f](bool isCore, const ApiReply& reply) {
        bool both = false;
        {
            QMutexLocker fetchLock(&f->mutex);
            (isCore ? f->core : f->groups) = reply;
            both = f->core && f->groups;
        }
        if (both)
            fetchGroupVersions(s, f);
    };
    whenReplied(core, [rootArrived](const ApiReply& r) { rootArrived(true, r); });
    whenReplied(groups, [rootArrived](const ApiReply& r) { rootArrived(false, r); });
}

// With `fresh`, only data younger than the TTL counts (the answer without a fetch).
std::optional<ResourceInfo> lookup(const Discovery::State& s, const GroupVersionKind& gvk,
                                   bool fresh = false) {
    QMutexLocker lock(&s.mutex);
    if (!s.loaded || (fresh && !freshInMemory(s)))
        return std::nullopt;
    const QString version = gvk.version.isEmpty() ? s.preferred.value(gvk.group) : gvk.version;
    for (const ResourceInfo& r : s.resources) {
        if (r.group == gvk.group && r.version == version && r.kind == gvk.kind)
            return r;
    }
    return std::nullopt;
}

Error unknownKind(const Discovery::State& s, const GroupVersionKind& gvk) {
    return kubeError(Error::Code::NotFound,
                     s.clusterName + QStringLiteral(": the cluster serves no kind ") + gvk.toString() +
                         QStringLiteral(" (is its CustomResourceDefinition installed?)"));
}

bool recentlyUnknown(Discovery::State& s, const GroupVersionKind& gvk) {
    QMutexLocker lock(&s.mutex);
    const auto it = s.unknownSince.constFind(gvk.toString());
    return it != s.unknownSince.constEnd() &&
           it->secsTo(QDateTime::currentDateTimeUtc()) < s.negativeTtl.count();
}

void resolveIn(const StatePtr& s, const GroupVersionKind& gvk,
               std::shared_ptr<QPromise<Result<ResourceInfo>>> out) {
    const auto answer = [out](Result<ResourceInfo> result) {
        out->addResult(std::move(result));
        out->finish();
    };
    fetch(s, false, [s, gvk, answer](Status loaded) {
        if (!loaded)
            return answer(loaded.error());
        if (auto found = lookup(*s, gvk))
            return answer(*found);
        if (recentlyUnknown(*s, gvk))
            return answer(unknownKind(*s, gvk));
        // Perhaps a CRD installed since the last discovery.
        fetch(s, true, [s, gvk, answer](Status fresh) {
            if (!fresh)
                return answer(fresh.error());
            if (auto found = lookup(*s, gvk))
                return answer(*found);
            {
                QMutexLocker lock(&s->mutex);
                s->unknownSince.insert(gvk.toString(), QDateTime::currentDateTimeUtc());
            }
            answer(unknownKind(*s, gvk));
        });
    });
}

} // namespace

Discovery::Discovery(ClusterClient* client, QString cacheRoot, std::chrono::seconds ttl,
                     std::chrono::seconds negativeTtl)
    : m_state(std::make_shared<State>()) {
    m_state->client = client;
    m_state->clusterName = client->name();
    m_state->ttl = ttl;
    m_state->negativeTtl = negativeTtl;
    m_state->cacheFile = cacheFilePath(cacheRoot, client->settings().server);
}

Discovery::~Discovery() {
    // Work in flight keeps the state alive but no longer touches the client once this returns.
    QMutexLocker lock(&m_state->mutex);
    m_state->closed = true;
    m_state->client = nullptr;
}

QString Discovery::defaultCacheRoot() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
           QStringLiteral("/driftdeck/discovery");
}

QString Discovery::cacheFilePath(const QString& cacheRoot, const QUrl& server) {
    // As kubectl's cache directory: the URL without scheme, anything but [A-Za-z0-9.] made '_'.
    const int port = server.port(server.scheme() == QLatin1String("http") ? 80 : 443);
    QString key = server.host() + QLatin1Char('_') + QString::number(port);
    QString path = server.path(QUrl::FullyEncoded);
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    key += path;
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9.]"));
    key.replace(unsafe, QStringLiteral("_"));
    return QDir(cacheRoot).filePath(key + QStringLiteral("/resources.json"));
}

QString Discovery::cacheFilePath() const {
    return m_state->cacheFile;
}

QFuture<Result<ResourceInfo>> Discovery::resolve(const GroupVersionKind& gvk) {
    if (auto found = lookup(*m_state, gvk, true))
        return QtFuture::makeReadyFuture<Result<ResourceInfo>>(*found);
    auto promise = std::make_shared<QPromise<Result<ResourceInfo>>>();
    promise->start();
    QFuture<Result<ResourceInfo>> future = promise->future();
    resolveIn(m_state, gvk, promise);
    return future;
}

QFuture<Result<QList<ResourceInfo>>> Discovery::resources(bool refresh) {
    auto promise = std::make_shared<QPromise<Result<QList<ResourceInfo>>>>();
    promise->start();
    QFuture<Result<QList<ResourceInfo>>> future = promise->future();
    StatePtr s = m_state;
    fetch(s, refresh, [s, promise](Status status) {
        if (!status) {
            promise->addResult(status.error());
        } else {
            QMutexLocker lock(&s->mutex);
            promise->addResult(s->resources);
        }
        promise->finish();
    });
    return future;
}

Result<ResourceInfo> Discovery::resolveBlocking(const GroupVersionKind& gvk) {
    return resolve(gvk).result();
}

Result<QList<ResourceInfo>> Discovery::resourcesBlocking(bool refresh) {
    return resources(refresh).result();
}

int Discovery::serverFetches() const {
    QMutexLocker lock(&m_state->mutex);
    return m_state->serverFetches;
}

} // namespace driftdeck::kube
