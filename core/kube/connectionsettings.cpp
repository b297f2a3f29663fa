#include "kube/connectionsettings.h"

#include "kube/redaction.h"

#include <QFile>

namespace driftdeck::kube {

namespace {

QString authProviderAdvice(const QString& provider) {
    if (provider == QLatin1String("gcp"))
        return QStringLiteral("use the exec plugin gke-gcloud-auth-plugin (see \"gcloud components install "
                              "gke-gcloud-auth-plugin\")");
    if (provider == QLatin1String("azure"))
        return QStringLiteral("use the exec plugin kubelogin (\"kubelogin convert-kubeconfig\")");
    if (provider == QLatin1String("oidc"))
        return QStringLiteral("use the exec plugin kubelogin (int128/kubelogin, \"kubectl oidc-login\")");
    return QStringLiteral("use an exec credential plugin instead");
}

// client-go's wording, so the message matches what kubectl prints for the same kubeconfig.
Error insecureWithCa(const QString& cluster) {
    return kubeError(
        Error::Code::Invalid,
        QStringLiteral("cluster \"") + cluster +
            QStringLiteral("\": specifying a root certificates file with the insecure flag is not "
                           "allowed; remove certificate-authority(-data) or "
                           "insecure-skip-tls-verify"));
}

} // namespace

QString ConnectionSettings::displayName() const {
    QUrl shown = server;
    shown.setUserInfo({});
    return contextName + QStringLiteral(" (") + shown.toString() + QStringLiteral(")");
}

Result<QNetworkProxy> proxyFromUrl(const QString& text) {
    const QUrl url(text);
    QNetworkProxy proxy;
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("https"))
        return kubeError(Error::Code::Invalid,
                         QStringLiteral("proxy-url ") + QUrl(text).adjusted(QUrl::RemoveUserInfo).toString() +
                             QStringLiteral(" asks for a TLS connection to the proxy, which Driftdeck cannot "
                                            "make (Qt speaks only plain HTTP to proxies); use an http:// or "
                                            "socks5:// proxy-url"));
    if (scheme == QLatin1String("http"))
        proxy.setType(QNetworkProxy::HttpProxy);
    else if (scheme == QLatin1String("socks5") || scheme == QLatin1String("socks5h"))
        proxy.setType(QNetworkProxy::Socks5Proxy);
    else
        return kubeError(Error::Code::Invalid, QStringLiteral("unsupported proxy-url scheme \"") + scheme +
                                                   QStringLiteral("\": use http or socks5"));
    if (url.host().isEmpty())
        return kubeError(Error::Code::Invalid, QStringLiteral("proxy-url has no host"));
    proxy.setHostName(url.host());
    proxy.setPort(quint16(url.port(scheme.startsWith(QLatin1String("socks")) ? 1080 : 80)));
    if (!url.userName().isEmpty()) {
        proxy.setUser(url.userName());
        proxy.setPassword(url.password());
    }
    return proxy;
}

Status validateTls(const ConnectionSettings& settings) {
    if (settings.insecureSkipTlsVerify && (!settings.caCertificates.isEmpty() || !settings.caData.isEmpty()))
        return insecureWithCa(settings.clusterName);
    return success();
}

Result<ConnectionSettings> connectionSettings(const Kubeconfig& config, const QString& context) {
    const QString name = context.isEmpty() ? config.currentContext : context;
    if (name.isEmpty())
        return kubeError(Error::Code::Invalid, QStringLiteral("the kubeconfig has no current-context; name a "
                                                              "context"));
    const auto ctx = config.contexts.constFind(name);
    if (ctx == config.contexts.constEnd())
        return kubeError(Error::Code::NotFound,
                         QStringLiteral("context \"") + name + QStringLiteral("\" is not in the kubeconfig"));
    const auto cluster = config.clusters.constFind(ctx->cluster);
    if (cluster == config.clusters.constEnd())
        return kubeError(Error::Code::NotFound, QStringLiteral("context \"") + name +
                                                    QStringLiteral("\" names cluster \"") + ctx->cluster +
                                                    QStringLiteral("\", which is not in the kubeconfig"));
    ConnectionSettings s;
    s.contextName = name;
    s.clusterName = ctx->cluster;
    s.userName = ctx->user;
    s.ns = ctx->ns.isEmpty() ? QStringLiteral("default") : ctx->ns;
    if (!ctx->user.isEmpty()) {
        const auto user = config.users.constFind(ctx->user);
        if (user == config.users.constEnd())
            return kubeError(Error::Code::NotFound, QStringLiteral("context \"") + name +
                                                        QStringLiteral("\" names user \"") + ctx->user +
                                                        QStringLiteral("\", which is not in the kubeconfig"));
        s.user = *user;
    }
    if (!s.user.authProvider.isEmpty())
        return kubeError(Error::Code::Invalid,
                         QStringLiteral("user \"") + ctx->user +
                             QStringLiteral("\" uses the legacy auth-provider \"") + s.user.authProvider +
                             QStringLiteral("\", which Driftdeck (like kubectl 1.26+) does not support: ") +
                             authProviderAdvice(s.user.authProvider));
    if (cluster->server.isEmpty())
        return kubeError(Error::Code::Invalid,
                         QStringLiteral("cluster \"") + ctx->cluster + QStringLiteral("\" has no server"));
    s.server = QUrl(cluster->server);
    if (!s.server.isValid() || s.server.host().isEmpty())
        return kubeError(Error::Code::Invalid, QStringLiteral("cluster \"") + ctx->cluster +
                                                   QStringLiteral("\" has an invalid server URL"));
    s.insecureSkipTlsVerify = cluster->insecureSkipTlsVerify;
    s.tlsServerName = cluster->tlsServerName;
    if (s.insecureSkipTlsVerify &&
        (!cluster->certificateAuthority.isEmpty() || !cluster->certificateAuthorityData.isEmpty()))
        return insecureWithCa(ctx->cluster);
    QByteArray caPem = cluster->certificateAuthorityData;
    if (caPem.isEmpty() && !cluster->certificateAuthority.isEmpty()) {
        QFile file(cluster->certificateAuthority);
        if (!file.open(QIODevice::ReadOnly))
            return kubeError(Error::Code::Invalid, QStringLiteral("cannot read certificate-authority ") +
                                                       cluster->certificateAuthority +
                                                       QStringLiteral(" of cluster \"") + ctx->cluster +
                                                       QStringLiteral("\": ") + file.errorString());
        caPem = file.readAll();
    }
    if (!caPem.isEmpty()) {
        s.caData = caPem;
        s.caCertificates = QSslCertificate::fromData(caPem, QSsl::Pem);
        if (s.caCertificates.isEmpty())
            return kubeError(Error::Code::Invalid, QStringLiteral("the certificate-authority of cluster \"") +
                                                       ctx->cluster +
                                                       QStringLiteral("\" holds no PEM certificate"));
    }
    if (!cluster->proxyUrl.isEmpty()) {
        auto proxy = proxyFromUrl(cluster->proxyUrl);
        if (!proxy)
            return kubeError(proxy.error().code, QStringLiteral("cluster \"") + ctx->cluster +
                                                     QStringLiteral("\": ") + proxy.error().message);
        s.proxy = *proxy;
    }
    return s;
}

} // namespace driftdeck::kube
