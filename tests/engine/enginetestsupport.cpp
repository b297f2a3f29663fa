#include "enginetestsupport.h"

#include "kube/connectionsettings.h"
#include "kube/kubeconfig.h"
#include "kube/resourceapi.h"
#include "testsupport.h"

#include <QFile>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace driftdeck::engine::test {

namespace {

const kube::ResourceInfo kNamespaces{{}, u"v1"_s, u"Namespace"_s, u"namespaces"_s, false, {}};

template <typename T>
bool finished(const QFuture<T>& future) {
    return driftdeck::test::waitUntil([&] { return future.isFinished(); }, std::chrono::seconds(30)) &&
           future.resultCount() > 0;
}

// The running test's name (lower case) and a random suffix: a DNS label no earlier test against the
// same real server has used.
QString uniqueNamespace() {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const QString name = info ? QString::fromLatin1(info->name()).toLower() : u"engine"_s;
    return name.left(55) + u'-' +
           QString::number(QRandomGenerator::global()->bounded(0x1000000), 16).rightJustified(6, u'0');
}

} // namespace

bool TestFleet::start(int clusters, bool withUnreachable) {
    if (!m_repo.valid() || !m_dir.isValid())
        return false;
    QByteArray kubeconfig;
    if (driftdeck::test::onRealKube()) {
        if (clusters != 1) {
            ADD_FAILURE() << "TestFleet::start(" << clusters
                          << "): the real control plane is one cluster; a test with several clusters is "
                             "kubesim-only (filter it out in tests/realkube/CMakeLists.txt)";
            return false;
        }
        const Status attached = m_real.start();
        if (!attached.ok()) {
            ADD_FAILURE() << attached.error().toString().toStdString();
            return false;
        }
        m_names = {u"c0"_s};
        m_contexts = {m_real.adminContext()};
        m_kubeconfig = m_real.kubeconfigPath();
    } else {
        std::shared_ptr<const kubesim::CertificateBundle> certificates;
        QList<const kubesim::SimulatedCluster*> started;
        for (int i = 0; i < clusters; ++i) {
            kubesim::ClusterOptions options;
            options.name = u"c%1"_s.arg(i);
            options.certificates = certificates;
            auto cluster = std::make_unique<kubesim::SimulatedCluster>(options);
            if (!cluster->start().ok())
                return false;
            if (!certificates)
                certificates = std::make_shared<const kubesim::CertificateBundle>(cluster->certificates());
            started.append(cluster.get());
            m_names.append(options.name);
            m_contexts.append(options.name);
            m_clusters.push_back(std::move(cluster));
        }
        kubeconfig = kubesim::kubeconfigYaml(started);
        m_kubeconfig = m_dir.filePath(u"kubeconfig"_s);
        QFile file(m_kubeconfig);
        if (!file.open(QIODevice::WriteOnly))
            return false;
        file.write(kubeconfig);
        file.close();
    }
    if (withUnreachable) {
        // A second file in the KUBECONFIG list: a context whose server refuses every connection.
        const QString dead = m_dir.filePath(u"dead-kubeconfig"_s);
        QFile deadFile(dead);
        if (!deadFile.open(QIODevice::WriteOnly))
            return false;
        deadFile.write("apiVersion: v1\nkind: Config\nclusters:\n- name: dead\n  cluster:\n"
                       "    server: https://127.0.0.1:1\n    insecure-skip-tls-verify: true\n"
                       "users:\n- name: dead\n  user:\n    token: not-a-real-token\n"
                       "contexts:\n- name: dead\n  context:\n    cluster: dead\n    user: dead\n");
        m_kubeconfig += u':' + dead;
        m_unreachable = true;
    }
    if (!driftdeck::test::onRealKube()) {
        // Each kubesim is the test's own: its namespace default is too (and the UI tests' screens
        // show that name).
        m_ns = u"default"_s;
        return true;
    }
    return createNamespace();
}

