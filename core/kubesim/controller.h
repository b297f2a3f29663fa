#pragma once

#include "kubesim/objectstore.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

#include <chrono>

// The controllers of a simulated cluster: what kube-controller-manager, the scheduler and a kubelet
// would do to workloads, so that `kubectl rollout status`, `kubectl get pods` and health checks see
// a cluster that converges. Runs on the cluster's thread against the ObjectStore; every write goes
// through the store like any client's, so watchers see the same events as on a real cluster.
// Failure on purpose: a container whose image contains "crashloop" (e.g. `example/crashloop:1`,
// `payments:2.1.0-crashloop`) exits at start and goes into CrashLoopBackOff, which is how tests and
// the demo fleet (docs/demo.md) get a Degraded workload.
namespace driftdeck::kubesim {

struct ControllerOptions {
    std::chrono::milliseconds readyDelay{1000};      // from a pod's creation to Ready (or Completed)
    std::chrono::milliseconds restartInterval{2000}; // how often a crash-looping container restarts
    QString nodeName = QStringLiteral("kubesim-node");
    // PEM of the cluster's CA, published in every namespace as ConfigMap kube-root-ca.crt.
    QByteArray rootCaCertificate;
};

class ClusterControllers : public QObject {
    Q_OBJECT
public:
    explicit ClusterControllers(ObjectStore& store, ControllerOptions options = {},
                                QObject* parent = nullptr);
    ~ClusterControllers() override;

    // Queues every workload already stored (after loading a snapshot).
    void resyncAll();

private:
    struct Key {
        QString kind; // "Deployment", "ReplicaSet", "Pod", "StatefulSet", "DaemonSet", "Job", "Service",
                      // "Namespace", "HorizontalPodAutoscaler",
                      // "PersistentVolumeClaim", "Ingress"
        QString ns;
        QString name;
    };
    void onEvent(const WatchEvent& event);
    void enqueue(const QString& kind, const QString& ns, const QString& name,
                 std::chrono::milliseconds delay = std::chrono::milliseconds(0));
    void drain();
    void reconcile(const Key& key);

    void reconcileDeployment(const QString& ns, const QString& name);
    void reconcileReplicaSet(const QString& ns, const QString& name);
    void reconcileStatefulSet(const QString& ns, const QString& name);
    void reconcileDaemonSet(const QString& ns, const QString& name);
    void reconcileJob(const QString& ns, const QString& name);
    void reconcilePod(const QString& ns, const QString& name);
    void reconcileService(const QString& ns, const QString& name);
    void reconcileNamespace(const QString& name);
    void reconcileHorizontalPodAutoscaler(const QString& ns, const QString& name);
    void reconcilePersistentVolumeClaim(const QString& ns, const QString& name);
    void reconcileIngress(const QString& ns, const QString& name);

    ObjectStore& m_store;
    ControllerOptions m_options;
    int m_listener = 0;
    QSet<QString> m_pending; // "kind/ns/name" queued for the next drain
    bool m_drainScheduled = false;
    QSet<QString> m_timers;                // "kind/ns/name@reason" delayed requeues in flight
    QHash<QString, qint64> m_podReadyAt;   // pod uid → when it becomes ready (ms since epoch)
    QHash<QString, qint64> m_podRestartAt; // pod uid → next crash of a crash-looping pod
    int m_nextPodIp = 10;
    int m_nextLoadBalancerIp = 200;
};

} // namespace driftdeck::kubesim
