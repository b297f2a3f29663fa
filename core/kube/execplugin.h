#pragma once

#include "kube/kubeconfig.h"
#include "model/error.h"
#include "model/secretstring.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>

#include <chrono>

namespace driftdeck::kube {

// What an exec credential plugin returned (status of an ExecCredential).
struct ExecCredentialResult {
    SecretString token;
    QByteArray clientCertificateData; // PEM
    SecretString clientKeyData;       // PEM
    QDateTime expiration;             // invalid: valid until a 401 says otherwise
};

// Runs an exec credential plugin the way kubectl does (client.authentication.k8s.io/v1 and v1beta1),
// except that it never waits for input: stdin is closed and KUBERNETES_EXEC_INFO says
// interactive=false. `clusterInfo` is passed as spec.cluster when provideClusterInfo is set.
// Blocks the calling thread (a cluster worker) for at most `timeout`.
Result<ExecCredentialResult> runExecPlugin(const ExecConfig& exec, const QJsonObject& clusterInfo,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(60));

} // namespace driftdeck::kube
