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
    // Which credentials these are. A 401 names the generation it was sent with, so only the first
    // 401 for a credential throws it away (see CredentialSource::invalidate).
    quint64 generation = 0;
};

// PEM private key, RSA or EC (PKCS#1, SEC1 or PKCS#8).
Result<QSslKey> parsePrivateKey(const QByteArray& pem);

// The credentials of one kubeconfig user, loaded on use. Lives on a cluster's worker thread.
// A tokenFile is re-read when its modification time changes; exec plugin output is cached until its
// expirationTimestamp. The plugin runs asynchronously (ExecPluginRun) on the cluster thread's event
// loop, once for everyone who asks meanwhile, so other requests and watches are not held up.
class CredentialSource {
public:
    using Callback = std::function<void(Result<Credential>)>;

    // Credentials loaded later (token files, exec plugins) are added to `secrets`.
    CredentialSource(ConnectionSettings settings, std::shared_ptr<SecretRegistry> secrets);
    ~CredentialSource();
    CredentialSource(const CredentialSource&) = delete;
    CredentialSource& operator=(const CredentialSource&) = delete;

    // Calls `done` with the credential to use: at once when it is at hand, else when the exec plugin
    // has answered. Never called after this object is destroyed.
    void acquire(Callback done);
    // After a 401 for a request sent with `generation`. Only a 401 for the current generation drops
    // the cached credentials (N requests failing together refresh once, not N times); an older
    // generation has already been replaced. True when asking again may give a different credential.
    bool invalidate(quint64 generation);
    quint64 generation() const { return m_generation; }
    // How many times the exec plugin was started (for tests and diagnostics).
    int pluginRuns() const { return m_pluginRuns; }

private:
    Result<Credential> staticCredential();
    Result<SecretString> tokenFromFile();
    Result<Credential> compose();
    void startPlugin();
    void onPluginDone(Result<ExecCredentialResult> result);
    QJsonObject clusterInfo() const;

    ConnectionSettings m_settings;
    std::shared_ptr<SecretRegistry> m_secrets;
    std::optional<Credential> m_static;
    SecretString m_fileToken;
    QDateTime m_fileTokenMtime;
    std::optional<Credential> m_exec;
    QDateTime m_execExpiry;
    quint64 m_generation = 1;
    ExecPluginRun* m_run = nullptr; // the plugin run in flight
    QList<Callback> m_waiting;      // callers waiting for it
    int m_pluginRuns = 0;
};

} // namespace driftdeck::kube
