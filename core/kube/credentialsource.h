#pragma once

#include "kube/connectionsettings.h"
#include "kube/execplugin.h"
#include "model/error.h"

#include <QByteArray>
#include <QDateTime>
#include <QSslCertificate>
#include <QSslKey>

#include <functional>
#include <optional>

namespace driftdeck::kube {

// What goes on one request.
struct Credential {
    QByteArray bearerToken;
    QString username;
    QString password;
    QSslCertificate clientCertificate;
    QSslKey clientKey;
};

// PEM private key, RSA or EC (PKCS#1, SEC1 or PKCS#8).
Result<QSslKey> parsePrivateKey(const QByteArray& pem);

// The credentials of one kubeconfig user, loaded on use. Lives on a cluster's worker thread.
// A tokenFile is re-read when its modification time changes; exec plugin output is cached until its
// expirationTimestamp, and invalidate() after a 401 forces one fresh run.
class CredentialSource {
public:
    using ExecRunner = std::function<Result<ExecCredentialResult>(const ExecConfig&, const QJsonObject&)>;

    explicit CredentialSource(ConnectionSettings settings, ExecRunner runner = {});

    Result<Credential> current();
    // After a 401: drops cached credentials; true when fetching again may give different ones.
    bool invalidate();

private:
    Result<Credential> staticCredential();
    Result<QByteArray> tokenFromFile();
    QJsonObject clusterInfo() const;

    ConnectionSettings m_settings;
    ExecRunner m_runner;
    std::optional<Credential> m_static;
    QByteArray m_fileToken;
    QDateTime m_fileTokenMtime;
    std::optional<Credential> m_exec;
    QDateTime m_execExpiry;
};

} // namespace driftdeck::kube
