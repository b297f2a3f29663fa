#pragma once

#include "kubesim/certificates.h"
#include "kubesim/controller.h"
#include "kubesim/faults.h"
#include "model/error.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

namespace driftdeck::kubesim {

class ObjectStore;

struct ClusterOptions {
    QString name = QStringLiteral("kubesim");
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0; // 0: a free port
    // Shared by every cluster of one process so the `admin` and `viewer` users work on all of them;
    // generated when empty.
    std::shared_ptr<const CertificateBundle> certificates;
    QByteArray viewerToken; // generated when empty; never logged
    FaultSettings faults;
    // Workload controllers and the garbage collector (Deployments roll out, Pods become Ready,
    // dependents of deleted owners go away). Off only for tests of the bare API.
    bool runControllers = true;
    ControllerOptions controllers;
};

// One simulated Kubernetes API server: an ObjectStore and its HTTPS ApiServer on their own QThread,
// so a caller may block (e.g. on a kubectl process) without stalling the server.
class SimulatedCluster {
public:
    explicit SimulatedCluster(ClusterOptions options = {});
    ~SimulatedCluster();
    SimulatedCluster(const SimulatedCluster&) = delete;
    SimulatedCluster& operator=(const SimulatedCluster&) = delete;

    // Returns once the server listens (or failed to).
    Status start();
    void stop();
    bool running() const;

    QString name() const { return m_options.name; }
    quint16 port() const { return m_port; }
    QUrl serverUrl() const; // https://127.0.0.1:<port>
    QUrl faultsUrl() const; // the admin-only fault endpoint: POST JSON (see FaultSettings)
    // Available from construction (unless generating them failed: then start() reports why).
    const CertificateBundle& certificates() const { return *m_options.certificates; }
    QByteArray viewerToken() const { return m_options.viewerToken; }

    // Thread-safe: applied on the cluster thread before returning.
    void setFaults(const FaultSettings& faults);
    // Runs `fn` on the cluster thread with its store and waits (in-process tests and benchmarks).
    void withStore(const std::function<void(ObjectStore&)>& fn);

private:
    struct Runtime;
    ClusterOptions m_options;
    Error m_setupError;
    quint16 m_port = 0;
    std::unique_ptr<Runtime> m_runtime;
};

// A kubeconfig for `clusters`: one cluster entry each (with the CA), users `admin` (client
// certificate) and `viewer` (token) taken from the first cluster, a context per cluster named like
// it (user admin) plus `<name>-viewer`; current-context is the first cluster.
QByteArray kubeconfigYaml(const QList<const SimulatedCluster*>& clusters);

} // namespace driftdeck::kubesim
