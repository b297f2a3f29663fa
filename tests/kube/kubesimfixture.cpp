#include "kubesimfixture.h"

#include "testsupport.h"

#include <QFile>
#include <QRandomGenerator>

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

QJsonObject configMap(const QString& name, const QString& value, const QString& ns) {
    return QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                       {QStringLiteral("metadata"),
                        QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("namespace"), ns}}},
                       {QStringLiteral("data"), QJsonObject{{QStringLiteral("v"), value}}}};
}

void KubesimTest::SetUp() {
    kubesim::ClusterOptions options;
    options.name = QStringLiteral("sim");
    const Status started = backend.start(options);
    ASSERT_TRUE(started.ok()) << started.error().toString().toStdString();
    cluster = backend.simulated();
    kubeconfigPath = backend.kubeconfigPath();
    auto loaded = loadKubeconfig({kubeconfigPath});
    ASSERT_TRUE(loaded.ok()) << loaded.error().toString().toStdString();
    config = *loaded;
    // The test's name and a random suffix: a DNS label (at most 63 characters) that no earlier run
    // against the same real server has used.
    const QString testName =
        QString::fromLatin1(::testing::UnitTest::GetInstance()->current_test_info()->name()).toLower();
    testNamespace =
        testName.left(55) + QLatin1Char('-') +
        QString::number(QRandomGenerator::global()->bounded(0x1000000), 16).rightJustified(6, u'0');
    const ResourceInfo namespaces{
        QString(), QStringLiteral("v1"), QStringLiteral("Namespace"), QStringLiteral("namespaces"), false,
        {}};
    ClusterClient admin(settings(adminContext()));
    const ApiReply created =
        wait(admin.apply(namespaces, QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                                 {QStringLiteral("kind"), QStringLiteral("Namespace")},
                                                 {QStringLiteral("metadata"),
                                                  QJsonObject{{QStringLiteral("name"), testNamespace}}}}));
    ASSERT_TRUE(created.ok()) << (created.error ? created.error->toString().toStdString() : std::string());
}

// The namespaces stay: kubesim goes with the fixture, and the real control plane is thrown away
// after the ctest run.
void KubesimTest::TearDown() {
    backend.stop();
}

ConnectionSettings KubesimTest::settings(const QString& context) {
    auto s = connectionSettings(config, context);
    EXPECT_TRUE(s.ok()) << s.error().toString().toStdString();
    return s.ok() ? *s : ConnectionSettings{};
}

QByteArray KubesimTest::viewerToken() {
    return settings(viewerContext()).user.token.reveal();
}

ConnectionSettings KubesimTest::viewerWithoutToken() {
    ConnectionSettings s = settings(viewerContext());
    s.user.token.clear();
    return s;
}

QJsonObject KubesimTest::cm(const QString& name, const QString& value) const {
    return configMap(name, value, testNamespace);
}

QString KubesimTest::nsPath(const QString& rest) const {
    return QStringLiteral("/api/v1/namespaces/") + testNamespace + QLatin1Char('/') + rest;
}

bool KubesimTest::requireKubesim() const {
    EXPECT_NE(cluster, nullptr) << "this test drives kubesim itself (faults or its store); the realkube run "
                                   "must filter it out (tests/realkube/CMakeLists.txt)";
    return cluster != nullptr;
}

} // namespace driftdeck::kube::test
