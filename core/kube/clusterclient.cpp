#include "kube/clusterclient.h"

#include "kube/clusterworker_p.h"
#include "kube/redaction.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QThread>

#include <memory>

namespace driftdeck::kube {

namespace {

// What the settings already hold; credentials loaded later are added by CredentialSource.
std::shared_ptr<SecretRegistry> secretsOf(const ConnectionSettings& settings) {
    auto secrets = std::make_shared<SecretRegistry>();
    secrets->add(settings.user.token);
    secrets->add(settings.user.password);
    secrets->add(settings.user.clientKeyData);
    if (settings.proxy)
        secrets->add(SecretString(settings.proxy->password()));
    return secrets;
}

} // namespace

ClusterClient::ClusterClient(ConnectionSettings settings, QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_secrets(secretsOf(m_settings)) {
    qRegisterMetaType<ApiReply>();
    m_thread = new QThread();
    m_thread->setObjectName(QStringLiteral("cluster:") + m_settings.contextName.left(7));
    m_worker = new ClusterWorker(m_settings, m_secrets);
    m_worker->moveToThread(m_thread);
    // The worker (and everything parented to it: replies, live caches) dies on its own thread.
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

ClusterClient::~ClusterClient() {
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

QFuture<ApiReply> ClusterClient::send(ApiRequest request) {
    auto promise = std::make_shared<QPromise<ApiReply>>();
    promise->start();
    QFuture<ApiReply> future = promise->future();
    ClusterWorker* worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker, promise, request = std::move(request)]() mutable {
            if (promise->isCanceled()) {
                promise->finish();
                return;
            }
            const quint64 id = worker->execute(std::move(request), [promise](ApiReply reply) {
                promise->addResult(std::move(reply));
                promise->finish();
            });
            // Cancelling the caller's future aborts the request on this thread.
            auto* watcher = new QFutureWatcher<ApiReply>(worker);
            QObject::connect(watcher, &QFutureWatcherBase::canceled, worker,
                             [worker, id] { worker->cancel(id); });
            QObject::connect(watcher, &QFutureWatcherBase::finished, watcher, &QObject::deleteLater);
            watcher->setFuture(promise->future());
        },
        Qt::QueuedConnection);
    return future;
}

QFuture<ApiReply> ClusterClient::get(const QString& path, const QUrlQuery& query) {
    ApiRequest r;
    r.path = path;
    r.query = query;
    return send(std::move(r));
}

QFuture<ApiReply> ClusterClient::apply(const ResourceInfo& info, const QJsonObject& object,
                                       const ApplyOptions& options) {
    return send(applyRequest(info, object, options));
}

QFuture<ApiReply> ClusterClient::remove(const ResourceInfo& info, const QString& ns, const QString& name,
                                        const DeleteOptions& options) {
    return send(deleteRequest(info, ns, name, options));
}

QFuture<ApiReply> ClusterClient::mergePatch(const ResourceInfo& info, const QString& ns, const QString& name,
                                            const QJsonObject& patch, bool dryRun) {
    return send(mergePatchRequest(info, ns, name, patch, dryRun));
}

} // namespace driftdeck::kube
