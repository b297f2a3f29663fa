#include "model/redact.h"

#include <QRegularExpression>

namespace driftdeck {
namespace {

const QString kRedacted = QStringLiteral("<redacted>");

} // namespace

QString redactCredentials(const QString& text) {
    if (text.isEmpty())
        return text;
    QString out = text;
    static const QRegularExpression pem(
        QStringLiteral("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)"));
    static const QRegularExpression authHeader(QStringLiteral("\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=\\-]+"),
                                               QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression userInfo(QStringLiteral("([a-zA-Z][a-zA-Z0-9+.\\-]*://)[^/\\s]*@"));
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

} // namespace driftdeck
