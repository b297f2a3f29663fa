#pragma once

#include "model/error.h"

#include <QByteArray>
#include <QString>

// The PKI of one simulated cluster, made with OpenSSL's C library at start (no openssl command).
namespace driftdeck::kubesim {

struct CertificateBundle {
    QByteArray caCertificate;     // PEM, self-signed, CN=kubesim-ca
    QByteArray serverCertificate; // PEM, SAN localhost, 127.0.0.1, ::1
    QByteArray serverKey;         // PEM, PKCS#8
    QByteArray adminCertificate;  // PEM, CN=admin, O=system:masters, clientAuth
    QByteArray adminKey;          // PEM, PKCS#8

    // Fresh P-256 keys and certificates valid for a year.
    static Result<CertificateBundle> generate();
    // ca.crt, server.crt, server.key, admin.crt, admin.key from `directory`.
    static Result<CertificateBundle> load(const QString& directory);
    // Writes the same files; keys are created readable by the owner only.
    Status save(const QString& directory) const;
};

// The subject CN of a client certificate (DER) when `caPem` signed it and it is within its validity;
// empty otherwise. The API server's view of "who is this TLS client".
QString verifiedClientName(const QByteArray& clientDer, const QByteArray& caPem);

} // namespace driftdeck::kubesim
