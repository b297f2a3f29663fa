#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

// Secret objects are compared (live against desired) but their values must never reach the UI, a
// log or a diff. Each value is replaced by a keyed hash, so "changed" and "unchanged" stay visible
// while the value does not. The key is random per process: hashes are comparable within one run
// only, and cannot be reversed by hashing guesses offline.
namespace driftdeck {

// "driftdeck-masked:sha256:" + the first 16 hex digits of HMAC-SHA256(process key, value).
QString maskedValue(const QByteArray& value);
bool isMaskedValue(const QString& text);

// The Secret with every value of `data` (base64: the decoded bytes are hashed) and `stringData`
// (the UTF-8 text is hashed) masked, so one value in data and the same in stringData mask alike.
// The kubectl.kubernetes.io/last-applied-configuration annotation is masked the same way inside.
// Objects of other kinds are returned unchanged.
QJsonObject maskSecret(const QJsonObject& secret);

} // namespace driftdeck
