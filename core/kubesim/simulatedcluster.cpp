#include "kubesim/simulatedcluster.h"

#include "kubesim/apiserver.h"
#include "kubesim/garbagecollector.h"
#include "kubesim/objectstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QThread>

namespace driftdeck::kubesim {

struct SimulatedCluster::Runtime {
    QThread thread;
    QObject* context = nullptr; // lives on `thread`; a target for queued calls
    ObjectStore* store = nullptr;
    ApiServer* server = nullptr;
    ClusterControllers* controllers = nullptr;
    GarbageCollector* collector = nullptr;
};

SimulatedCluster::SimulatedCluster(ClusterOptions options)
    : m_options(std::move(options)) {
    // Credentials exist from construction, so clients and kubeconfigs can be prepared before start().
    if (!m_options.certificates) {
        Result<CertificateBundle> generated = CertificateBundle::generate();
        if (generated)
            m_options.certificates = std::make_shared<const CertificateBundle>(*generated);
        else
            m_setupError = generated.error();
    }
    if (m_options.viewerToken.isEmpty()) {
        QByteArray random(24, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(random.data()), random.size() / 4);
        m_options.viewerToken = random.toHex();
    }
}

SimulatedCluster::~SimulatedCluster() {
    stop();
}

bool SimulatedCluster::running() const {
    return m_runtime != nullptr;
}

QUrl SimulatedCluster::serverUrl() const {
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    url.setHost(m_options.address.protocol() == QAbstractSocket::IPv6Protocol ? m_options.address.toString()
                                                                              : QStringLiteral("127.0.0.1"));
    url.setPort(m_port);
    return url;
}

QUrl SimulatedCluster::faultsUrl() const {
    QUrl url = serverUrl();
    url.setPath(QStringLiteral("/kubesim/faults"));
    return url;
}

Status SimulatedCluster::start() {
    if (m_runtime)
        return success();
    if (!m_options.certificates)
        return m_setupError;
    auto runtime = std::make_unique<Runtime>();
    runtime->thread.setObjectName(QStringLiteral("kubesim-") + m_options.name);
    runtime->context = new QObject;
    runtime->context->moveToThread(&runtime->thread);
    runtime->thread.start();
    QString error;
    bool ok = false;
    Runtime* rt = runtime.get();
    QMetaObject::invokeMethod(
        rt->context,
        [&]() {
            rt->store = new ObjectStore;
            if (m_options.runControllers) {
                ControllerOptions controllerOptions = m_options.controllers;
                controllerOptions.rootCaCertificate = m_options.certificates->caCertificate;
                rt->controllers = new ClusterControllers(*rt->store, controllerOptions);
                rt->collector = new GarbageCollector(*rt->store);
            }
            rt->server = new ApiServer(rt->store, *m_options.certificates, m_options.viewerToken);
            rt->server->setFaults(m_options.faults);
            ok = rt->server->listen(m_options.address, m_options.port, &error);
            if (ok)
                m_port = rt->server->port();
        },
        Qt::BlockingQueuedConnection);
    m_runtime = std::move(runtime);
    if (!ok) {
        stop();
        return Error::make(Error::Code::Unavailable,
                           QStringLiteral("kubesim %1 could not listen on port %2: %3")
                               .arg(m_options.name)
                               .arg(m_options.port)
                               .arg(error));
    }
    return success();
}

void SimulatedCluster::stop() {
    if (!m_runtime)
        return;
    Runtime* rt = m_runtime.get();
    QMetaObject::invokeMethod(
        rt->context,
        [rt]() {
            delete rt->server;
            delete rt->collector;
            delete rt->controllers;
            delete rt->store;
            rt->server = nullptr;
            rt->store = nullptr;
            delete rt->context;
        },
        Qt::BlockingQueuedConnection);
    rt->thread.quit();
    rt->thread.wait();
    m_runtime.reset();
}

void SimulatedCluster::setFaults(const FaultSettings& faults) {
    m_options.faults = faults;
    if (!m_runtime)
        return;
    Runtime* rt = m_runtime.get();
    QMetaObject::invokeMethod(
        rt->context, [rt, faults]() { rt->server->setFaults(faults); }, Qt::BlockingQueuedConnection);
}

void SimulatedCluster::withStore(const std::function<void(ObjectStore&)>& fn) {
    if (!m_runtime)
        return;
    Runtime* rt = m_runtime.get();
    QMetaObject::invokeMethod(
        rt->context, [rt, &fn]() { fn(*rt->store); }, Qt::BlockingQueuedConnection);
}

QByteArray kubeconfigYaml(const QList<const SimulatedCluster*>& clusters) {
    QJsonArray clusterEntries;
    QJsonArray contexts;
    for (const SimulatedCluster* cluster : clusters) {
        clusterEntries.append(QJsonObject{
            {QStringLiteral("name"), cluster->name()},
            {QStringLiteral("cluster"),
             QJsonObject{{QStringLiteral("server"), cluster->serverUrl().toString()},
                         {QStringLiteral("certificate-authority-data"),
                          QString::fromLatin1(cluster->certificates().caCertificate.toBase64())}}}});
        for (const char* user : {"admin", "viewer"}) {
            const QString userName = QString::fromLatin1(user);
            const QString contextName = userName == QLatin1String("admin")
                                            ? cluster->name()
                                            : cluster->name() + QStringLiteral("-viewer");
            contexts.append(
                QJsonObject{{QStringLiteral("name"), contextName},
                            {QStringLiteral("context"),
                             QJsonObject{{QStringLiteral("cluster"), cluster->name()},
                                         {QStringLiteral("user"), userName},
                                         {QStringLiteral("namespace"), QStringLiteral("default")}}}});
        }
    }
    QJsonArray users;
    if (!clusters.isEmpty()) {
        const SimulatedCluster* first = clusters.first();
        users.append(
            QJsonObject{{QStringLiteral("name"), QStringLiteral("admin")},
                        {QStringLiteral("user"),
                         QJsonObject{{QStringLiteral("client-certificate-data"),
                                      QString::fromLatin1(first->certificates().adminCertificate.toBase64())},
                                     {QStringLiteral("client-key-data"),
                                      QString::fromLatin1(first->certificates().adminKey.toBase64())}}}});
        users.append(
            QJsonObject{{QStringLiteral("name"), QStringLiteral("viewer")},
                        {QStringLiteral("user"),
                         QJsonObject{{QStringLiteral("token"), QString::fromLatin1(first->viewerToken())}}}});
    }
    const QJsonObject config{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Config")},
        {QStringLiteral("preferences"), QJsonObject()},
        {QStringLiteral("clusters"), clusterEntries},
        {QStringLiteral("users"), users},
        {QStringLiteral("contexts"), contexts},
        {QStringLiteral("current-context"), clusters.isEmpty() ? QString() : clusters.first()->name()}};
    // JSON is YAML: kubectl and client libraries read it as a kubeconfig.
    return QJsonDocument(config).toJson(QJsonDocument::Indented);
}

} // namespace driftdeck::kubesim