bool TestFleet::createNamespace() {
    m_ns = uniqueNamespace();
    for (qsizetype i = 0; i < m_contexts.size(); ++i) {
        kube::ClusterClient* admin = client(int(i));
        QFuture<kube::ApiReply> created =
            admin ? admin->apply(kNamespaces, QJsonObject{{u"apiVersion"_s, u"v1"_s},
                                                          {u"kind"_s, u"Namespace"_s},
                                                          {u"metadata"_s, QJsonObject{{u"name"_s, m_ns}}}})
                  : QFuture<kube::ApiReply>();
        if (!admin || !finished(created) || !created.result().ok()) {
            ADD_FAILURE() << "cannot create the test's namespace " << m_ns.toStdString() << " on "
                          << m_names[i].toStdString();
            m_ns.clear();
            return false;
        }
    }
    return true;
}

// On the real server the namespace is deleted, and the fleet waits until it is gone: its objects
// carry tracking ids of application names the next test uses too (shop, blog), and an application
// sees the objects it tracks in every namespace. A kubesim goes with the fleet, namespace and all.
TestFleet::~TestFleet() {
    if (m_ns.isEmpty() || !driftdeck::test::onRealKube())
        return;
    kube::ClusterClient* admin = client(0);
    if (!admin)
        return;
    QFuture<kube::ApiReply> removed = admin->remove(kNamespaces, {}, m_ns);
    EXPECT_TRUE(finished(removed) && removed.result().ok()) << "namespace " << m_ns.toStdString();
    const QString path = u"/api/v1/namespaces/"_s + m_ns;
    EXPECT_TRUE(driftdeck::test::waitUntil(
        [&] {
            QFuture<kube::ApiReply> reply = admin->get(path);
            return finished(reply) && reply.result().httpStatus == 404;
        },
        std::chrono::seconds(120)))
        << "namespace " << m_ns.toStdString() << " still there 120 s after its deletion";
}

kubesim::SimulatedCluster* TestFleet::cluster(int index) const {
    return size_t(index) < m_clusters.size() ? m_clusters[size_t(index)].get() : nullptr;
}

QString TestFleet::corePath(const QString& rest) const {
    return u"/api/v1/namespaces/"_s + m_ns + u'/' + rest;
}

QString TestFleet::appsPath(const QString& rest) const {
    return u"/apis/apps/v1/namespaces/"_s + m_ns + u'/' + rest;
}

bool TestFleet::requireKubesim() const {
    EXPECT_FALSE(driftdeck::test::onRealKube())
        << "this test drives kubesim itself (faults, its store, several clusters); the realkube run "
           "must filter it out (tests/realkube/CMakeLists.txt)";
    return !driftdeck::test::onRealKube();
}

QList<QJsonObject> appObjects(const QString& name, const QString& value, int replicas) {
    const QJsonObject labels{{u"app"_s, name}};
    const QJsonObject container{{u"name"_s, u"web"_s},
                                {u"image"_s, u"nginx:1.25"_s},
                                {u"ports"_s, QJsonArray{QJsonObject{{u"containerPort"_s, 80}}}}};
    const QJsonObject deployment{
        {u"apiVersion"_s, u"apps/v1"_s},
        {u"kind"_s, u"Deployment"_s},
        {u"metadata"_s, QJsonObject{{u"name"_s, name}}},
        {u"spec"_s,
         QJsonObject{{u"replicas"_s, replicas},
                     {u"selector"_s, QJsonObject{{u"matchLabels"_s, labels}}},
                     {u"template"_s,
                      QJsonObject{{u"metadata"_s, QJsonObject{{u"labels"_s, labels}}},
                                  {u"spec"_s, QJsonObject{{u"containers"_s, QJsonArray{container}}}}}}}}};
    const QJsonObject service{
        {u"apiVersion"_s, u"v1"_s},
        {u"kind"_s, u"Service"_s},
        {u"metadata"_s, QJsonObject{{u"name"_s, name}}},
        {u"spec"_s,
         QJsonObject{{u"selector"_s, labels},
                     {u"ports"_s, QJsonArray{QJsonObject{{u"port"_s, 80}, {u"targetPort"_s, 80}}}}}}};
    const QJsonObject config{{u"apiVersion"_s, u"v1"_s},
                             {u"kind"_s, u"ConfigMap"_s},
                             {u"metadata"_s, QJsonObject{{u"name"_s, QString(name + u"-config"_s)}}},
                             {u"data"_s, QJsonObject{{u"greeting"_s, value}}}};
    return {deployment, service, config};
}

