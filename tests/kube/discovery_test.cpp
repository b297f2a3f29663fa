#include "kube/clusterclient.h"
#include "kube/discovery.h"
#include "testapiserver.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QMutex>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::kube;
using driftdeck::kube::test::TestApiServer;

namespace {

QJsonObject resource(const QString& name, const QString& kind, bool namespaced) {
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("kind"), kind},
        {QStringLiteral("namespaced"), namespaced},
        {QStringLiteral("verbs"), QJsonArray{QStringLiteral("get"), QStringLiteral("list"),
                                             QStringLiteral("watch"), QStringLiteral("patch")}}};
}

// A cluster serving core/v1, apps/v1 and, once `crdInstalled` is set, example.com/v1 Widgets.
class DiscoveryServer {
public:
    DiscoveryServer() {
        server.start([this](const TestApiServer::Request& r) {
            QMutexLocker lock(&mutex);
            ++hits[r.path];
            if (r.path == QLatin1String("/api"))
                return TestApiServer::json(
                    200, QJsonObject{{QStringLiteral("kind"), QStringLiteral("APIVersions")},
                                     {QStringLiteral("versions"), QJsonArray{QStringLiteral("v1")}}});
            if (r.path == QLatin1String("/api/v1"))
                return TestApiServer::json(
                    200,
                    QJsonObject{
                        {QStringLiteral("groupVersion"), QStringLiteral("v1")},
                        {QStringLiteral("resources"),
                         QJsonArray{
                             resource(QStringLiteral("configmaps"), QStringLiteral("ConfigMap"), true),
                             resource(QStringLiteral("pods/log"), QStringLiteral("Pod"), true),
                             resource(QStringLiteral("namespaces"), QStringLiteral("Namespace"), false)}}});
            if (r.path == QLatin1String("/apis")) {
                QJsonArray groups{group(QStringLiteral("apps"), {QStringLiteral("v1")})};
                if (crdInstalled)
                    groups.append(group(QStringLiteral("example.com"),
                                        {QStringLiteral("v1"), QStringLiteral("v1alpha1")}));
                return TestApiServer::json(
                    200, QJsonObject{{QStringLiteral("kind"), QStringLiteral("APIGroupList")},
                                     {QStringLiteral("groups"), groups}});
            }
            if (r.path == QLatin1String("/apis/apps/v1"))
                return TestApiServer::json(
                    200, QJsonObject{{QStringLiteral("resources"),
                                      QJsonArray{resource(QStringLiteral("deployments"),
                                                          QStringLiteral("Deployment"), true)}}});
            if (r.path == QLatin1String("/apis/example.com/v1"))
                return TestApiServer::json(
                    200, QJsonObject{{QStringLiteral("resources"),
                                      QJsonArray{resource(QStringLiteral("widgets"), QStringLiteral("Widget"),
                                                          false)}}});
            // An aggregated API that is down must not break discovery of the rest.
            return TestApiServer::status(503, QStringLiteral("ServiceUnavailable"),
                                         QStringLiteral("unavailable"));
        });
    }
    static QJsonObject group(const QString& name, const QStringList& versions) {
        QJsonArray list;
        for (const QString& v : versions)
            list.append(QJsonObject{{QStringLiteral("groupVersion"), QString(name + QLatin1Char('/') + v)},
                                    {QStringLiteral("version"), v}});
        return QJsonObject{{QStringLiteral("name"), name},
                           {QStringLiteral("versions"), list},
                           {QStringLiteral("preferredVersion"), list.first()}};
    }
    int hitsOf(const QString& path) {
        QMutexLocker lock(&mutex);
        return hits.value(path);
    }

    TestApiServer server;
    QMutex mutex;
    QHash<QString, int> hits;
    bool crdInstalled = false;
};

ConnectionSettings settingsFor(const TestApiServer& server) {
    ConnectionSettings s;
    s.contextName = QStringLiteral("disco");
    s.server = QUrl(server.url());
    s.maxRetries = 0;
    return s;
}

} // namespace

TEST(Discovery, ResolvesKindsCachesOnDiskAndRediscoversForNewKinds) {
    DiscoveryServer fake;
    ClusterClient client(settingsFor(fake.server));
    QTemporaryDir cache;
    Discovery discovery(&client, cache.path());
    auto cm = discovery.resolveBlocking({QString(), QStringLiteral("v1"), QStringLiteral("ConfigMap")});
    ASSERT_TRUE(cm.ok()) << cm.error().toString().toStdString();
    EXPECT_EQ(cm->resource, QStringLiteral("configmaps"));
    EXPECT_TRUE(cm->namespaced);
    EXPECT_TRUE(cm->supports(QStringLiteral("watch")));
    auto deployment =
        discovery.resolveBlocking({QStringLiteral("apps"), QString(), QStringLiteral("Deployment")});
    ASSERT_TRUE(deployment.ok());
    EXPECT_EQ(deployment->version, QStringLiteral("v1")); // the preferred version
    auto ns = discovery.resolveBlocking({QString(), QStringLiteral("v1"), QStringLiteral("Namespace")});
    ASSERT_TRUE(ns.ok());
    EXPECT_FALSE(ns->namespaced);
    EXPECT_EQ(discovery.serverFetches(), 1);
    EXPECT_TRUE(discovery.cacheFilePath().startsWith(cache.path()));
    EXPECT_TRUE(discovery.cacheFilePath().contains(QStringLiteral("127.0.0.1_")));
    EXPECT_TRUE(QFile::exists(discovery.cacheFilePath()));

    // Another instance (a new app start) uses the disk cache: no request reaches the server.
    const int apiHits = fake.hitsOf(QStringLiteral("/api"));
    Discovery second(&client, cache.path());
    ASSERT_TRUE(
        second.resolveBlocking({QStringLiteral("apps"), QStringLiteral("v1"), QStringLiteral("Deployment")})
            .ok());
    EXPECT_EQ(fake.hitsOf(QStringLiteral("/api")), apiHits);

    // A CRD appears: the unknown kind triggers one fresh discovery.
    {
        QMutexLocker lock(&fake.mutex);
        fake.crdInstalled = true;
    }
    QFuture<Result<ResourceInfo>> widget =
        second.resolve({QStringLiteral("example.com"), QString(), QStringLiteral("Widget")});
    ASSERT_TRUE(driftdeck::test::waitUntil([&] { return widget.isFinished(); }, std::chrono::seconds(20)));
    ASSERT_TRUE(widget.result().ok()) << widget.result().error().toString().toStdString();
    EXPECT_EQ(widget.result()->resource, QStringLiteral("widgets"));
    EXPECT_FALSE(widget.result()->namespaced);
    EXPECT_EQ(second.serverFetches(), 1);

    auto missing =
        second.resolveBlocking({QStringLiteral("nope.io"), QStringLiteral("v1"), QStringLiteral("Thing")});
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, Error::Code::NotFound);
    EXPECT_TRUE(missing.error().message.contains(QStringLiteral("Thing")));
}

TEST(Discovery, ExpiredDiskCacheIsNotUsed) {
    DiscoveryServer fake;
    ClusterClient client(settingsFor(fake.server));
    QTemporaryDir cache;
    {
        Discovery first(&client, cache.path());
        ASSERT_TRUE(first.resourcesBlocking().ok());
    }
    Discovery expired(&client, cache.path(), std::chrono::seconds(-1));
    ASSERT_TRUE(expired.resourcesBlocking().ok());
    EXPECT_EQ(expired.serverFetches(), 1);
}
