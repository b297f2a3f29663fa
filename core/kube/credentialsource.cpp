#include "kube/credentialsource.h"

#include "kube/redaction.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonObject>

namespace driftdeck::kube {

namespace {

Result<QByteArray> readAll(const QString& path, const QString& what) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return kubeError(Error::Code::Invalid, QStringLiteral("cannot read ") + what + QStringLiteral(" ") +
                                                   path + QStringLiteral(": ") + file.errorString());
    return file.readAll();
}

Result<Credential> certificatePair(const QByteArray& certPem, const SecretString& keyPem,
                                   const QString& what) {
    Credential c;
    const auto certs = QSslCertificate::fromData(certPem, QSsl::Pem);
    if (certs.isEmpty())
        return kubeError(Error::Code::Invalid, what + QStringLiteral(": the client certificate is not PEM"));
    auto key = parsePrivateKey(keyPem.reveal());
    if (!key)
        return kubeError(Error::Code::Invalid, what + QStringLiteral(": ") + key.error().message);
    c.clientCertificate = certs.first();
    c.clientKey = *key;
    return c;
}

} // namespace

Result<QSslKey> parsePrivateKey(const QByteArray& pem) {
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return kubeError(Error::Code::Invalid,
                     QStringLiteral("the client key is not a PEM RSA or EC private key"));
}

CredentialSource::CredentialSource(ConnectionSettings settings, std::shared_ptr<SecretRegistry> secrets,
                                   ExecRunner runner)
    : m_settings(std::move(settings))
    , m_secrets(std::move(secrets))
    , m_runner(std::move(runner)) {
    if (!m_runner)
        m_runner = [](const ExecConfig& exec, const QJsonObject& info) { return runExecPlugin(exec, info); };
}

QJsonObject CredentialSource::clusterInfo() const {
    QJsonObject info{{QStringLiteral("server"), m_settings.server.toString()}};
    if (!m_settings.tlsServerName.isEmpty())
        info.insert(QStringLiteral("tls-server-name"), m_settings.tlsServerName);
    if (m_settings.insecureSkipTlsVerify)
        info.insert(QStringLiteral("insecure-skip-tls-verify"), true);
    if (!m_settings.caData.isEmpty())
        info.insert(QStringLiteral("certificate-authority-data"),
                    QString::fromLatin1(m_settings.caData.toBase64()));
    return info;
}

Result<Credential> CredentialSource::staticCredential() {
    if (m_static)
        return *m_static;
    const KubeUser& u = m_settings.user;
    const QString what = QStringLiteral("user \"") + m_settings.userName + QStringLiteral("\"");
    Credential c;
    QByteArray certPem = u.clientCertificateData;
    SecretString keyPem = u.clientKeyData;
    if (certPem.isEmpty() && !u.clientCertificate.isEmpty()) {
        auto data = readAll(u.clientCertificate, QStringLiteral("client-certificate"));
        if (!data)
            return data.error();
        certPem = *data;
    }
    if (keyPem.isEmpty() && !u.clientKey.isEmpty()) {
        auto data = readAll(u.clientKey, QStringLiteral("client-key"));
        if (!data)
            return data.error();
        keyPem = SecretString(*data);
        m_secrets->add(keyPem);
    }
    if (!certPem.isEmpty() || !keyPem.isEmpty()) {
        if (certPem.isEmpty() || keyPem.isEmpty())
            return kubeError(Error::Code::Invalid,
                             what +
                                 QStringLiteral(" has a client certificate without a key, or a key without a "
                                                "certificate"));
        auto pair = certificatePair(certPem, keyPem, what);
        if (!pair)
            return pair.error();
        c = *pair;
    }
    c.bearerToken = u.token;
    c.username = u.username;
    c.password = u.password;
    m_static = c;
    return c;
}

Result<SecretString> CredentialSource::tokenFromFile() {
    const QFileInfo info(m_settings.user.tokenFile);
    const QDateTime mtime = info.lastModified();
    if (!m_fileToken.isEmpty() && mtime == m_fileTokenMtime && info.exists())
        return m_fileToken;
    auto data = readAll(m_settings.user.tokenFile, QStringLiteral("tokenFile"));
    if (!data)
        return data.error();
    m_fileToken = SecretString(data->trimmed());
    m_fileTokenMtime = mtime;
    m_secrets->addRotating(m_fileToken);
    return m_fileToken;
}

Result<Credential> CredentialSource::current() {
    auto base = staticCredential();
    if (!base)
        return base;
    Credential c = *base;
    const KubeUser& u = m_settings.user;
    if (c.bearerToken.isEmpty() && !u.tokenFile.isEmpty()) {
        auto token = tokenFromFile();
        if (!token)
            return token.error();
        c.bearerToken = *token;
    }
    if (u.exec) {
        const bool expired = m_execExpiry.isValid() && QDateTime::currentDateTimeUtc() >= m_execExpiry;
        if (!m_exec || expired) {
            m_exec.reset();
            auto result = m_runner(*u.exec, clusterInfo());
            if (!result)
                return result.error();
            m_secrets->addRotating(result->token);
            m_secrets->addRotating(result->clientKeyData);
            Credential fromExec;
            if (!result->clientCertificateData.isEmpty()) {
                auto pair = certificatePair(result->clientCertificateData, result->clientKeyData,
                                            QStringLiteral("exec credential plugin ") + u.exec->command);
                if (!pair)
                    return pair.error();
                fromExec = *pair;
            }
            fromExec.bearerToken = result->token;
            m_exec = fromExec;
            m_execExpiry = result->expiration;
        }
        // kubectl lets the plugin's token take over; its certificate replaces the configured one.
        if (!m_exec->bearerToken.isEmpty())
            c.bearerToken = m_exec->bearerToken;
        if (!m_exec->clientCertificate.isNull()) {
            c.clientCertificate = m_exec->clientCertificate;
            c.clientKey = m_exec->clientKey;
        }
    }
    return c;
}

bool CredentialSource::invalidate() {
    bool refreshable = false;
    if (m_settings.user.exec) {
        m_exec.reset();
        refreshable = true;
    }
    if (!m_settings.user.tokenFile.isEmpty() && m_settings.user.token.isEmpty()) {
        m_fileToken.clear();
        refreshable = true;
    }
    return refreshable;
}

} // namespace driftdeck::kube
