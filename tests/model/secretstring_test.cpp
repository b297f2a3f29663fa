#include "model/secretmask.h"
#include "model/secretstring.h"

#include <QDebug>
#include <QJsonDocument>

#include <gtest/gtest.h>
#include <type_traits>

using namespace driftdeck;

// Review item 12: credentials were plain QString/QByteArray, one qDebug() away from a log.
static_assert(!std::is_convertible_v<SecretString, QString>);
static_assert(!std::is_convertible_v<SecretString, QByteArray>);
static_assert(!std::is_convertible_v<QString, SecretString>);
static_assert(!std::is_convertible_v<QByteArray, SecretString>);

TEST(SecretString, DebugOutputNeverShowsTheValue) {
    const SecretString token(QStringLiteral("eyJhbGciOi-secret-token-value"));
    QString printed;
    QDebug(&printed) << token << QVariant::fromValue(token).value<SecretString>();
    EXPECT_FALSE(printed.contains(QStringLiteral("secret-token-value"))) << printed.toStdString();
    EXPECT_TRUE(printed.contains(QStringLiteral("<redacted>"))) << printed.toStdString();
    EXPECT_EQ(token.revealText(), QStringLiteral("eyJhbGciOi-secret-token-value"));
    EXPECT_EQ(token.reveal(), QByteArray("eyJhbGciOi-secret-token-value"));
}

TEST(SecretString, EqualityAndEmptiness) {
    EXPECT_TRUE(SecretString().isEmpty());
    EXPECT_EQ(SecretString(QByteArray("abc")), SecretString(QStringLiteral("abc")));
    EXPECT_NE(SecretString(QByteArray("abc")), SecretString(QByteArray("abd")));
    SecretString s(QByteArray("x"));
    s.clear();
    EXPECT_TRUE(s.isEmpty());
}

namespace {

QJsonObject secret(const QJsonObject& data, const QJsonObject& stringData = {}) {
    QJsonObject o{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                  {QStringLiteral("kind"), QStringLiteral("Secret")},
                  {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("s")}}},
                  {QStringLiteral("data"), data}};
    if (!stringData.isEmpty())
        o.insert(QStringLiteral("stringData"), stringData);
    return o;
}

QString b64(const char* text) {
    return QString::fromLatin1(QByteArray(text).toBase64());
}

} // namespace

TEST(SecretMask, ValuesBecomeKeyedHashesThatStillShowChanges) {
    const QJsonObject live = secret(
        {{QStringLiteral("password"), b64("hunter2-plain")}, {QStringLiteral("user"), b64("admin-user")}},
        {{QStringLiteral("extra"), QStringLiteral("string-plain")}});
    const QJsonObject masked = maskSecret(live);
    const QByteArray text = QJsonDocument(masked).toJson();
    for (const char* leak : {"hunter2-plain", "admin-user", "string-plain"}) {
        EXPECT_FALSE(text.contains(leak)) << text.toStdString();
        EXPECT_FALSE(text.contains(QByteArray(leak).toBase64())) << text.toStdString();
    }
    const QJsonObject data = masked.value(QLatin1String("data")).toObject();
    EXPECT_TRUE(isMaskedValue(data.value(QLatin1String("password")).toString()));
    EXPECT_TRUE(data.value(QLatin1String("password")).toString().startsWith(u"driftdeck-masked:sha256:"));
    // Same value, same hash (also between data and stringData); another value, another hash.
    const QJsonObject again = maskSecret(secret({{QStringLiteral("password"), b64("hunter2-plain")}},
                                                {{QStringLiteral("user"), QStringLiteral("admin-user")}}));
    EXPECT_EQ(again.value(QLatin1String("data")).toObject().value(QLatin1String("password")),
              data.value(QLatin1String("password")));
    EXPECT_EQ(again.value(QLatin1String("stringData")).toObject().value(QLatin1String("user")),
              data.value(QLatin1String("user")));
    const QJsonObject changed = maskSecret(secret({{QStringLiteral("password"), b64("hunter3-plain")}}));
    EXPECT_NE(changed.value(QLatin1String("data")).toObject().value(QLatin1String("password")),
              data.value(QLatin1String("password")));
    // Masking twice changes nothing; other kinds are untouched.
    EXPECT_EQ(maskSecret(masked), masked);
    QJsonObject configMap = live;
    configMap.insert(QStringLiteral("kind"), QStringLiteral("ConfigMap"));
    EXPECT_EQ(maskSecret(configMap), configMap);
}

TEST(SecretMask, LastAppliedConfigurationIsMaskedInside) {
    QJsonObject live = secret({{QStringLiteral("token"), b64("applied-token-plain")}});
    const QJsonObject applied =
        secret({}, {{QStringLiteral("token"), QStringLiteral("applied-token-plain")}});
    live.insert(QStringLiteral("metadata"),
                QJsonObject{{QStringLiteral("name"), QStringLiteral("s")},
                            {QStringLiteral("annotations"),
                             QJsonObject{{QStringLiteral("kubectl.kubernetes.io/last-applied-configuration"),
                                          QString::fromUtf8(QJsonDocument(applied).toJson())}}}});
    const QByteArray text = QJsonDocument(maskSecret(live)).toJson();
    EXPECT_FALSE(text.contains("applied-token-plain")) << text.toStdString();
    EXPECT_FALSE(text.contains(QByteArray("applied-token-plain").toBase64())) << text.toStdString();
    EXPECT_TRUE(text.contains("driftdeck-masked:sha256:")) << text.toStdString();
}
