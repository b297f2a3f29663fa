#include "kubesim/apiserver.h"

#include "kubesim/discovery.h"
#include "kubesim/objectstore.h"
#include "kubesim/openapi.h"
#include "kubesim/resourcehandler.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTimer>

Q_LOGGING_CATEGORY(lcServer, "driftdeck.kubesim.server")

namespace driftdeck::kubesim {

HttpResponse jsonResponse(int status, const QJsonObject& body) {
    HttpResponse response;
    response.status = status;
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return response;
}

ApiServer::ApiServer(ObjectStore* store, CertificateBundle certificates, QByteArray viewerToken,
                     QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_certificates(std::move(certificates))
    , m_viewerToken(std::move(viewerToken))
    , m_resources(std::make_unique<ResourceHandler>(store, &m_faults)) {
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(QSslCertificate(m_certificates.serverCertificate, QSsl::Pem));
    tls.setPrivateKey(QSslKey(m_certificates.serverKey, QSsl::Ec, QSsl::Pem));
    tls.setCaCertificates(QSslCertificate::fromData(m_certificates.caCertificate, QSsl::Pem));
    // Ask for a client certificate without requiring one (the viewer uses a token); it is checked
    // against our CA per request in authenticate().
    tls.setPeerVerifyMode(QSslSocket::QueryPeer);
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    m_server.setSslConfiguration(tls);
    connect(&m_server, &QSslServer::pendingConnectionAvailable, this, &ApiServer::acceptConnections);
}

ApiServer::~ApiServer() = default;

bool ApiServer::listen(const QHostAddress& address, quint16 port, QString* error) {
    if (m_server.listen(address, port))
        return true;
    if (error)
        *error = m_server.errorString();
    return false;
}

void ApiServer::setFaults(const FaultSettings& faults) {
    m_faults = faults;
    m_refuseUntil =
        faults.refuseConnectionsMs > 0 ? QDeadlineTimer(faults.refuseConnectionsMs) : QDeadlineTimer();
    m_faults.refuseConnectionsMs = 0; // a one-shot period, not a standing setting
}

void ApiServer::acceptConnections() {
    while (QTcpSocket* tcp = m_server.nextPendingConnection()) {
        auto* socket = qobject_cast<QSslSocket*>(tcp);
        if (!socket || (!m_refuseUntil.isForever() && !m_refuseUntil.hasExpired())) {
            tcp->abort();
            tcp->deleteLater();
            continue;
        }
        auto* connection = new HttpConnection(socket, this);
        connection->onRequest = [this](HttpConnection* c, HttpRequest r) { handle(c, std::move(r)); };
        connect(connection, &HttpConnection::closed, connection, &QObject::deleteLater);
    }
}

QString ApiServer::authenticate(HttpConnection* connection, const HttpRequest& request) const {
    const QByteArray authorization = request.header("authorization");
    if (!authorization.isEmpty()) {
        // Constant-time comparison is not needed for a loopback test double, but the token is never logged.
        if (authorization.startsWith("Bearer ") && !m_viewerToken.isEmpty() &&
            authorization.mid(7).trimmed() == m_viewerToken)
            return QStringLiteral("viewer");
        return {};
    }
    const QSslCertificate peer = connection->socket()->peerCertificate();
    if (peer.isNull())
        return {};
    return verifiedClientName(peer.toDer(), m_certificates.caCertificate);
}

void ApiServer::handle(HttpConnection* connection, HttpRequest request) {
    request.user = authenticate(connection, request);
    if (!request.user.isEmpty() && m_faults.rejectTokenRequests > 0 &&
        request.header("authorization").startsWith("Bearer ")) {
        --m_faults.rejectTokenRequests; // a revoked token: the client has to fetch a new one
        request.user.clear();
    }
    if (request.user.isEmpty()) {
        connection->respond(jsonResponse(
            401,
            ApiError{401, QStringLiteral("Unauthorized"), QStringLiteral("Unauthorized"), {}}.toStatus()));
        return;
    }
    if (request.path.startsWith(QLatin1String("/kubesim/"))) {
        serveFaults(connection, request);
        return;
    }
    if (m_faults.latencyMs > 0) {
        QPointer<HttpConnection> guard(connection);
        QTimer::singleShot(m_faults.latencyMs, this, [this, guard, request]() {
            if (guard)
                dispatch(guard, request);
        });
        return;
    }
    dispatch(connection, request);
}

void ApiServer::dispatch(HttpConnection* connection, const HttpRequest& request) {
    const double roll = QRandomGenerator::global()->generateDouble();
    if (roll < m_faults.errorRate) {
        connection->respond(jsonResponse(
            500, ApiError{500,
                          QStringLiteral("InternalError"),
                          QStringLiteral("Internal error occurred: injected by kubesim fault settings"),
                          {}}
                     .toStatus()));
        return;
    }
    if (roll < m_faults.errorRate + m_faults.throttleRate) {
        HttpResponse response = jsonResponse(
            429,
            ApiError{429, QStringLiteral("TooManyRequests"),
                     QStringLiteral("the server has received too many requests and has asked us to try again "
                                    "later"),
                     QJsonObject{{QStringLiteral("retryAfterSeconds"), m_faults.retryAfterSeconds}}}
                .toStatus());
        response.headers.append({"Retry-After", QByteArray::number(m_faults.retryAfterSeconds)});
        connection->respond(response);
        return;
    }
    if (request.header("x-kubesim-body-too-large") == "1") {
        connection->respond(
            jsonResponse(413, ApiError{413,
                                       QStringLiteral("RequestEntityTooLarge"),
                                       QStringLiteral("Request entity too large: limit is 3145728"),
                                       {}}
                                  .toStatus()));
        return;
    }
    if (serveDiscovery(connection, request))
        return;
    m_resources->handle(connection, request);
}

bool ApiServer::serveDiscovery(HttpConnection* connection, const HttpRequest& request) {
    if (request.method != "GET")
        return false;
    const QString& path = request.path;
    const ResourceRegistry& registry = m_store->registry();
    QJsonObject body;
    if (path == QLatin1String("/version") || path == QLatin1String("/version/")) {
        body = discovery::version();
    } else if ((path == QLatin1String("/api") || path == QLatin1String("/apis")) &&
               discovery::wantsAggregated(request.header("accept"))) {
        HttpResponse response =
            jsonResponse(200, discovery::aggregated(registry, path == QLatin1String("/api")));
        response.contentType = discovery::kAggregatedContentType;
        connection->respond(response);
        return true;
    } else if (path == QLatin1String("/api") || path == QLatin1String("/api/")) {
        body = discovery::coreVersions(QStringLiteral("127.0.0.1:%1").arg(port()));
    } else if (path == QLatin1String("/api/v1") || path == QLatin1String("/api/v1/")) {
        body = discovery::resourceList(registry, {}, QStringLiteral("v1"));
    } else if (path == QLatin1String("/apis") || path == QLatin1String("/apis/")) {
        body = discovery::groupList(registry);
    } else if (path.startsWith(QLatin1String("/apis/"))) {
        const QStringList parts = path.mid(6).split(QLatin1Char('/'), Qt::SkipEmptyParts);
        if (parts.size() == 1)
            body = discovery::group(registry, parts.at(0));
        else if (parts.size() == 2)
            body = discovery::resourceList(registry, parts.at(0), parts.at(1));
        else
            return false;
        if (body.isEmpty()) {
            connection->respond(
                jsonResponse(404, ApiError{404,
                                           QStringLiteral("NotFound"),
                                           QStringLiteral("the server could not find the requested resource"),
                                           {}}
                                      .toStatus()));
            return true;
        }
    } else if (path == QLatin1String("/openapi/v3") || path == QLatin1String("/openapi/v3/")) {
        body = openapi::root(registry);
    } else if (path.startsWith(QLatin1String("/openapi/v3/"))) {
        body = openapi::groupVersion(registry, path.mid(12));
        if (body.isEmpty()) {
            connection->respond(
                jsonResponse(404, ApiError{404,
                                           QStringLiteral("NotFound"),
                                           QStringLiteral("the server could not find the requested resource"),
                                           {}}
                                      .toStatus()));
            return true;
        }
    } else if (path == QLatin1String("/healthz") || path == QLatin1String("/readyz") ||
               path == QLatin1String("/livez")) {
        HttpResponse ok;
        ok.contentType = "text/plain; charset=utf-8";
        ok.body = "ok";
        connection->respond(ok);
        return true;
    } else {
        return false;
    }
    connection->respond(jsonResponse(200, body));
    return true;
}

void ApiServer::serveFaults(HttpConnection* connection, const HttpRequest& request) {
    if (request.path != QLatin1String("/kubesim/faults")) {
        connection->respond(
            jsonResponse(404, ApiError{404,
                                       QStringLiteral("NotFound"),
                                       QStringLiteral("the server could not find the requested resource"),
                                       {}}
                                  .toStatus()));
        return;
    }
    if (request.user != QLatin1String("admin")) {
        connection->respond(jsonResponse(
            403,
            ApiError{403,
                     QStringLiteral("Forbidden"),
                     QStringLiteral("User \"%1\" cannot change kubesim fault settings").arg(request.user),
                     {}}
                .toStatus()));
        return;
    }
    if (request.method == "POST" || request.method == "PUT") {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
        if (!doc.isObject()) {
            connection->respond(
                jsonResponse(400, ApiError{400,
                                           QStringLiteral("BadRequest"),
                                           QStringLiteral("fault settings must be a JSON object"),
                                           {}}
                                      .toStatus()));
            return;
        }
        setFaults(FaultSettings::fromJson(doc.object(), m_faults));
        qCInfo(lcServer) << "fault settings changed"
                         << QJsonDocument(doc.object()).toJson(QJsonDocument::Compact);
    }
    connection->respond(jsonResponse(200, m_faults.toJson()));
}

} // namespace driftdeck::kubesim
