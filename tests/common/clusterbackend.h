#pragma once

// The one switch between the two API servers a test can run against:
//   DRIFTDECK_BACKEND=kubesim (default)  an in-process kubesim started by the test;
//   DRIFTDECK_BACKEND=realkube           the real control plane (etcd, kube-apiserver,
//       controller-manager, scheduler, kwok) started by tests/realkube/launch.sh, whose kubeconfig
//       is DRIFTDECK_REALKUBE_KUBECONFIG (contexts `realkube` and `realkube-viewer`).
// ctest runs the same executables under the label `realkube` with the second setting; a test that
// asked for the real server and cannot reach it fails, it never falls back to kubesim.

#include "kubesim/simulatedcluster.h"
#include "model/error.h"
#include "testsupport.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <memory>

namespace driftdeck::test {

enum class Backend { Kubesim, Realkube };

inline Backend backend() {
    return qgetenv("DRIFTDECK_BACKEND") == "realkube" ? Backend::Realkube : Backend::Kubesim;
}
inline bool onRealKube() {
    return backend() == Backend::Realkube;
}

// A cluster for one test fixture, on either backend, with a kubeconfig that has an admin context
// (client certificate, system:masters) and a `<admin>-viewer` context (token, read-only).
class TestCluster {
public:
    // Starts kubesim (with `options`) or attaches to the running real control plane.
    Status start(kubesim::ClusterOptions options = {}) {
        if (onRealKube())
            return attachToRealKube();
        m_simulated = std::make_unique<kubesim::SimulatedCluster>(options);
        if (Status started = m_simulated->start(); !started.ok())
            return started;
        if (!m_dir.isValid())
            return Error::make(Error::Code::Internal, QStringLiteral("cannot create a temporary directory"));
        m_kubeconfig = m_dir.filePath(QStringLiteral("kubeconfig"));
        QFile file(m_kubeconfig);
        if (!file.open(QIODevice::WriteOnly))
            return Error::make(Error::Code::Internal, QStringLiteral("cannot write ") + m_kubeconfig);
        file.write(kubesim::kubeconfigYaml({m_simulated.get()}));
        m_context = options.name;
        return success();
    }
    void stop() {
        if (m_simulated)
            m_simulated->stop();
    }

    bool isReal() const { return !m_simulated; }
    // The in-process kubesim; null on the real control plane (no fault injection there).
    kubesim::SimulatedCluster* simulated() const { return m_simulated.get(); }
    QString kubeconfigPath() const { return m_kubeconfig; }
    QString adminContext() const { return m_context; }
    QString viewerContext() const { return m_context + QStringLiteral("-viewer"); }

private:
    Status attachToRealKube() {
        const QString path = QString::fromLocal8Bit(qgetenv("DRIFTDECK_REALKUBE_KUBECONFIG"));
        if (path.isEmpty() || !QFileInfo::exists(path))
            return Error::make(Error::Code::NotFound,
                               QStringLiteral("DRIFTDECK_BACKEND=realkube but no kubeconfig at "
                                              "DRIFTDECK_REALKUBE_KUBECONFIG='%1'")
                                   .arg(path),
                               QStringLiteral("start the control plane with tests/realkube/launch.sh start, "
                                              "or run the ctest label realkube"));
        m_kubeconfig = path;
        m_context = QStringLiteral("realkube");
        return success();
    }

    std::unique_ptr<kubesim::SimulatedCluster> m_simulated;
    QTemporaryDir m_dir;
    QString m_kubeconfig;
    QString m_context;
};

} // namespace driftdeck::test
