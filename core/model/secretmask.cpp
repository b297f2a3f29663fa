#include "model/secretmask.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace driftdeck {

namespace {

const QString kPrefix = QStringLiteral("driftdeck-masked:sha256:");
const QString kLastApplied = QStringLiteral("kubectl.kubernetes.io/last-applied-configuration");

const QByteArray& processKey() {
    static const QByteArray key = [] {
        QByteArray bytes(32, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), bytes.size() / 4);
        return bytes;
    }();
    return key;
}

QJsonObject maskValues(const QJsonObject& values, bool base64) {
    QJsonObject out;
    for (auto it = values.begin(); it != values.end(); ++it) {
        const QString text = it.value().toString();
        if (isMaskedValue(text)) { // already masked (a desired object masked before): keep it
            out.insert(it.key(), text);
            continue;
        }
        QByteArray bytes = text.toUtf8();
        if (base64) {
            auto decoded = QByteArray::fromBase64Encoding(bytes, QByteArray::AbortOnBase64DecodingErrors);
            if (decoded)
                bytes = *decoded;
        }
        out.insert(it.key(), maskedValue(bytes));
    }
    return out;
}

QJsonObject maskData(QJsonObject object) {
    for (const auto& [field, base64] : {std::pair{"data", true}, std::pair{"stringData", false}}) {
        const QJsonValue values = object.value(QLatin1String(field));
        if (values.isObject())
            object.insert(QLatin1String(field), maskValues(values.toObject(), base64));
    }
    return object;
}

} // namespace

QString maskedValue(const QByteArray& value) {
    const QByteArray mac =
        QMessageAuthenticationCode::hash(value, processKey(), QCryptographicHash::Sha256).toHex();
    return kPrefix + QString::fromLatin1(mac.left(16));
}

bool isMaskedValue(const QString& text) {
    return text.startsWith(kPrefix) && text.size() == kPrefix.size() + 16;
}

QJsonObject maskSecret(const QJsonObject& secret) {
    if (secret.value(QLatin1String("kind")).toString() != QLatin1String("Secret"))
        return secret;
    QJsonObject out = maskData(secret);
    QJsonObject metadata = out.value(QLatin1String("metadata")).toObject();
    QJsonObject annotations = metadata.value(QLatin1String("annotations")).toObject();
    if (annotations.contains(kLastApplied)) {
        const QJsonDocument applied =
            QJsonDocument::fromJson(annotations.value(kLastApplied).toString().toUtf8());
        // Not JSON: it cannot be masked field by field, and it may hold the values; hash all of it.
        annotations.insert(
            kLastApplied,
            applied.isObject()
                ? QString::fromUtf8(QJsonDocument(maskData(applied.object())).toJson(QJsonDocument::Compact))
                : maskedValue(annotations.value(kLastApplied).toString().toUtf8()));
        metadata.insert(QStringLiteral("annotations"), annotations);
        out.insert(QStringLiteral("metadata"), metadata);
    }
    return out;
}

} // namespace driftdeck
