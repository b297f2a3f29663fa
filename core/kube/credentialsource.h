#pragma once

#include "kube/connectionsettings.h"
#include "kube/execplugin.h"
#include "kube/redaction.h"
#include "model/error.h"

#include <QByteArray>
#include <QDateTime>
#include <QSslCertificate>
#include <QSslKey>

#include <functional>
#include <memory>
#include <optional>

namespace driftdeck::kube {

// What goes on one request.
struct Credential {
    SecretString bearerToken;
    QString username;
    SecretString password;
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

    // Credentials loaded later (token files, exec plugins) are added to `secrets`.
    CredentialSource(ConnectionSettings settings, std::shared_ptr<SecretRegistry> secrets,
                     ExecRunner runner = {});

    Result<Credential> current();
    // After a 401: drops cached credentials; true when fetching again may give different ones.
    bool invalidate();

private:
    Result<Credential> staticCredential();
    Result<SecretString> tokenFromFile();
    QJsonObject clusterInfo() const;

    ConnectionSettings m_settings;
    std::shared_ptr<SecretRegistry> m_secrets;
    ExecRunner m_runner;
    std::optional<Credential> m_static;
    SecretString m_fileToken;
    QDateTime m_fileTokenMtime;
    std::optional<Credential> m_exec;
    QDateTime m_execExpiry;
};

} // namespace driftdeck::kube
