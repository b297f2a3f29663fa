#include "kube/clusterworker_p.h"
#include "kube/redaction.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace driftdeck::kube {

namespace {

const char* const kTlsProperty = "driftdeckTlsProblem";
const char* const kTooLargeProperty = "driftdeckTooLarge";

QString tlsProblem(const QList<QSslError>& errors, const ConnectionSettings& settings) {
    for (const QSslError& e : errors) {
        switch (e.error()) {
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::CertificateUntrusted:
        case QSslError::CertificateSignatureFailed:
            return QStringLiteral(
                "the server's certificate is not signed by the cluster's certificate-authority; "
                "check certificate-authority in your kubeconfig");
        case QSslError::HostNameMismatch:
            return QStringLiteral("the server's certificate is not valid for the name \"") +
                   (settings.tlsServerName.isEmpty() ? settings.server.host() : settings.tlsServerName) +
                   QStringLiteral("\"; check server and tls-server-name in your kubeconfig");
        case QSslError::CertificateExpired:
        case QSslError::CertificateNotYetValid:
            return QStringLiteral("the server's certificate has expired or is not yet valid");
        default:
            break;
        }
    }
    return errors.isEmpty() ? QString() : errors.first().errorString();
}

} // namespace

struct ClusterWorker::Pending {
    quint64 id = 0;
    ApiRequest request;
    Done done;
    int attempt = 0;
    bool authRefreshed = false;
    bool timedOut = false;
    bool cancelled = false;
    quint64 generation = 0; // of the credential the current attempt was sent with
    QPointer<QNetworkReply> reply;
    QPointer<QTimer> timer;
    QElapsedTimer clock;
    std::chrono::milliseconds throttled{0}; // held back by the client-side limiter, all attempts
};

ClusterWorker::ClusterWorker(ConnectionSettings settings, std::shared_ptr<SecretRegistry> secrets)
    : m_settings(std::move(settings))
    , m_secrets(std::move(secrets))
    , m_credentials(m_settings, m_secrets)
    , m_limiter(m_settings.qps, m_settings.burst) {}

ClusterWorker::~ClusterWorker() {
    // Whoever still waits hears about it instead of waiting forever.
    const auto pending = m_pending.values();
    m_pending.clear();
    for (const auto& p : pending) {
        if (p->reply)
            p->reply->disconnect(this);
        ApiReply reply;
        reply.error = kubeError(Error::Code::Cancelled,
                                m_settings.contextName + QStringLiteral(": ") + describe(p->request) +
                                    QStringLiteral(": the cluster connection was closed"));
        if (p->done)
            p->done(reply);
    }
}

QNetworkAccessManager* ClusterWorker::nam() {
    if (!m_nam) {
        m_nam = new QNetworkAccessManager(this);
        if (m_settings.proxy)
            m_nam->setProxy(*m_settings.proxy);
    }
    return m_nam;
}

void ClusterWorker::retireConnections() {
    QNetworkAccessManager* old = std::exchange(m_nam, nullptr);
    if (!old)
        return;
    // Its replies still in flight finish on the old connection; it goes when the last one has.
    auto deleteWhenIdle = [old] {
        if (old->findChildren<QNetworkReply*>().isEmpty())
            old->deleteLater();
    };
    for (QNetworkReply* reply : old->findChildren<QNetworkReply*>())
        connect(reply, &QObject::destroyed, old, [old, deleteWhenIdle] {
            QTimer::singleShot(0, old, deleteWhenIdle); // once the reply has left the children
        });
    deleteWhenIdle();
}

QString ClusterWorker::describe(const ApiRequest& request) const {
    return QString::fromLatin1(request.method) + QLatin1Char(' ') + request.path;
}

quint64 ClusterWorker::execute(ApiRequest request, Done done) {
    auto p = std::make_shared<Pending>();
    p->id = m_nextId++;
    p->request = std::move(request);
    p->done = std::move(done);
    p->clock.start();
    m_pending.insert(p->id, p);
    schedule(p, std::chrono::milliseconds(0));
    return p->id;
}

