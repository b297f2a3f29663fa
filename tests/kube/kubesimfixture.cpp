#include "kubesimfixture.h"

#include "testsupport.h"

#include <QFile>

namespace driftdeck::kube::test {

const ResourceInfo kConfigMaps{
    QString(), QStringLiteral("v1"), QStringLiteral("ConfigMap"), QStringLiteral("configmaps"), true, {}};
const ResourceInfo kSecrets{
    QString(), QStringLiteral("v1"), QStringLiteral("Secret"), QStringLiteral("secrets"), true, {}};
const ResourceInfo kClusterRoles{QStringLiteral("rbac.authorization.k8s.io"),
                                 QStringLiteral("v1"),
                                 QStringLiteral("ClusterRole"),
                                 QStringLiteral("clusterroles"),
                                 false,
                                 {}};

ApiReply wait(QFuture<ApiReply> future) {
    EXPECT_TRUE(driftdeck::test::waitUntil([&] { return future.isFinished(); }, std::chrono::seconds(30)));
    if (!future.isFinished() || future.isCanceled() || future.resultCount() == 0)
        return {};
    return future.result();
}

void writeFile(const QString& path, const QByteArray& content, bool executable) {
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
    file.close();
    if (executable)
        file.setPermissions(file.permissions() | QFileDevice::ExeOwner);
}

QJsonObject configMap(const QString& name, const QString& value) {
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name},
                                                 {QStringLiteral("namespace"), QStringLiteral("default")}}},
        {QStringLiteral("data"), QJsonObject{{QStringLiteral("v"), value}}}};
}

void KubesimTest::SetUp() {
    kubesim::ClusterOptions options;
    options.name = QStringLiteral("sim");
    cluster = std::make_unique<kubesim::SimulatedCluster>(options);
    const Status started = cluster->start();
    ASSERT_TRUE(started.ok()) << started.error().toString().toStdString();
    kubeconfigPath = dir.filePath(QStringLiteral("kubeconfig"));
    writeFile(kubeconfigPath, kubesim::kubeconfigYaml({cluster.get()}));
    auto loaded = loadKubeconfig({kubeconfigPath});
    ASSERT_TRUE(loaded.ok()) << loaded.error().toString().toStdString();
    config = *loaded;
}

void KubesimTest::TearDown() {
    if (cluster)
        cluster->stop();
}

ConnectionSettings KubesimTest::settings(const QString& context) {
    auto s = connectionSettings(config, context);
    EXPECT_TRUE(s.ok()) << s.error().toString().toStdString();
    return s.ok() ? *s : ConnectionSettings{};
}

ConnectionSettings KubesimTest::viewerWithoutToken() {
    ConnectionSettings s = settings(QStringLiteral("sim-viewer"));
    s.user.token.clear();
    return s;
}

} // namespace driftdeck::kube::test
