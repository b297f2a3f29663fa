#include "kube/redaction.h"

#include <QMutex>
#include <QRegularExpression>
#include <QSet>

Q_LOGGING_CATEGORY(lcKube, "driftdeck.kube", QtInfoMsg)

namespace driftdeck::kube {

namespace {

// Shorter strings (a namespace, "true") would produce false positives and are not credentials.
constexpr qsizetype kMinSecretLength = 6;

struct SecretStore {
    QMutex mutex;
    QSet<QString> secrets;
};

SecretStore& store() {
    static SecretStore instance;
    return instance;
}

const QString kRedacted = QStringLiteral("<redacted>");

} // namespace

void registerSecret(const QString& secret) {
    const QString trimmed = secret.trimmed();
    if (trimmed.size() < kMinSecretLength)
        return;
    QMutexLocker lock(&store().mutex);
    store().secrets.insert(trimmed);
}

void registerSecret(const QByteArray& secret) {
    registerSecret(QString::fromUtf8(secret));
}

QString redact(const QString& text) {
    if (text.isEmpty())
        return text;
    QString out = text;
    {
        QMutexLocker lock(&store().mutex);
        for (const QString& secret : std::as_const(store().secrets)) {
            if (out.contains(secret))
                out.replace(secret, kRedacted);
        }
    }
    static const QRegularExpression pem(
        QStringLiteral("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)"));
    static const QRegularExpression authHeader(QStringLiteral("\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=\\-]+"),
                                               QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression userInfo(QStringLiteral("([a-zA-Z][a-zA-Z0-9+.\\-]*://)[^/@\\s]+@"));
    static const QRegularExpression queryToken(
        QStringLiteral("([?&](?:access_token|token|password|client_secret)=)[^&\\s]+"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression jsonField(
        QStringLiteral(
            "(\"(?:token|password|clientKeyData|client-key-data|id-token|refresh-token|access-token)\""
            "\\s*:\\s*)\"[^\"]*\""),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression yamlField(
        QStringLiteral(
            "(^|\\n)(\\s*(?:token|password|client-key-data|id-token|refresh-token)\\s*:\\s*)[^\\n]+"),
        QRegularExpression::CaseInsensitiveOption);
    out.replace(pem, kRedacted);
    out.replace(authHeader, QStringLiteral("\\1 ") + kRedacted);
    out.replace(userInfo, QStringLiteral("\\1") + kRedacted + QStringLiteral("@"));
    out.replace(queryToken, QStringLiteral("\\1") + kRedacted);
    out.replace(jsonField, QStringLiteral("\\1\"") + kRedacted + QStringLiteral("\""));
    out.replace(yamlField, QStringLiteral("\\1\\2") + kRedacted);
    return out;
}

Error kubeError(Error::Code code, const QString& message, const QString& detail) {
    return Error::make(code, redact(message), redact(detail));
}

} // namespace driftdeck::kube
