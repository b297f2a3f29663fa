#pragma once

#include "kube/kubeconfig.h"
#include "model/error.h"
#include "model/secretstring.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QObject>

#include <chrono>
#include <functional>

class QProcess;
class QTimer;

namespace driftdeck::kube {

// What an exec credential plugin returned (status of an ExecCredential).
struct ExecCredentialResult {
    SecretString token;
    QByteArray clientCertificateData; // PEM
    SecretString clientKeyData;       // PEM
    QDateTime expiration;             // invalid: valid until a 401 says otherwise
};

// One run of an exec credential plugin the way kubectl runs it (client.authentication.k8s.io/v1 and
// v1beta1), except that it never waits for input: stdin is closed and KUBERNETES_EXEC_INFO says
// interactive=false. `clusterInfo` is passed as spec.cluster when provideClusterInfo is set.
// Asynchronous on the event loop of the thread that calls start() (a cluster's thread), so the
// cluster's other requests and watches carry on while a slow plugin (a browser login, a cloud CLI)
// runs. `done` is called exactly once, on that thread, unless the run is destroyed first (which
// kills the plugin).
class ExecPluginRun : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(Result<ExecCredentialResult>)>;

    // An ExecCredential is a few KiB; more is a broken or hostile plugin.
    static constexpr qsizetype kMaxOutput = 1024 * 1024;

    ExecPluginRun(ExecConfig exec, QJsonObject clusterInfo, Done done,
                  std::chrono::milliseconds timeout = std::chrono::seconds(60), QObject* parent = nullptr);
    ~ExecPluginRun() override;

    void start();

private:
    void onFinished();
    void fail(const Error& error);
    Error pluginError(const QString& what, const QString& detail = {}) const;

    ExecConfig m_exec;
    QJsonObject m_clusterInfo;
    Done m_done;
    std::chrono::milliseconds m_timeout;
    QProcess* m_process = nullptr;
    QTimer* m_timer = nullptr;
    QByteArray m_out;
    QByteArray m_err;
};

// Reads a plugin's standard output (an ExecCredential JSON object) as configured by `exec`.
Result<ExecCredentialResult> parseExecCredential(const ExecConfig& exec, const QByteArray& output);

} // namespace driftdeck::kube
