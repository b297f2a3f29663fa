#include "kube/kubeconfig.h"

#include "kube/redaction.h"
#include "yaml/yamlcodec.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSet>

namespace driftdeck::kube {

namespace {

QString str(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toString();
}

// kubectl joins a relative reference with the directory of the file that holds it.
QString resolvePath(const QString& path, const QString& baseDir) {
    if (path.isEmpty() || QDir::isAbsolutePath(path))
        return path;
    return QDir::cleanPath(QDir(baseDir).filePath(path));
}

void resolveInRaw(QJsonObject& raw, const char* key, const QString& baseDir) {
    const QString value = str(raw, key);
    if (!value.isEmpty())
        raw.insert(QLatin1String(key), resolvePath(value, baseDir));
}

Result<QByteArray> decodeData(const QJsonObject& o, const char* key, const QString& what) {
    const QString text = str(o, key);
    if (text.isEmpty())
        return QByteArray();
    auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return kubeError(Error::Code::Invalid, what + QStringLiteral(": ") + QLatin1String(key) +
                                                   QStringLiteral(" is not valid base64"));
    return *decoded;
}

// The named lists: [{name: x, <field>: {...}}]. Names must be unique inside one file.
Result<QList<QPair<QString, QJsonObject>>> namedList(const QJsonObject& root, const char* listKey,
                                                     const char* field, const QString& fileName) {
    QList<QPair<QString, QJsonObject>> out;
    const QJsonValue value = root.value(QLatin1String(listKey));
    if (value.isNull() || value.isUndefined())
        return out;
    if (!value.isArray())
        return kubeError(Error::Code::Invalid, fileName + QStringLiteral(": ") + QLatin1String(listKey) +
                                                   QStringLiteral(" must be a list"));
    QSet<QString> seen;
    for (const QJsonValue& item : value.toArray()) {
        const QJsonObject entry = item.toObject();
        const QString name = str(entry, "name");
        if (name.isEmpty())
            return kubeError(Error::Code::Invalid, fileName + QStringLiteral(": an entry of ") +
                                                       QLatin1String(listKey) +
                                                       QStringLiteral(" has no name"));
        if (seen.contains(name))
            return kubeError(Error::Code::Invalid, fileName + QStringLiteral(": duplicate name \"") + name +
                                                       QStringLiteral("\" in ") + QLatin1String(listKey));
        seen.insert(name);
        out.append({name, entry.value(QLatin1String(field)).toObject()});
    }
    return out;
}

Result<KubeCluster> parseCluster(QJsonObject raw, const QString& name, const QString& fileName,
                                 const QString& baseDir) {
    resolveInRaw(raw, "certificate-authority", baseDir);
    KubeCluster c;
    c.server = str(raw, "server");
    c.certificateAuthority = str(raw, "certificate-authority");
    const QString what = fileName + QStringLiteral(": cluster \"") + name + QStringLiteral("\"");
    auto ca = decodeData(raw, "certificate-authority-data", what);
    if (!ca)
        return ca.error();
    c.certificateAuthorityData = *ca;
    c.insecureSkipTlsVerify = raw.value(QLatin1String("insecure-skip-tls-verify")).toBool();
    c.tlsServerName = str(raw, "tls-server-name");
    c.proxyUrl = str(raw, "proxy-url");
    c.disableCompression = raw.value(QLatin1String("disable-compression")).toBool();
    c.origin = fileName;
    c.raw = raw;
    return c;
}

Result<KubeUser> parseUser(QJsonObject raw, const QString& name, const QString& fileName,
                           const QString& baseDir) {
    resolveInRaw(raw, "client-certificate", baseDir);
    resolveInRaw(raw, "client-key", baseDir);
    resolveInRaw(raw, "tokenFile", baseDir);
    KubeUser u;
    const QString what = fileName + QStringLiteral(": user \"") + name + QStringLiteral("\"");
    u.clientCertificate = str(raw, "client-certificate");
    u.clientKey = str(raw, "client-key");
    auto cert = decodeData(raw, "client-certificate-data", what);
    if (!cert)
        return cert.error();
    auto key = decodeData(raw, "client-key-data", what);
    if (!key)
        return key.error();
    u.clientCertificateData = *cert;
    u.clientKeyData = SecretString(*key);
    u.token = SecretString(str(raw, "token"));
    u.tokenFile = str(raw, "tokenFile");
    u.username = str(raw, "username");
    u.password = SecretString(str(raw, "password"));
    if (raw.contains(QLatin1String("exec")) && raw.value(QLatin1String("exec")).isObject()) {
        QJsonObject execRaw = raw.value(QLatin1String("exec")).toObject();
        ExecConfig exec;
        exec.command = str(execRaw, "command");
        // Only a command given as a path is file-relative; a bare name is looked up on PATH.
        if (exec.command.contains(QLatin1Char('/'))) {
            exec.command = resolvePath(exec.command, baseDir);
            execRaw.insert(QStringLiteral("command"), exec.command);
            raw.insert(QStringLiteral("exec"), execRaw);
        }
        exec.apiVersion = str(execRaw, "apiVersion");
        for (const QJsonValue& a : execRaw.value(QLatin1String("args")).toArray())
            exec.args.append(a.toString());
        for (const QJsonValue& e : execRaw.value(QLatin1String("env")).toArray()) {
            const QJsonObject pair = e.toObject();
            exec.env.append({str(pair, "name"), str(pair, "value")});
        }
        exec.installHint = str(execRaw, "installHint");
        exec.provideClusterInfo = execRaw.value(QLatin1String("provideClusterInfo")).toBool();
        exec.interactiveMode = str(execRaw, "interactiveMode");
        if (exec.command.isEmpty())
            return kubeError(Error::Code::Invalid, what + QStringLiteral(": exec has no command"));
        u.exec = exec;
    }
    if (raw.value(QLatin1String("auth-provider")).isObject()) {
        u.authProvider = str(raw.value(QLatin1String("auth-provider")).toObject(), "name");
        if (u.authProvider.isEmpty())
            u.authProvider = QStringLiteral("unnamed");
    }
    u.origin = fileName;
    u.raw = raw;
    return u;
}

// kubectl's masks for `config view` without --raw.
const QString kRedactedValue = QStringLiteral("REDACTED");
const QString kDataOmitted = QStringLiteral("DATA+OMITTED");

void mask(QJsonObject& o, const char* key, const QString& replacement) {
    if (!str(o, key).isEmpty())
        o.insert(QLatin1String(key), replacement);
}

QJsonObject maskedUser(QJsonObject raw) {
    mask(raw, "token", kRedactedValue);
    mask(raw, "password", kRedactedValue);
    mask(raw, "client-key-data", kDataOmitted);
    mask(raw, "client-certificate-data", kDataOmitted);
    // Legacy auth-provider sections carry id, access and refresh tokens in their config.
    QJsonObject provider = raw.value(QLatin1String("auth-provider")).toObject();
    if (!provider.isEmpty()) {
        QJsonObject config = provider.value(QLatin1String("config")).toObject();
        for (auto it = config.begin(); it != config.end(); ++it) {
            if (it.key().contains(QLatin1String("token")) || it.key().contains(QLatin1String("secret")))
                it.value() = kRedactedValue;
        }
        provider.insert(QStringLiteral("config"), config);
        raw.insert(QStringLiteral("auth-provider"), provider);
    }
    return raw;
}

QJsonArray namedArray(const QString& field, const QMap<QString, QJsonObject>& entries) {
    QJsonArray out;
    for (auto it = entries.begin(); it != entries.end(); ++it)
        out.append(QJsonObject{{QStringLiteral("name"), it.key()}, {field, it.value()}});
    return out;
}

} // namespace

QJsonObject Kubeconfig::toJson() const {
    QMap<QString, QJsonObject> c, u, x;
    for (auto it = clusters.begin(); it != clusters.end(); ++it) {
        QJsonObject cluster = it->raw;
        mask(cluster, "certificate-authority-data", kDataOmitted);
        c.insert(it.key(), cluster);
    }
    for (auto it = users.begin(); it != users.end(); ++it)
        u.insert(it.key(), maskedUser(it->raw));
    for (auto it = contexts.begin(); it != contexts.end(); ++it)
        x.insert(it.key(), it->raw);
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("Config")},
                       {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("preferences"), preferences},
                       {QStringLiteral("clusters"), namedArray(QStringLiteral("cluster"), c)},
                       {QStringLiteral("users"), namedArray(QStringLiteral("user"), u)},
                       {QStringLiteral("contexts"), namedArray(QStringLiteral("context"), x)},
                       {QStringLiteral("current-context"), currentContext}};
}

