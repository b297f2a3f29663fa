#pragma once

// The fleet the benchmark measures: manifests shaped like the corpus (Deployments, Services,
// ConfigMaps, Secrets), one Git repository holding every application, and K kubesim clusters
// seeded directly through their stores (seeding is not what is measured). The clusters run in a
// child process so the engine's memory and the servers' are not counted together.

#include "workspace/workspace.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <sys/types.h>

namespace driftdeck::bench {

struct FleetShape {
    int clusters = 2;
    int apps = 5;      // per cluster
    int resources = 8; // per application
    int objects() const { return clusters * apps * resources; }
};

QString clusterName(int cluster);
QString appName(int cluster, int app);
// Resource `index` of an application: Deployment, Service, ConfigMap, Secret in turn. `revision`
// changes a label on every object (a commit that touches everything of an application).
QJsonObject resourceObject(const QString& app, int index, int revision = 0);
QString resourceFile(int index); // "r<index>.yaml"

// Runs the git CLI in `dir` with a private HOME; false (and a message on stderr) when it fails.
bool runGit(const QString& dir, const QStringList& args);

// The repository: a working tree `<root>/work` and its bare remote `<root>/remote.git`.
struct FleetRepo {
    QString root;
    QString work() const { return root + QStringLiteral("/work"); }
    QString remoteUrl() const { return QStringLiteral("file://") + root + QStringLiteral("/remote.git"); }
    bool create(const FleetShape& shape);
    bool write(const QString& relative, const QJsonObject& object);
    bool commitAndPush(const QString& message);
};

workspace::Workspace fleetWorkspace(const FleetShape& shape, const QString& remoteUrl);

// The child process serving the clusters. start() forks before the parent creates any thread or Qt
// object; it returns in the parent once every cluster listens and is seeded (the kubeconfig
// written), false when the child failed. The child ends when the parent closes the pipe or exits.
class ClusterProcess {
public:
    bool start(const FleetShape& shape, const QString& kubeconfigPath);
    void stop();
    ~ClusterProcess() { stop(); }
    long childPeakRssKb() const { return m_childPeakKb; }

private:
    pid_t m_pid = -1;
    int m_commandFd = -1;
    int m_readyFd = -1;
    long m_childPeakKb = 0;
};

long peakRssKb();    // VmHWM of this process
long currentRssKb(); // VmRSS of this process

} // namespace driftdeck::bench
