#pragma once

#include "model/error.h"
#include "model/secretstring.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QString>
#include <QStringList>

Q_DECLARE_LOGGING_CATEGORY(lcKube)

// Credentials reach this library from kubeconfigs, token files and exec plugins. Every string that
// leaves it — a log line or an Error — is redacted first, so a token or key can only leak if a new
// code path forgets the call; tests capture all log output to catch that.
namespace driftdeck::kube {

// Replaces PEM private keys, Authorization header values, URL user info and token-like query
// parameters or JSON/YAML fields with "<redacted>". Knows no particular secret: for text that does
// not belong to one cluster connection.
QString redact(const QString& text);

// An Error whose message and detail are redacted by redact().
Error kubeError(Error::Code code, const QString& message, const QString& detail = {});

// The credentials of one cluster connection (one per ClusterClient), so its errors and logs can be
// scrubbed of them verbatim wherever they show up (a server echoing a header, a plugin printing its
// token to stderr) — and only of them: one cluster's token is not another's business. Thread-safe.
class SecretRegistry {
public:
    // Kept for the registry's lifetime: the kubeconfig's token, password, client key, proxy password.
    void add(const SecretString& secret);
    // Credentials that are replaced over time (exec-plugin tokens, token files): the latest few are
    // kept, so a client that refreshes for days does not grow the registry.
    void addRotating(const SecretString& secret);

    QString redact(const QString& text) const; // the registered secrets, then the patterns
    Error redact(const Error& error) const;
    Error error(Error::Code code, const QString& message, const QString& detail = {}) const {
        return redact(Error::make(code, message, detail));
    }

    static constexpr qsizetype kRotatingKept = 4;

private:
    mutable QMutex m_mutex;
    QStringList m_fixed;
    QStringList m_rotating;
};

} // namespace driftdeck::kube
