#include "kube/redaction.h"

#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcKube, "driftdeck.kube", QtInfoMsg)

namespace driftdeck::kube {

namespace {

// Shorter strings (a namespace, "true") would produce false positives and are not credentials.
constexpr qsizetype kMinSecretLength = 6;

const QString kRedacted = QStringLiteral("<redacted>");

// The text forms a secret may show up in: as it is, and (keys, tokens) in base64 as in a kubeconfig.
QStringList textForms(const SecretString& secret) {
    QStringList out;
    const QString text = secret.revealText().trimmed();
    if (text.size() < kMinSecretLength)
        return out;
    out.append(text);
    out.append(QString::fromLatin1(secret.reveal().toBase64()));
    return out;
}

} // namespace

void SecretRegistry::add(const SecretString& secret) {
    const QStringList forms = textForms(secret);
    QMutexLocker lock(&m_mutex);
    for (const QString& form : forms) {
        if (!m_fixed.contains(form))
            m_fixed.append(form);
    }
}

void SecretRegistry::addRotating(const SecretString& secret) {
    const QStringList forms = textForms(secret);
    if (forms.isEmpty())
        return;
    QMutexLocker lock(&m_mutex);
    if (m_rotating.contains(forms.first()))
        return;
    for (const QString& form : forms)
        m_rotating.append(form);
    while (m_rotating.size() > kRotatingKept * 2)
        m_rotating.removeFirst();
}

QString SecretRegistry::redact(const QString& text) const {
    if (text.isEmpty())
        return text;
    QString out = text;
    {
        QMutexLocker lock(&m_mutex);
        for (const QStringList* list : {&m_fixed, &m_rotating}) {
            for (const QString& secret : *list) {
                if (out.contains(secret))
                    out.replace(secret, kRedacted);
            }
        }
    }
    return kube::redact(out);
}

Error SecretRegistry::redact(const Error& error) const {
    return Error::make(error.code, redact(error.message), redact(error.detail));
}

QString redact(const QString& text) {
    if (text.isEmpty())
        return text;
    QString out = text;
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
