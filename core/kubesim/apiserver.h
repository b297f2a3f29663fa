#pragma once

#include "kubesim/certificates.h"
#include "kubesim/faults.h"
#include "kubesim/httpconnection.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QObject>
#include <QSslServer>

#include <memory>

namespace driftdeck::kubesim {

class ObjectStore;
class ResourceHandler;

// The HTTPS front of one simulated cluster: TLS with optional client certificates, authentication
// (admin by client certificate, viewer by bearer token), authorization, fault injection, discovery,
// and the resource API (ResourceHandler). Lives on the cluster's thread together with the store.
class ApiServer : public QObject {
    Q_OBJECT
public:
    ApiServer(ObjectStore* store, CertificateBundle certificates, QByteArray viewerToken,
              QObject* parent = nullptr);
    ~ApiServer() override;

    bool listen(const QHostAddress& address, quint16 port, QString* error);
    quint16 port() const { return m_server.serverPort(); }
    void setFaults(const FaultSettings& faults);
    const FaultSettings& faults() const { return m_faults; }

private:
    void acceptConnections();
    void handle(HttpConnection* connection, HttpRequest request);
    void dispatch(HttpConnection* connection, const HttpRequest& request);
    QString authenticate(HttpConnection* connection, const HttpRequest& request) const;
    bool serveDiscovery(HttpConnection* connection, const HttpRequest& request);
    void serveFaults(HttpConnection* connection, const HttpRequest& request);

    ObjectStore* m_store;
    CertificateBundle m_certificates;
    QByteArray m_viewerToken;
    QSslServer m_server;
    FaultSettings m_faults;
    QDeadlineTimer m_refuseUntil;
    std::unique_ptr<ResourceHandler> m_resources;
};

HttpResponse jsonResponse(int status, const QJsonObject& body);

} // namespace driftdeck::kubesim
