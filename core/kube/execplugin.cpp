#include "kube/execplugin.h"

#include "kube/redaction.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>

namespace driftdeck::kube {

namespace {

const QString kV1 = QStringLiteral("client.authentication.k8s.io/v1");
const QString kV1beta1 = QStringLiteral("client.authentication.k8s.io/v1beta1");

Error pluginError(const ExecConfig& exec, const QString& what, const QString& detail = {}) {
    return kubeError(
        Error::Code::Unauthorized,
        QStringLiteral("exec credential plugin \"") + exec.command + QStringLiteral("\" ") + what, detail);
}

} // namespace

Result<ExecCredentialResult> runExecPlugin(const ExecConfig& exec, const QJsonObject& clusterInfo,
                                           std::chrono::milliseconds timeout) {
    const QString apiVersion = exec.apiVersion.isEmpty() ? kV1beta1 : exec.apiVersion;
    if (apiVersion != kV1 && apiVersion != kV1beta1)
        return pluginError(exec, QStringLiteral("asks for unsupported apiVersion ") + apiVersion +
                                     QStringLiteral(" (Driftdeck supports ") + kV1 + QStringLiteral(" and ") +
                                     kV1beta1 + QStringLiteral(")"));
    if (exec.interactiveMode == QLatin1String("Always"))
        return pluginError(exec, QStringLiteral("requires an interactive terminal (interactiveMode: Always). "
                                                "Driftdeck cannot run interactive plugins: log in from a "
                                                "terminal first (for example run a kubectl command against "
                                                "this context), then retry"));

    const QString program =
        exec.command.contains(QLatin1Char('/')) ? exec.command : QStandardPaths::findExecutable(exec.command);
    if (program.isEmpty() || !QFileInfo(program).isExecutable()) {
        QString message = QStringLiteral("was not found");
        if (!exec.installHint.isEmpty())
            message += QStringLiteral(": ") + exec.installHint.trimmed();
        return pluginError(exec, message);
    }

    QJsonObject spec{{QStringLiteral("interactive"), false}};
    if (exec.provideClusterInfo)
        spec.insert(QStringLiteral("cluster"), clusterInfo);
    const QJsonObject info{{QStringLiteral("apiVersion"), apiVersion},
                           {QStringLiteral("kind"), QStringLiteral("ExecCredential")},
                           {QStringLiteral("spec"), spec}};

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto& [name, value] : exec.env)
        env.insert(name, value);
    env.insert(QStringLiteral("KUBERNETES_EXEC_INFO"),
               QString::fromUtf8(QJsonDocument(info).toJson(QJsonDocument::Compact)));

    QProcess process;
    process.setProcessEnvironment(env);
    // The plugin must never wait for the operator: there is no terminal behind a desktop app.
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, exec.args);
    if (!process.waitForStarted(10000))
        return pluginError(exec, QStringLiteral("could not be started: ") + process.errorString());
    if (!process.waitForFinished(int(timeout.count()))) {
        process.kill();
        process.waitForFinished(2000);
        return pluginError(exec, QStringLiteral("did not finish within ") +
                                     QString::number(timeout.count() / 1000) +
                                     QStringLiteral(" s; it may be waiting for input, which Driftdeck cannot "
                                                    "give: log in from a terminal first"));
    }
    const QByteArray out = process.readAllStandardOutput();
    const QString err = QString::fromUtf8(process.readAllStandardError()).trimmed().left(2000);
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return pluginError(
            exec, QStringLiteral("failed with exit code ") + QString::number(process.exitCode()), err);

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(out, &parseError);
    if (!doc.isObject())
        return pluginError(exec,
                           QStringLiteral("printed something that is not an ExecCredential JSON object"));
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("kind")).toString() != QLatin1String("ExecCredential"))
        return pluginError(exec, QStringLiteral("printed an object that is not kind ExecCredential"));
    const QString gotVersion = root.value(QLatin1String("apiVersion")).toString();
    if (gotVersion != apiVersion)
        return pluginError(exec, QStringLiteral("answered with apiVersion ") + gotVersion +
                                     QStringLiteral(" but was configured for ") + apiVersion);
    const QJsonObject status = root.value(QLatin1String("status")).toObject();
    ExecCredentialResult result;
    result.token = SecretString(status.value(QLatin1String("token")).toString());
    result.clientCertificateData = status.value(QLatin1String("clientCertificateData")).toString().toUtf8();
    result.clientKeyData = SecretString(status.value(QLatin1String("clientKeyData")).toString());
    const QString expiry = status.value(QLatin1String("expirationTimestamp")).toString();
    if (!expiry.isEmpty()) {
        result.expiration = QDateTime::fromString(expiry, Qt::ISODate);
        if (!result.expiration.isValid())
            return pluginError(exec, QStringLiteral("returned an invalid expirationTimestamp"));
    }
    if (result.token.isEmpty() && (result.clientCertificateData.isEmpty() || result.clientKeyData.isEmpty()))
        return pluginError(exec, QStringLiteral("returned neither a token nor a client certificate and key"));
    if (result.clientCertificateData.isEmpty() != result.clientKeyData.isEmpty())
        return pluginError(exec, QStringLiteral("returned a client certificate without its key, or a key "
                                                "without its certificate"));
    return result;
}

} // namespace driftdeck::kube
