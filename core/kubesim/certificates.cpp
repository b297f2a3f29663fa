#include "kubesim/certificates.h"

#include <QDir>
#include <QFile>

#include <memory>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace driftdeck::kubesim {
namespace {

struct Deleter {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(BIO* p) const { BIO_free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter>;
using CertPtr = std::unique_ptr<X509, Deleter>;
using BioPtr = std::unique_ptr<BIO, Deleter>;

QByteArray bioBytes(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, qsizetype(size));
}

QByteArray keyPem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    return bioBytes(bio.get());
}

QByteArray certPem(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    return bioBytes(bio.get());
}

bool addExtension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

// Issues a certificate for `key`, signed by `issuerKey` (self-signed when issuer is null).
CertPtr issue(EVP_PKEY* key, const char* commonName, const char* organization, X509* issuer,
              EVP_PKEY* issuerKey, std::initializer_list<std::pair<int, const char*>> extensions) {
    CertPtr cert(X509_new());
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f; // positive
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    if (organization)
        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(organization), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(commonName),
                               -1, -1, 0);
    X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
    for (const auto& [nid, value] : extensions) {
        if (!addExtension(cert.get(), issuer ? issuer : cert.get(), nid, value))
            return nullptr;
    }
    if (X509_sign(cert.get(), issuerKey ? issuerKey : key, EVP_sha256()) <= 0)
        return nullptr;
    return cert;
}

Result<QByteArray> readFile(const QDir& dir, const char* name) {
    QFile file(dir.filePath(QString::fromLatin1(name)));
    if (!file.open(QIODevice::ReadOnly))
        return Error::make(Error::Code::NotFound, QStringLiteral("cannot read %1").arg(file.fileName()));
    return file.readAll();
}

} // namespace

Result<CertificateBundle> CertificateBundle::generate() {
    KeyPtr caKey(EVP_EC_gen("P-256"));
    KeyPtr serverKey(EVP_EC_gen("P-256"));
    KeyPtr adminKey(EVP_EC_gen("P-256"));
    if (!caKey || !serverKey || !adminKey)
        return Error::make(Error::Code::Internal, QStringLiteral("could not generate TLS keys"));
    CertPtr ca = issue(caKey.get(), "kubesim-ca", nullptr, nullptr, nullptr,
                       {{NID_basic_constraints, "critical,CA:TRUE"},
                        {NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature"},
                        {NID_subject_key_identifier, "hash"}});
    if (!ca)
        return Error::make(Error::Code::Internal, QStringLiteral("could not create the CA certificate"));
    CertPtr server = issue(serverKey.get(), "kube-apiserver", nullptr, ca.get(), caKey.get(),
                           {{NID_basic_constraints, "critical,CA:FALSE"},
                            {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                            {NID_ext_key_usage, "serverAuth"},
                            {NID_authority_key_identifier, "keyid"},
                            {NID_subject_alt_name, "DNS:localhost,DNS:kubernetes,IP:127.0.0.1,IP:::1"}});
    CertPtr admin = issue(adminKey.get(), "admin", "system:masters", ca.get(), caKey.get(),
                          {{NID_basic_constraints, "critical,CA:FALSE"},
                           {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                           {NID_ext_key_usage, "clientAuth"},
                           {NID_authority_key_identifier, "keyid"}});
    if (!server || !admin)
        return Error::make(Error::Code::Internal, QStringLiteral("could not create the TLS certificates"));
    CertificateBundle bundle;
    bundle.caCertificate = certPem(ca.get());
    bundle.serverCertificate = certPem(server.get());
    bundle.serverKey = keyPem(serverKey.get());
    bundle.adminCertificate = certPem(admin.get());
    bundle.adminKey = keyPem(adminKey.get());
    return bundle;
}

Result<CertificateBundle> CertificateBundle::load(const QString& directory) {
    const QDir dir(directory);
    CertificateBundle bundle;
    const std::pair<const char*, QByteArray*> files[] = {{"ca.crt", &bundle.caCertificate},
                                                         {"server.crt", &bundle.serverCertificate},
                                                         {"server.key", &bundle.serverKey},
                                                         {"admin.crt", &bundle.adminCertificate},
                                                         {"admin.key", &bundle.adminKey}};
    for (const auto& [name, target] : files) {
        Result<QByteArray> data = readFile(dir, name);
        if (!data)
            return data.error();
        *target = *data;
    }
    return bundle;
}

Status CertificateBundle::save(const QString& directory) const {
    QDir().mkpath(directory);
    const QDir dir(directory);
    const std::tuple<const char*, const QByteArray*, bool> files[] = {
        {"ca.crt", &caCertificate, false},
        {"server.crt", &serverCertificate, false},
        {"server.key", &serverKey, true},
        {"admin.crt", &adminCertificate, false},
        {"admin.key", &adminKey, true}};
    for (const auto& [name, data, secret] : files) {
        QFile file(dir.filePath(QString::fromLatin1(name)));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return Error::make(Error::Code::Invalid, QStringLiteral("cannot write %1").arg(file.fileName()));
        if (secret)
            file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write(*data);
    }
    return success();
}

QString verifiedClientName(const QByteArray& clientDer, const QByteArray& caPem) {
    const auto* der = reinterpret_cast<const unsigned char*>(clientDer.constData());
    CertPtr client(d2i_X509(nullptr, &der, long(clientDer.size())));
    BioPtr bio(BIO_new_mem_buf(caPem.constData(), int(caPem.size())));
    CertPtr ca(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!client || !ca)
        return {};
    EVP_PKEY* caKey = X509_get0_pubkey(ca.get());
    if (!caKey || X509_verify(client.get(), caKey) != 1)
        return {};
    if (X509_cmp_current_time(X509_get0_notBefore(client.get())) >= 0 ||
        X509_cmp_current_time(X509_get0_notAfter(client.get())) <= 0)
        return {};
    char cn[256] = {};
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(client.get()), NID_commonName, cn, sizeof cn) <= 0)
        return {};
    return QString::fromUtf8(cn);
}

} // namespace driftdeck::kubesim
