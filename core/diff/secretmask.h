#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

// Secret values never reach a diff, a log or the screen: each value of a Secret's data is replaced by
// a keyed hash, so two equal values still look equal and a changed value looks changed, but the value
// cannot be read back or guessed by hashing candidates without the key.
namespace driftdeck::diff {

// The hash is model/secretmask.h's (one key per process), so desired Secrets masked here and live
// Secrets the live cache masked on arrival compare: equal values give equal hashes.
class SecretMasker {
public:
    // model's maskedValue() of the decoded value.
    QString maskValue(const QByteArray& plainValue) const;
    // For a Secret: folds stringData into data (as the API server does), replaces every data value
    // by its mask, and drops the last-applied annotation (it holds the values in clear). Other
    // objects are returned unchanged.
    QJsonObject maskSecret(const QJsonObject& object) const;

    static bool isSecret(const QJsonObject& object);
    static bool isMasked(const QString& value);
};

} // namespace driftdeck::diff