Result<Kubeconfig> parseKubeconfig(const QByteArray& content, const QString& fileName) {
    Kubeconfig config;
    config.files.append(fileName);
    auto parsed = yaml::parseDocument(content, fileName);
    if (!parsed)
        return kubeError(Error::Code::Invalid,
                         QStringLiteral("cannot read kubeconfig: ") + parsed.error().message,
                         parsed.error().detail);
    if (parsed->isNull() || parsed->isUndefined())
        return config;
    if (!parsed->isObject())
        return kubeError(Error::Code::Invalid, fileName + QStringLiteral(": a kubeconfig must be a mapping"));
    const QJsonObject root = parsed->toObject();
    const QString baseDir = QFileInfo(QFileInfo(fileName).absoluteFilePath()).absolutePath();

    auto clusters = namedList(root, "clusters", "cluster", fileName);
    if (!clusters)
        return clusters.error();
    for (const auto& [name, raw] : *clusters) {
        auto cluster = parseCluster(raw, name, fileName, baseDir);
        if (!cluster)
            return cluster.error();
        config.clusters.insert(name, *cluster);
    }
    auto users = namedList(root, "users", "user", fileName);
    if (!users)
        return users.error();
    for (const auto& [name, raw] : *users) {
        auto user = parseUser(raw, name, fileName, baseDir);
        if (!user)
            return user.error();
        config.users.insert(name, *user);
    }
    auto contexts = namedList(root, "contexts", "context", fileName);
    if (!contexts)
        return contexts.error();
    for (const auto& [name, raw] : *contexts) {
        KubeContext ctx;
        ctx.cluster = str(raw, "cluster");
        ctx.user = str(raw, "user");
        ctx.ns = str(raw, "namespace");
        ctx.origin = fileName;
        ctx.raw = raw;
        config.contexts.insert(name, ctx);
    }
    config.currentContext = str(root, "current-context");
    config.preferences = root.value(QLatin1String("preferences")).toObject();
    return config;
}

