#include "kubesim/certificates.h"

#include <QFile>
#include <QSslCertificate>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace driftdeck::kubesim;

namespace {

TEST(ServerCertificatesTest, GeneratedServerCertificateNamesLoopback) {
    const driftdeck::Result<CertificateBundle> bundle = CertificateBundle::generate();
    ASSERT_TRUE(bundle.ok());
    const QSslCertificate server(bundle->serverCertificate);
    ASSERT_FALSE(server.isNull());
    const auto names = server.subjectAlternativeNames();
    EXPECT_TRUE(names.values(QSsl::DnsEntry).contains(QStringLiteral("localhost")));
    EXPECT_TRUE(names.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
    EXPECT_TRUE(names.values(QSsl::IpAddressEntry).contains(QStringLiteral("0:0:0:0:0:0:0:1")) ||
                names.values(QSsl::IpAddressEntry).contains(QStringLiteral("::1")));
    EXPECT_TRUE(bundle->serverKey.contains("PRIVATE KEY"));
}

TEST(ServerCertificatesTest, AdminCertificateIsVerifiedOnlyAgainstItsOwnCa) {
    const driftdeck::Result<CertificateBundle> one = CertificateBundle::generate();
    const driftdeck::Result<CertificateBundle> other = CertificateBundle::generate();
    ASSERT_TRUE(one.ok() && other.ok());
    const QByteArray adminDer = QSslCertificate(one->adminCertificate).toDer();
    EXPECT_EQ(verifiedClientName(adminDer, one->caCertificate), QStringLiteral("admin"));
    EXPECT_TRUE(verifiedClientName(adminDer, other->caCertificate).isEmpty());
    EXPECT_TRUE(verifiedClientName(QByteArray("not a certificate"), one->caCertificate).isEmpty());
}

TEST(ServerCertificatesTest, SaveAndLoadRoundTrip) {
    QTemporaryDir dir;
    const driftdeck::Result<CertificateBundle> bundle = CertificateBundle::generate();
    ASSERT_TRUE(bundle.ok());
    ASSERT_TRUE(bundle->save(dir.path()).ok());
    const driftdeck::Result<CertificateBundle> loaded = CertificateBundle::load(dir.path());
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(loaded->caCertificate, bundle->caCertificate);
    EXPECT_EQ(loaded->adminKey, bundle->adminKey);
    EXPECT_EQ(QFile(dir.filePath(QStringLiteral("admin.key"))).permissions() &
                  (QFileDevice::ReadGroup | QFileDevice::ReadOther),
              QFileDevice::Permissions());
    EXPECT_FALSE(CertificateBundle::load(dir.filePath(QStringLiteral("missing"))).ok());
}

} // namespace
