#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

class QDebug;

namespace driftdeck {

// A credential (token, password, private key) that must not leak into logs, errors or the UI.
// Nothing converts it to text implicitly: code that needs the value calls reveal() and so says so
// where it happens. QDebug prints "<redacted>".
class SecretString {
public:
    SecretString() = default;
    explicit SecretString(QByteArray value)
        : m_value(std::move(value)) {}
    explicit SecretString(const QString& value)
        : m_value(value.toUtf8()) {}

    const QByteArray& reveal() const { return m_value; }
    QString revealText() const { return QString::fromUtf8(m_value); }
    bool isEmpty() const { return m_value.isEmpty(); }
    void clear() { m_value.clear(); }

    bool operator==(const SecretString&) const = default;

private:
    QByteArray m_value;
};

QDebug operator<<(QDebug debug, const SecretString& secret);

} // namespace driftdeck

Q_DECLARE_METATYPE(driftdeck::SecretString)
