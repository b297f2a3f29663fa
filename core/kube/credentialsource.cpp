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

CredentialSource::CredentialSource(ConnectionSettings settings, std::shared_ptr<SecretRegistry> secrets)
    : m_settings(std::move(settings))
    , m_secrets(std::move(secrets)) {}

CredentialSource::~CredentialSource() {
    m_waiting.clear();
    delete m_run; // kills a plugin still running; its callback is not called
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
    SecretString fresh(data->trimmed());
    if (fresh != m_fileToken)
        ++m_generation;
    m_fileToken = fresh;
    m_fileTokenMtime = mtime;
    m_secrets->addRotating(m_fileToken);
    return m_fileToken;
}

Result<Credential> CredentialSource::compose() {
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
    if (m_exec) {
        // kubectl lets the plugin's token take over; its certificate replaces the configured one.
        if (!m_exec->bearerToken.isEmpty())
            c.bearerToken = m_exec->bearerToken;
        if (!m_exec->clientCertificate.isNull()) {
            c.clientCertificate = m_exec->clientCertificate;
            c.clientKey = m_exec->clientKey;
        }
    }
    c.generation = m_generation;
    return c;
}

void CredentialSource::acquire(Callback done) {
    const KubeUser& u = m_settings.user;
    if (u.exec) {
        const bool expired = m_execExpiry.isValid() && QDateTime::currentDateTimeUtc() >= m_execExpiry;
        if (m_exec && expired) {
            m_exec.reset();
            ++m_generation;
        }
        if (!m_exec || m_run) {
            m_waiting.append(std::move(done));
            startPlugin();
            return;
        }
    }
    done(compose());
}

void CredentialSource::startPlugin() {
    if (m_run)
        return; // one run serves everyone waiting
    ++m_pluginRuns;
    m_run =
        new ExecPluginRun(*m_settings.user.exec, clusterInfo(),
                          [this](Result<ExecCredentialResult> result) { onPluginDone(std::move(result)); });
    m_run->start();
}

void CredentialSource::onPluginDone(Result<ExecCredentialResult> result) {
    // The run object may still be inside its own code: delete it once control is back in the loop.
    m_run->deleteLater();
    m_run = nullptr;
    std::optional<Error> failure;
    if (!result) {
        failure = result.error();
    } else {
        m_secrets->addRotating(result->token);
        m_secrets->addRotating(result->clientKeyData);
        Credential fromExec;
        if (!result->clientCertificateData.isEmpty()) {
            auto pair =
                certificatePair(result->clientCertificateData, result->clientKeyData,
                                QStringLiteral("exec credential plugin ") + m_settings.user.exec->command);
            if (!pair)
                failure = pair.error();
            else
                fromExec = *pair;
        }
        if (!failure) {
            fromExec.bearerToken = result->token;
            m_exec = fromExec;
            m_execExpiry = result->expiration;
            ++m_generation;
        }
    }
    const QList<Callback> waiting = std::exchange(m_waiting, {});
    for (const Callback& done : waiting) {
        if (failure)
            done(*failure);
        else
            done(compose());
    }
}

bool CredentialSource::invalidate(quint64 generation) {
    const KubeUser& u = m_settings.user;
    const bool refreshable = u.exec || (!u.tokenFile.isEmpty() && u.token.isEmpty());
    if (!refreshable)
        return false;
    if (generation != m_generation)
        return true; // already replaced (or being replaced): the retry gets the new one
    if (u.exec)
        m_exec.reset();
    else
        m_fileToken.clear();
    ++m_generation;
    return true;
}

} // namespace driftdeck::kube
