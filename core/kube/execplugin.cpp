#include "kube/execplugin.h"

#include "kube/redaction.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTimer>

namespace driftdeck::kube {

namespace {

const QString kV1 = QStringLiteral("client.authentication.k8s.io/v1");
const QString kV1beta1 = QStringLiteral("client.authentication.k8s.io/v1beta1");
constexpr qsizetype kMaxStderr = 64 * 1024; // only the start is shown; the rest is not kept

Error pluginError(const ExecConfig& exec, Error::Code code, const QString& what, const QString& detail = {}) {
    return kubeError(
        code, QStringLiteral("exec credential plugin \"") + exec.command + QStringLiteral("\" ") + what,
        detail);
}

QString apiVersionOf(const ExecConfig& exec) {
    return exec.apiVersion.isEmpty() ? kV1beta1 : exec.apiVersion;
}

} // namespace

ExecPluginRun::ExecPluginRun(ExecConfig exec, QJsonObject clusterInfo, Done done,
                             std::chrono::milliseconds timeout, QObject* parent)
    : QObject(parent)
    , m_exec(std::move(exec))
    , m_clusterInfo(std::move(clusterInfo))
    , m_done(std::move(done))
    , m_timeout(timeout) {}

ExecPluginRun::~ExecPluginRun() {
    m_done = nullptr; // whoever destroys a run no longer waits for it
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

Error ExecPluginRun::pluginError(const QString& what, const QString& detail) const {
    return kube::pluginError(m_exec, Error::Code::Unauthorized, what, detail);
}

void ExecPluginRun::fail(const Error& error) {
    if (m_timer)
        m_timer->stop();
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        m_process->kill();
    }
    if (auto done = std::exchange(m_done, nullptr))
        done(error);
}

void ExecPluginRun::start() {
    const QString apiVersion = apiVersionOf(m_exec);
    if (apiVersion != kV1 && apiVersion != kV1beta1)
        return fail(pluginError(QStringLiteral("asks for unsupported apiVersion ") + apiVersion +
                                QStringLiteral(" (Driftdeck supports ") + kV1 + QStringLiteral(" and ") +
                                kV1beta1 + QStringLiteral(")")));
    if (m_exec.interactiveMode == QLatin1String("Always"))
        return fail(pluginError(QStringLiteral("requires an interactive terminal (interactiveMode: Always). "
                                               "Driftdeck cannot run interactive plugins: log in from a "
                                               "terminal first (for example run a kubectl command against "
                                               "this context), then retry")));
    const QString program = m_exec.command.contains(QLatin1Char('/'))
                                ? m_exec.command
                                : QStandardPaths::findExecutable(m_exec.command);
    if (program.isEmpty() || !QFileInfo(program).isExecutable()) {
        QString message = QStringLiteral("was not found");
        if (!m_exec.installHint.isEmpty())
            message += QStringLiteral(": ") + m_exec.installHint.trimmed();
        return fail(pluginError(message));
    }

    QJsonObject spec{{QStringLiteral("interactive"), false}};
    if (m_exec.provideClusterInfo)
        spec.insert(QStringLiteral("cluster"), m_clusterInfo);
    const QJsonObject info{{QStringLiteral("apiVersion"), apiVersion},
                           {QStringLiteral("kind"), QStringLiteral("ExecCredential")},
                           {QStringLiteral("spec"), spec}};
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto& [name, value] : m_exec.env)
        env.insert(name, value);
    env.insert(QStringLiteral("KUBERNETES_EXEC_INFO"),
               QString::fromUtf8(QJsonDocument(info).toJson(QJsonDocument::Compact)));

    m_process = new QProcess(this);
    m_process->setProcessEnvironment(env);
    // The plugin must never wait for the operator: there is no terminal behind a desktop app.
    m_process->setStandardInputFile(QProcess::nullDevice());
    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] {
        m_out += m_process->readAllStandardOutput();
        if (m_out.size() > kMaxOutput)
            fail(kube::pluginError(m_exec, Error::Code::TooLarge,
                                   QStringLiteral("printed more than ") + QString::number(kMaxOutput / 1024) +
                                       QStringLiteral(" KiB; an ExecCredential is far smaller, so the "
                                                      "plugin was stopped")));
    });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        const QByteArray chunk = m_process->readAllStandardError();
        if (m_err.size() < kMaxStderr)
            m_err += chunk.left(kMaxStderr - m_err.size());
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            fail(pluginError(QStringLiteral("could not be started: ") + m_process->errorString()));
    });
    connect(m_process, &QProcess::finished, this, &ExecPluginRun::onFinished);
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        fail(pluginError(QStringLiteral("did not finish within ") +
                         QString::number(m_timeout.count() / 1000) +
                         QStringLiteral(" s; it may be waiting for input, which Driftdeck cannot "
                                        "give: log in from a terminal first")));
    });
    m_timer->start(m_timeout);
    m_process->start(program, m_exec.args);
}

void ExecPluginRun::onFinished() {
    m_timer->stop();
    m_out += m_process->readAllStandardOutput();
    if (m_err.size() < kMaxStderr)
        m_err += m_process->readAllStandardError().left(kMaxStderr - m_err.size());
    if (m_out.size() > kMaxOutput)
        return fail(kube::pluginError(m_exec, Error::Code::TooLarge,
                                      QStringLiteral("printed more than ") +
                                          QString::number(kMaxOutput / 1024) +
                                          QStringLiteral(" KiB; an ExecCredential is far smaller")));
    const QString err = QString::fromUtf8(m_err).trimmed().left(2000);
    if (m_process->exitStatus() != QProcess::NormalExit || m_process->exitCode() != 0)
        return fail(pluginError(
            QStringLiteral("failed with exit code ") + QString::number(m_process->exitCode()), err));
    auto result = parseExecCredential(m_exec, m_out);
    if (auto done = std::exchange(m_done, nullptr))
        done(std::move(result));
}

Result<ExecCredentialResult> parseExecCredential(const ExecConfig& exec, const QByteArray& out) {
    const auto error = [&](const QString& what) {
        return pluginError(exec, Error::Code::Unauthorized, what);
    };
    const QString apiVersion = apiVersionOf(exec);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(out, &parseError);
    if (!doc.isObject())
        return error(QStringLiteral("printed something that is not an ExecCredential JSON object"));
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("kind")).toString() != QLatin1String("ExecCredential"))
        return error(QStringLiteral("printed an object that is not kind ExecCredential"));
    const QString gotVersion = root.value(QLatin1String("apiVersion")).toString();
    if (gotVersion != apiVersion)
        return error(QStringLiteral("answered with apiVersion ") + gotVersion +
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
            return error(QStringLiteral("returned an invalid expirationTimestamp"));
    }
    if (result.token.isEmpty() && (result.clientCertificateData.isEmpty() || result.clientKeyData.isEmpty()))
        return error(QStringLiteral("returned neither a token nor a client certificate and key"));
    if (result.clientCertificateData.isEmpty() != result.clientKeyData.isEmpty())
        return error(QStringLiteral("returned a client certificate without its key, or a key "
                                    "without its certificate"));
    return result;
}

} // namespace driftdeck::kube
