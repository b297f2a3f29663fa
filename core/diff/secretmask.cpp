#include "diff/secretmask.h"

#include "model/secretmask.h"

namespace driftdeck::diff {

QString SecretMasker::maskValue(const QByteArray& plainValue) const {
    return maskedValue(plainValue);
}

bool SecretMasker::isSecret(const QJsonObject& object) {
    return object.value(QLatin1String("kind")).toString() == QLatin1String("Secret") &&
           object.value(QLatin1String("apiVersion")).toString() == QLatin1String("v1");
}

bool SecretMasker::isMasked(const QString& value) {
    return isMaskedValue(value);
}

QJsonObject SecretMasker::maskSecret(const QJsonObject& object) const {
    if (!isSecret(object))
        return object;
    QJsonObject out = object;
    QJsonObject data = out.value(QLatin1String("data")).toObject();
    QJsonObject masked;
    for (auto it = data.begin(); it != data.end(); ++it) {
        const QString text = it.value().toString();
        if (isMasked(text)) {
            masked.insert(it.key(), text);
            continue;
        }
        // A value that is not valid base64 is hashed as it is: it still must not be shown.
        const auto decoded =
            QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        masked.insert(it.key(), maskValue(decoded ? *decoded : text.toUtf8()));
    }
    // stringData wins over data for the same key, as on the server.
    const QJsonObject stringData = out.value(QLatin1String("stringData")).toObject();
    for (auto it = stringData.begin(); it != stringData.end(); ++it)
        masked.insert(it.key(), maskValue(it.value().toString().toUtf8()));
    out.remove(QStringLiteral("stringData"));
    if (!masked.isEmpty() || out.contains(QLatin1String("data")))
        out.insert(QStringLiteral("data"), masked);

    QJsonObject meta = out.value(QLatin1String("metadata")).toObject();
    QJsonObject annotations = meta.value(QLatin1String("annotations")).toObject();
    if (annotations.contains(QLatin1String("kubectl.kubernetes.io/last-applied-configuration"))) {
        annotations.remove(QStringLiteral("kubectl.kubernetes.io/last-applied-configuration"));
        if (annotations.isEmpty())
            meta.remove(QStringLiteral("annotations"));
        else
            meta.insert(QStringLiteral("annotations"), annotations);
        out.insert(QStringLiteral("metadata"), meta);
    }
    return out;
}

} // namespace driftdeck::diff