void TestFleet::writeApp(const QString& name, const QString& value, int replicas) {
    const QList<QJsonObject> objects = appObjects(name, value, replicas);
    const QStringList files{u"deployment.yaml"_s, u"service.yaml"_s, u"config.yaml"_s};
    for (qsizetype i = 0; i < objects.size(); ++i)
        m_repo.write(u"apps/%1/%2"_s.arg(name, files[i]), QJsonDocument(objects[i]).toJson());
}

AppSpec TestFleet::appSpec(const QString& name, const QString& cluster) const {
    AppSpec spec;
    spec.name = name;
    spec.repo = u"fleet"_s;
    spec.path = u"apps/"_s + name;
    spec.targetRevision = u"main"_s;
    spec.cluster = cluster;
    spec.ns = m_ns;
    spec.renderer.type = RendererSpec::Type::Plain;
    return spec;
}

workspace::Workspace TestFleet::workspace(const QList<AppSpec>& apps) const {
    workspace::Workspace ws;
    for (qsizetype i = 0; i < m_names.size(); ++i)
        ws.clusters.append(ClusterSpec{m_names[i], m_contexts[i], {}});
    if (m_unreachable)
        ws.clusters.append(ClusterSpec{u"dead"_s, u"dead"_s, {}});
    RepoSpec repo;
    repo.name = u"fleet"_s;
    repo.url = m_repo.remoteUrl();
    repo.branch = u"main"_s;
    ws.repositories.append(repo);
    ws.applications = apps;
    return ws;
}

EngineSettings TestFleet::settings() const {
    EngineSettings settings;
    settings.kubeconfigPath = m_kubeconfig;
    settings.gitCacheRoot = m_dir.filePath(u"git-cache"_s);
    settings.discoveryCacheRoot = m_dir.filePath(u"discovery-cache"_s);
    settings.interval = std::chrono::hours(1); // tests trigger reconciles themselves
    settings.healthTimeout = std::chrono::seconds(60);
    return settings;
}

kube::ClusterClient* TestFleet::client(int index) {
    if (m_clients.size() <= size_t(index))
        m_clients.resize(size_t(index) + 1);
    if (!m_clients[size_t(index)]) {
        auto config = kube::loadKubeconfig({m_kubeconfig.section(u':', 0, 0)});
        if (!config.ok())
            return nullptr;
        if (index >= m_contexts.size())
            return nullptr;
        auto settings = kube::connectionSettings(*config, m_contexts[index]);
        if (!settings.ok())
            return nullptr;
        m_clients[size_t(index)] = std::make_unique<kube::ClusterClient>(*settings);
    }
    return m_clients[size_t(index)].get();
}

bool waitForSnapshot(const Engine& engine, const std::function<bool(const FleetSnapshot&)>& done,
                     std::chrono::milliseconds timeout) {
    return driftdeck::test::waitUntil([&] { return done(*engine.snapshot()); }, timeout);
}

bool applyAs(kube::ClusterClient* client, const QJsonObject& object, const QString& manager) {
    kube::ResourceInfo info;
    const QString apiVersion = object.value(u"apiVersion").toString();
    info.group = apiVersion.contains(u'/') ? apiVersion.section(u'/', 0, 0) : QString();
    info.version = apiVersion.section(u'/', -1);
    info.kind = object.value(u"kind").toString();
    info.resource = info.kind.toLower() + u's';
    kube::ApplyOptions options;
    options.fieldManager = manager;
    options.force = true;
    QFuture<kube::ApiReply> reply = client->apply(info, object, options);
    driftdeck::test::waitUntil([&] { return reply.isFinished(); }, std::chrono::seconds(20));
    return reply.isFinished() && reply.result().ok();
}

} // namespace driftdeck::engine::test
