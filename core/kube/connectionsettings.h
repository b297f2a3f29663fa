#pragma once

#include "kube/kubeconfig.h"
#include "model/error.h"

#include <QNetworkProxy>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

namespace driftdeck::kube {

// Everything needed to talk to one cluster, taken from one kubeconfig context. Credentials stay in
// `user` (paths and data as the kubeconfig gave them) and are loaded by CredentialSource on use.
struct ConnectionSettings {
    QString contextName;
    QString clusterName;
    QString userName;
    QString ns; // the context's namespace, "default" when unset

    QUrl server;
    QList<QSslCertificate> caCertificates; // empty: the system's trust store
    QByteArray caData;                     // PEM as configured, for exec plugins' cluster info
    bool insecureSkipTlsVerify = false;    // exposed so the UI can warn about it
    QString tlsServerName;
    std::optional<QNetworkProxy> proxy;
    KubeUser user;

    // Client-side limits, as client-go's defaults for kubectl-like tools — until the server shows
    // (X-Kubernetes-PF-* headers on a reply) that API Priority and Fairness protects it: then the
    // client defers to it, as SIG API Machinery recommends for 1.22 and later, and 429 answers with
    // Retry-After do the limiting. False: always limit on the client.
    double qps = 50;
    int burst = 300; // kubectl's burst: a sync of a few hundred objects is not throttled
    bool deferToServerFlowControl = true;
    std::chrono::milliseconds requestTimeout{30000};
    int maxRetries = 5;
    // Watches ask the server to end them after a random time in [watchTimeoutMin, watchTimeoutMax]
    // (client-go's reflector: 5-10 minutes), which spreads reconnects. A watch that has delivered
    // nothing, bookmarks included, for its timeout plus watchIdleGrace is on a half-open connection
    // (a laptop that slept, a dropped VPN, an expired NAT entry): it is aborted and resumed.
    std::chrono::seconds watchTimeoutMin{300};
    std::chrono::seconds watchTimeoutMax{600};
    std::chrono::milliseconds watchIdleGrace{30000};
    // Limits on what is read from the server. Lists come in pages of 500 objects and one object is
    // at most ~1.5 MiB in etcd, so these are generous; more is a broken or hostile server.
    qint64 maxReplyBytes = 64 * 1024 * 1024;      // one reply body
    qint64 maxWatchEventBytes = 16 * 1024 * 1024; // one watch event (one line of the stream)

    // "context (https://host:port)" without credentials, for messages.
    QString displayName() const;
};

// Builds the settings of `context` (the current context when empty). Errors: unknown context,
// cluster or user; missing server; unreadable CA; a CA together with insecure-skip-tls-verify; a
// legacy auth-provider (named with the exec plugin that replaces it); an unsupported proxy scheme.
Result<ConnectionSettings> connectionSettings(const Kubeconfig& config, const QString& context = {});

// http:// and socks5:// proxy URLs. kubectl also accepts https:// proxies, but Qt cannot speak TLS to
// a proxy: such a URL is refused rather than silently used as a plaintext proxy.
Result<QNetworkProxy> proxyFromUrl(const QString& url);

// Settings no request may be sent with: a CA together with insecure-skip-tls-verify (client-go refuses
// the combination, since the flag would silently discard the CA).
Status validateTls(const ConnectionSettings& settings);

} // namespace driftdeck::kube