void ClusterWorker::cancel(quint64 id) {
    const auto p = m_pending.value(id);
    if (!p)
        return;
    p->cancelled = true;
    if (p->reply) {
        p->reply->abort(); // finished() follows and reports the cancellation
        return;
    }
    ApiReply reply;
    reply.attempts = p->attempt;
    reply.error = kubeError(Error::Code::Cancelled, m_settings.contextName + QStringLiteral(": ") +
                                                        describe(p->request) + QStringLiteral(": cancelled"));
    finish(p, reply);
}

std::chrono::milliseconds ClusterWorker::reserveToken() {
    if (m_serverFlowControl && m_settings.deferToServerFlowControl)
        return std::chrono::milliseconds(0);
    return m_limiter.reserve();
}

void ClusterWorker::schedule(const std::shared_ptr<Pending>& p, std::chrono::milliseconds delay) {
    const auto throttle = reserveToken();
    p->throttled += std::max(throttle, std::chrono::milliseconds(0));
    const auto total = delay + throttle;
    if (total.count() <= 0) {
        startAttempt(p);
        return;
    }
    auto* timer = new QTimer(this);
    timer->setSingleShot(true);
    p->timer = timer;
    connect(timer, &QTimer::timeout, this, [this, p, timer] {
        timer->deleteLater();
        if (m_pending.contains(p->id))
            startAttempt(p);
    });
    timer->start(total);
}

Result<QNetworkReply*> ClusterWorker::send(const ApiRequest& request, const Credential& credential,
                                           QNetworkAccessManager* manager) {
    if (auto tls = validateTls(m_settings); !tls)
        return tls.error();
    QUrl url = m_settings.server;
    // request.path is already percent-encoded segment by segment (resourceapi.cpp): hand it over as
    // encoded text. The default DecodedMode would encode its '%' again ("system%253Aadmin").
    QString base = url.path(QUrl::FullyEncoded);
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + request.path, QUrl::TolerantMode);
    url.setQuery(request.query);
    QNetworkRequest req(url);
    req.setRawHeader("Accept", "application/json");
    req.setRawHeader("User-Agent", "driftdeck/0.1");
    if (!request.body.isEmpty() || request.method == "POST" || request.method == "PUT" ||
        request.method == "PATCH")
        req.setRawHeader("Content-Type", request.contentType.isEmpty() ? QByteArray("application/json")
                                                                       : request.contentType);
    if (!credential.bearerToken.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + credential.bearerToken.reveal());
    else if (!credential.username.isEmpty())
        req.setRawHeader(
            "Authorization",
            "Basic " +
                QByteArray(credential.username.toUtf8() + ':' + credential.password.reveal()).toBase64());
    if (url.scheme() == QLatin1String("https")) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        if (!m_settings.caCertificates.isEmpty())
            ssl.setCaCertificates(m_settings.caCertificates);
        if (m_settings.insecureSkipTlsVerify)
            ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
        if (!credential.clientCertificate.isNull()) {
            ssl.setLocalCertificate(credential.clientCertificate);
            ssl.setPrivateKey(credential.clientKey);
        }
        req.setSslConfiguration(ssl);
        if (!m_settings.tlsServerName.isEmpty())
            req.setPeerVerifyName(m_settings.tlsServerName);
    }
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply* reply = manager->sendCustomRequest(req, request.method, request.body);
    const ConnectionSettings* settings = &m_settings;
    if (!request.path.isEmpty() && !request.query.hasQueryItem(QStringLiteral("watch"))) {
        // A stream (watch) is read line by line and limited per event by its reader instead.
        const qint64 limit = m_settings.maxReplyBytes;
        connect(reply, &QNetworkReply::downloadProgress, reply, [reply, limit](qint64 received, qint64) {
            if (received > limit && !reply->property(kTooLargeProperty).toBool()) {
                reply->setProperty(kTooLargeProperty, true);
                reply->abort();
            }
        });
    }
    connect(reply, &QNetworkReply::sslErrors, reply, [reply, settings](const QList<QSslError>& errors) {
        reply->setProperty(kTlsProperty, tlsProblem(errors, *settings));
    });
    return reply;
}

