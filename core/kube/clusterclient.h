#pragma once

#include "kube/apitypes.h"
#include "kube/connectionsettings.h"
#include "kube/redaction.h"
#include "kube/resourceapi.h"

#include <QFuture>
#include <QObject>

#include <memory>

class QThread;

namespace driftdeck::kube {

class ClusterWorker;

// One cluster's connection. Requests run on the cluster's own thread with its own
// QNetworkAccessManager, so a slow or failing cluster never stalls the caller or another cluster.
// send() and the write helpers may be called from any thread; results arrive through the QFuture
// (use QFutureWatcher or QFuture::then with a context object to get them on your thread).
// Cancelling the future aborts the request.
class ClusterClient : public QObject {
    Q_OBJECT
public:
    explicit ClusterClient(ConnectionSettings settings, QObject* parent = nullptr);
    ~ClusterClient() override;

    const ConnectionSettings& settings() const { return m_settings; }
    // This client's credentials; its errors are redacted with them (and only with them).
    const SecretRegistry& secrets() const { return *m_secrets; }
    QString name() const { return m_settings.contextName; }

    QFuture<ApiReply> send(ApiRequest request);
    QFuture<ApiReply> get(const QString& path, const QUrlQuery& query = {});

    QFuture<ApiReply> apply(const ResourceInfo& info, const QJsonObject& object,
                            const ApplyOptions& options = {});
    QFuture<ApiReply> remove(const ResourceInfo& info, const QString& ns, const QString& name,
                             const DeleteOptions& options = {});
    QFuture<ApiReply> mergePatch(const ResourceInfo& info, const QString& ns, const QString& name,
                                 const QJsonObject& patch, bool dryRun = false);

    // The worker thread and its object, for components that run beside the requests (LiveCache).
    QThread* workerThread() const { return m_thread; }
    ClusterWorker* worker() const { return m_worker; }

private:
    ConnectionSettings m_settings;
    std::shared_ptr<SecretRegistry> m_secrets;
    QThread* m_thread = nullptr;
    ClusterWorker* m_worker = nullptr;
};

} // namespace driftdeck::kube
