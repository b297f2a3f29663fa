// Discovery against kubesim: cache files per server URL, remembered unknown kinds, and clusters that
// do not wait for each other.
#include "kube/clusterclient.h"
#include "kube/discovery.h"
#include "kubesimfixture.h"
#include "testsupport.h"

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::kube;
using namespace driftdeck::kube::test;

namespace {

const GroupVersionKind kWidget{QStringLiteral("example.com"), QStringLiteral("v1"), QStringLiteral("Widget")};

} // namespace

// Review item 10: the disk cache was keyed by host and port only, so clusters behind one host with
// different paths (Rancher's /k8s/clusters/<id>) shared one cache and saw each other's kinds.
TEST_F(KubesimTest, DiscoveryCacheFilesAreKeyedByTheWholeServerUrl) {
    ConnectionSettings one = settings(QStringLiteral("sim"));
    one.server = QUrl(QStringLiteral("https://rancher.example/k8s/clusters/c-one"));
    ConnectionSettings two = one;
    two.server = QUrl(QStringLiteral("https://rancher.example/k8s/clusters/c-two"));
    ConnectionSettings root = one;
    root.server = QUrl(QStringLiteral("https://rancher.example"));
    ClusterClient clientOne(one);
    ClusterClient clientTwo(two);
    ClusterClient clientRoot(root);
    const QString cache = dir.filePath(QStringLiteral("cache"));
    const Discovery discoveryOne(&clientOne, cache);
    const Discovery discoveryTwo(&clientTwo, cache);
    const Discovery discoveryRoot(&clientRoot, cache);
    EXPECT_NE(discoveryOne.cacheFilePath(), discoveryTwo.cacheFilePath());
    EXPECT_NE(discoveryOne.cacheFilePath(), discoveryRoot.cacheFilePath());
    EXPECT_TRUE(discoveryOne.cacheFilePath().startsWith(cache + QLatin1Char('/')))
        << discoveryOne.cacheFilePath().toStdString();
    EXPECT_TRUE(discoveryOne.cacheFilePath().contains(QStringLiteral("rancher.example_443_k8s_clusters_c")))
        << discoveryOne.cacheFilePath().toStdString();
}

// Review item 10: an unknown kind refetched the whole discovery every time it was asked for.
TEST_F(KubesimTest, UnknownKindsAreRememberedForAWhile) {
    ClusterClient client(settings(QStringLiteral("sim")));
    Discovery discovery(&client, dir.filePath(QStringLiteral("cache")));
    ASSERT_TRUE(
        discovery.resolveBlocking({QString(), QStringLiteral("v1"), QStringLiteral("ConfigMap")}).ok());
    EXPECT_EQ(discovery.serverFetches(), 1);
    for (int i = 0; i < 3; ++i) {
        const auto unknown = discovery.resolveBlocking(kWidget);
        ASSERT_FALSE(unknown.ok());
        EXPECT_EQ(unknown.error().code, Error::Code::NotFound);
        EXPECT_TRUE(unknown.error().message.contains(QStringLiteral("Widget")));
    }
    EXPECT_EQ(discovery.serverFetches(), 2); // one fresh discovery for the first miss only
}

TEST_F(KubesimTest, UnknownKindsAreAskedForAgainOnceTheNegativeTtlHasPassed) {
    ClusterClient client(settings(QStringLiteral("sim")));
    Discovery discovery(&client, dir.filePath(QStringLiteral("cache")), std::chrono::minutes(10),
                        std::chrono::seconds(0));
    ASSERT_FALSE(discovery.resolveBlocking(kWidget).ok());
    ASSERT_FALSE(discovery.resolveBlocking(kWidget).ok());
    EXPECT_EQ(discovery.serverFetches(), 3); // the first load, then one refetch per miss
}

// Review item 10: all clusters shared one pool of four blocking threads, so a few hung clusters
// stalled discovery for the whole fleet. Asserted by order: the healthy cluster's answer arrives while
// every request of the hung one is still waiting.
TEST_F(KubesimTest, AHungClusterDoesNotStallAnothersDiscovery) {
    kubesim::ClusterOptions options;
    options.name = QStringLiteral("hung");
    options.certificates = std::make_shared<const kubesim::CertificateBundle>(cluster->certificates());
    options.viewerToken = cluster->viewerToken();
    options.faults.latencyMs = 60000;
    kubesim::SimulatedCluster hung(options);
    ASSERT_TRUE(hung.start().ok());
    ConnectionSettings hungSettings = settings(QStringLiteral("sim"));
    hungSettings.contextName = QStringLiteral("hung");
    hungSettings.server = hung.serverUrl();
    hungSettings.requestTimeout = std::chrono::seconds(45);
    hungSettings.maxRetries = 0;
    ClusterClient hungClient(hungSettings);
    ClusterClient healthyClient(settings(QStringLiteral("sim")));
    {
        Discovery hungDiscovery(&hungClient, dir.filePath(QStringLiteral("hung-cache")));
        Discovery healthyDiscovery(&healthyClient, dir.filePath(QStringLiteral("healthy-cache")));
        QList<QFuture<Result<ResourceInfo>>> stuck;
        for (const char* kind : {"ConfigMap", "Secret", "Service", "Pod", "Namespace", "Node"})
            stuck.append(hungDiscovery.resolve({QString(), QStringLiteral("v1"), QString::fromLatin1(kind)}));
        QFuture<Result<ResourceInfo>> healthy =
            healthyDiscovery.resolve({QStringLiteral("apps"), QString(), QStringLiteral("Deployment")});
        ASSERT_TRUE(
            driftdeck::test::waitUntil([&] { return healthy.isFinished(); }, std::chrono::seconds(30)));
        EXPECT_TRUE(healthy.result().ok()) << healthy.result().error().toString().toStdString();
        for (const auto& f : stuck)
            EXPECT_FALSE(f.isFinished()); // still waiting for the hung cluster
    }
    hung.stop();
}