QStringList defaultKubeconfigPaths() {
    const QByteArray env = qgetenv("KUBECONFIG");
    if (env.isEmpty())
        return {QDir::home().filePath(QStringLiteral(".kube/config"))};
    QStringList out;
    for (const QString& part : QString::fromLocal8Bit(env).split(QLatin1Char(':'), Qt::SkipEmptyParts)) {
        if (!out.contains(part))
            out.append(part);
    }
    return out;
}

Result<Kubeconfig> loadKubeconfig(const QStringList& paths) {
    Kubeconfig merged;
    for (const QString& path : paths) {
        QFile file(path);
        if (!file.exists())
            continue;
        if (!file.open(QIODevice::ReadOnly))
            return kubeError(Error::Code::Invalid, QStringLiteral("cannot read kubeconfig ") + path +
                                                       QStringLiteral(": ") + file.errorString());
        auto one = parseKubeconfig(file.readAll(), path);
        if (!one)
            return one.error();
        merged.files.append(path);
        for (auto it = one->clusters.begin(); it != one->clusters.end(); ++it) {
            if (!merged.clusters.contains(it.key()))
                merged.clusters.insert(it.key(), it.value());
        }
        for (auto it = one->users.begin(); it != one->users.end(); ++it) {
            if (!merged.users.contains(it.key()))
                merged.users.insert(it.key(), it.value());
        }
        for (auto it = one->contexts.begin(); it != one->contexts.end(); ++it) {
            if (!merged.contexts.contains(it.key()))
                merged.contexts.insert(it.key(), it.value());
        }
        if (merged.currentContext.isEmpty())
            merged.currentContext = one->currentContext;
        for (auto it = one->preferences.begin(); it != one->preferences.end(); ++it) {
            if (!merged.preferences.contains(it.key()))
                merged.preferences.insert(it.key(), it.value());
        }
    }
    return merged;
}

Result<Kubeconfig> loadDefaultKubeconfig() {
    return loadKubeconfig(defaultKubeconfigPaths());
}

} // namespace driftdeck::kube
