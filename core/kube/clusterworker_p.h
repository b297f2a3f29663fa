#pragma once

#include "kube/apitypes.h"
#include "kube/connectionsettings.h"
#include "kube/credentialsource.h"
#include "kube/ratelimiter.h"
#include "kube/redaction.h"

#include <QHash>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QTimer;

namespace driftdeck::kube {

// The half of a ClusterClient that lives on the cluster's own thread: its QNetworkAccessManager,
// rate limiter and credentials. Every member function runs on that thread.
class ClusterWorker : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(ApiReply)>;

    ClusterWorker(ConnectionSettings settings, std::shared_ptr<SecretRegistry> secrets);
    ~ClusterWorker() override;

    const ConnectionSettings& settings() const { return m_settings; }
    // The client's credentials, for redacting whatever leaves this cluster's code.
    const SecretRegistry& secrets() const { return *m_secrets; }

    // Runs a request with rate limiting, retries and timeouts; `done` is called exactly once on this
    // thread (also for cancel()). Returns an id for cancel().
    quint64 execute(ApiRequest request, Done done);
    void cancel(quint64 id);

    // For long-lived streams (watch): a reply on `nam`, with credentials and TLS settings applied
    // and no timeout, handed to `started` with the credential generation it was sent with — at once,
    // or once an exec plugin has answered. The caller owns the reply and turns it into an ApiReply
    // with replyFromNetwork(). `started` is not called after `context` is destroyed.
    using StreamStarted = std::function<void(Result<QNetworkReply*>, quint64 generation)>;
    void startStream(const ApiRequest& request, QNetworkAccessManager* nam, QObject* context,
                     StreamStarted started);
    // Time to wait for the rate limiter before starting a request or a stream (none once the server
    // has shown API Priority and Fairness and the settings defer to it).
    std::chrono::milliseconds reserveToken();
    // After a 401 on a stream sent with `generation`: true when new credentials may help.
    bool invalidateCredentials(quint64 generation) { return m_credentials.invalidate(generation); }
    int pluginRuns() const { return m_credentials.pluginRuns(); }
    // A failed finished reply as an ApiReply (error set), or a successful one (error empty).
    ApiReply replyFromNetwork(QNetworkReply* reply, const ApiRequest& request, bool timedOut) const;
    QString describe(const ApiRequest& request) const;

private:
    struct Pending;
    void schedule(const std::shared_ptr<Pending>& pending, std::chrono::milliseconds delay);
    void startAttempt(const std::shared_ptr<Pending>& pending);
    void sendAttempt(const std::shared_ptr<Pending>& pending, const Credential& credential);
    void onFinished(const std::shared_ptr<Pending>& pending);
    void finish(const std::shared_ptr<Pending>& pending, ApiReply reply);
    Result<QNetworkReply*> send(const ApiRequest& request, const Credential& credential,
                                QNetworkAccessManager* nam);
    QNetworkAccessManager* nam();
    // Later requests use a new QNetworkAccessManager, so a new connection.
    void retireConnections();

    ConnectionSettings m_settings;
    std::shared_ptr<SecretRegistry> m_secrets;
    CredentialSource m_credentials;
    RateLimiter m_limiter;
    bool m_serverFlowControl = false; // a reply carried X-Kubernetes-PF-* headers
    QNetworkAccessManager* m_nam = nullptr;
    QHash<quint64, std::shared_ptr<Pending>> m_pending;
    quint64 m_nextId = 1;
};

} // namespace driftdeck::kube