void ClusterWorker::startStream(const ApiRequest& request, QNetworkAccessManager* manager, QObject* context,
                                StreamStarted started) {
    if (m_settings.proxy)
        manager->setProxy(*m_settings.proxy);
    QPointer<QObject> alive(context);
    m_credentials.acquire([this, alive, request, manager, started](Result<Credential> credential) {
        if (!alive)
            return;
        if (!credential)
            return started(m_secrets->redact(credential.error()), 0);
        auto reply = send(request, *credential, manager);
        if (!reply)
            return started(m_secrets->redact(reply.error()), credential->generation);
        started(*reply, credential->generation);
    });
}

void ClusterWorker::startAttempt(const std::shared_ptr<Pending>& p) {
    if (p->cancelled)
        return;
    ++p->attempt;
    p->timedOut = false;
    // Usually at once; after a 401 or an expiry, once the exec plugin has answered (meanwhile this
    // thread serves other requests and watches).
    m_credentials.acquire([this, p](Result<Credential> credential) {
        if (p->cancelled || !m_pending.contains(p->id))
            return; // cancel() has already answered
        if (!credential) {
            ApiReply failed;
            failed.attempts = p->attempt;
            failed.error = credential.error();
            finish(p, failed);
            return;
        }
        p->generation = credential->generation;
        sendAttempt(p, *credential);
    });
}

void ClusterWorker::sendAttempt(const std::shared_ptr<Pending>& p, const Credential& credential) {
    auto reply = send(p->request, credential, nam());
    if (!reply) {
        ApiReply failed;
        failed.attempts = p->attempt;
        failed.error = reply.error();
        finish(p, failed);
        return;
    }
    p->reply = *reply;
    connect(*reply, &QNetworkReply::finished, this, [this, p] { onFinished(p); });
    const auto timeout = p->request.timeout.value_or(m_settings.requestTimeout);
    if (timeout.count() > 0) {
        auto* timer = new QTimer(*reply); // dies with the reply
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, this, [p] {
            p->timedOut = true;
            if (p->reply)
                p->reply->abort();
        });
        timer->start(timeout);
    }
}

ApiReply ClusterWorker::replyFromNetwork(QNetworkReply* reply, const ApiRequest& request,
                                         bool timedOut) const {
    ApiReply out;
    out.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.http2 = reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool();
    out.serverFlowControl = reply->hasRawHeader("X-Kubernetes-PF-PriorityLevel-UID") ||
                            reply->hasRawHeader("X-Kubernetes-PF-FlowSchema-UID");
    const QString where = m_settings.contextName + QStringLiteral(": ") + describe(request);
    if (reply->property(kTooLargeProperty).toBool()) {
        out.httpStatus = 0;
        out.error = kubeError(Error::Code::TooLarge,
                              where + QStringLiteral(": the reply is larger than the limit of ") +
                                  byteSize(m_settings.maxReplyBytes) +
                                  QStringLiteral(" (maxReplyBytes); the request was stopped"));
        return out;
    }
    out.body = reply->readAll();
    if (timedOut) {
        out.httpStatus = 0;
        out.error =
            kubeError(Error::Code::Unavailable,
                      where + QStringLiteral(": no answer within ") +
                          QString::number(request.timeout.value_or(m_settings.requestTimeout).count()) +
                          QStringLiteral(" ms from ") + m_settings.displayName());
        return out;
    }
    if (out.httpStatus == 0) {
        const QString tls = reply->property(kTlsProperty).toString();
        if (!tls.isEmpty() || reply->error() == QNetworkReply::SslHandshakeFailedError) {
            out.error =
                kubeError(Error::Code::Unavailable, QStringLiteral("TLS verification failed for cluster ") +
                                                        m_settings.displayName() + QStringLiteral(": ") +
                                                        (tls.isEmpty() ? reply->errorString() : tls));
        } else {
            out.error = kubeError(Error::Code::Unavailable, QStringLiteral("cannot reach cluster ") +
                                                                m_settings.displayName() +
                                                                QStringLiteral(": ") + reply->errorString());
        }
        return out;
    }
    if (out.httpStatus >= 200 && out.httpStatus < 300)
        return out;
    if (auto status = ApiStatus::parse(out.body))
        out.status = *status;
    out.retryAfterSeconds = reply->rawHeader("Retry-After").trimmed().toInt();
    if (out.retryAfterSeconds == 0)
        out.retryAfterSeconds = out.status.retryAfterSeconds;
    out.error = m_secrets->redact(
        errorForStatus(out.httpStatus, out.status, m_settings.contextName, describe(request)));
    return out;
}

void ClusterWorker::onFinished(const std::shared_ptr<Pending>& p) {
    QNetworkReply* reply = p->reply;
    if (!reply)
        return;
    reply->deleteLater();
    p->reply = nullptr;
    if (p->cancelled) {
        ApiReply cancelled;
        cancelled.attempts = p->attempt;
        cancelled.error =
            kubeError(Error::Code::Cancelled, m_settings.contextName + QStringLiteral(": ") +
                                                  describe(p->request) + QStringLiteral(": cancelled"));
        finish(p, cancelled);
        return;
    }
    ApiReply out = replyFromNetwork(reply, p->request, p->timedOut);
    out.attempts = p->attempt;
    if (out.serverFlowControl && !m_serverFlowControl) {
        m_serverFlowControl = true;
        if (m_settings.deferToServerFlowControl)
            qCDebug(lcKube).noquote()
                << m_settings.contextName
                << QStringLiteral("has API Priority and Fairness: no client-side rate limit");
    }
    qCDebug(lcKube).noquote() << m_secrets->redact(
        m_settings.contextName + QStringLiteral(" ") + describe(p->request) + QStringLiteral(" -> ") +
        QString::number(out.httpStatus) + QStringLiteral(" attempt ") + QString::number(p->attempt));
    if (out.ok()) {
        finish(p, out);
        return;
    }
    // kube-apiserver ends an HTTP/2 connection that failed authentication with GOAWAY, and Qt 6.4
    // stalls requests started on it before it closes: later requests take a new connection.
    if (out.httpStatus == 401 && out.http2)
        retireConnections();
    if (out.httpStatus == 401 && !p->authRefreshed && m_credentials.invalidate(p->generation)) {
        p->authRefreshed = true; // one fresh credential per request, then the 401 stands
        schedule(p, std::chrono::milliseconds(0));
        return;
    }
    const bool tlsFailure = out.httpStatus == 0 && !reply->property(kTlsProperty).toString().isEmpty();
    const bool tooLarge = reply->property(kTooLargeProperty).toBool(); // would only be that large again
    const bool transient =
        !tooLarge &&
        (out.httpStatus == 429 ||
         (p->request.isIdempotent() && (out.httpStatus >= 500 || (out.httpStatus == 0 && !tlsFailure))));
    const int maxRetries = p->request.maxRetries >= 0 ? p->request.maxRetries : m_settings.maxRetries;
    if (transient && p->attempt <= maxRetries) {
        auto delay =
            Backoff::delay(p->attempt - 1, std::chrono::milliseconds(200), std::chrono::seconds(10), 0.5);
        if (out.retryAfterSeconds > 0)
            delay = std::max(delay, std::chrono::milliseconds(std::min(out.retryAfterSeconds, 60) * 1000));
        qCInfo(lcKube).noquote() << m_secrets->redact(out.error->message + QStringLiteral("; retrying in ") +
                                                      QString::number(delay.count()) + QStringLiteral(" ms"));
        schedule(p, delay);
        return;
    }
    finish(p, out);
}

void ClusterWorker::finish(const std::shared_ptr<Pending>& p, ApiReply reply) {
    if (!m_pending.remove(p->id))
        return;
    if (p->timer)
        p->timer->deleteLater();
    // One place for every failure of this client (network, server, credentials, plugins): scrubbed
    // of its own secrets before anyone sees it.
    if (reply.error)
        reply.error = m_secrets->redact(*reply.error);
    reply.throttledMs = int(p->throttled.count());
    if (p->done)
        p->done(std::move(reply));
}

} // namespace driftdeck::kube
