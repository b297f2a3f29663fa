#include "fleetfixture.h"

#include "diff/pairing.h"
#include "kubesim/admission.h"
#include "kubesim/objectstore.h"
#include "kubesim/simulatedcluster.h"
#include "sync/syncrequests.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

#include <cstdio>
#include <memory>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;

namespace driftdeck::bench {

QString clusterName(int cluster) {
    return u"c%1"_s.arg(cluster);
}
QString appName(int cluster, int app) {
    return u"c%1-a%2"_s.arg(cluster).arg(app);
}
QString resourceFile(int index) {
    return u"r%1.yaml"_s.arg(index);
}

QJsonObject resourceObject(const QString& app, int index, int revision) {
    const QString name = u"%1-r%2"_s.arg(app).arg(index);
    QJsonObject labels{{u"app.kubernetes.io/name"_s, name}, {u"app.kubernetes.io/part-of"_s, app}};
    if (revision > 0)
        labels.insert(u"bench/revision"_s, QString::number(revision));
    const QJsonObject metadata{{u"name"_s, name}, {u"labels"_s, labels}};
    const QJsonObject selector{{u"app.kubernetes.io/name"_s, name}};
    switch (index % 4) {
    case 0: {
        const QJsonObject container{
            {u"name"_s, u"app"_s},
            {u"image"_s, u"registry.example.com/%1:1.4.2"_s.arg(app)},
            {u"args"_s, QJsonArray{u"--port=8080"_s, u"--log-level=info"_s}},
            {u"ports"_s, QJsonArray{QJsonObject{{u"containerPort"_s, 8080}, {u"name"_s, u"http"_s}}}},
            {u"env"_s, QJsonArray{QJsonObject{{u"name"_s, u"MODE"_s}, {u"value"_s, u"production"_s}},
                                  QJsonObject{{u"name"_s, u"WORKERS"_s}, {u"value"_s, u"4"_s}}}},
            {u"resources"_s,
             QJsonObject{{u"requests"_s, QJsonObject{{u"cpu"_s, u"100m"_s}, {u"memory"_s, u"64Mi"_s}}},
                         {u"limits"_s, QJsonObject{{u"cpu"_s, u"500m"_s}, {u"memory"_s, u"256Mi"_s}}}}},
            {u"readinessProbe"_s,
             QJsonObject{{u"httpGet"_s, QJsonObject{{u"path"_s, u"/healthz"_s}, {u"port"_s, 8080}}},
                         {u"periodSeconds"_s, 10}}}};
        return {
            {u"apiVersion"_s, u"apps/v1"_s},
            {u"kind"_s, u"Deployment"_s},
            {u"metadata"_s, metadata},
            {u"spec"_s,
             QJsonObject{{u"replicas"_s, 2},
                         {u"selector"_s, QJsonObject{{u"matchLabels"_s, selector}}},
                         {u"template"_s,
                          QJsonObject{{u"metadata"_s, QJsonObject{{u"labels"_s, selector}}},
                                      {u"spec"_s, QJsonObject{{u"containers"_s, QJsonArray{container}}}}}}}}};
    }
    case 1:
        return {{u"apiVersion"_s, u"v1"_s},
                {u"kind"_s, u"Service"_s},
                {u"metadata"_s, metadata},
                {u"spec"_s, QJsonObject{{u"selector"_s, selector},
                                        {u"ports"_s, QJsonArray{QJsonObject{{u"name"_s, u"http"_s},
                                                                            {u"port"_s, 80},
                                                                            {u"targetPort"_s, 8080}}}}}}};
    case 2:
        return {{u"apiVersion"_s, u"v1"_s},
                {u"kind"_s, u"ConfigMap"_s},
                {u"metadata"_s, metadata},
                {u"data"_s, QJsonObject{{u"level"_s, u"info"_s},
                                        {u"config.yaml"_s, u"server:\n  port: 8080\n  timeout: 30s\n"_s}}}};
    default:
        return {{u"apiVersion"_s, u"v1"_s},
                {u"kind"_s, u"Secret"_s},
                {u"metadata"_s, metadata},
                {u"type"_s, u"Opaque"_s},
                {u"data"_s, QJsonObject{{u"password"_s, u"YmVuY2htYXJr"_s}}}};
    }
}

bool runGit(const QString& dir, const QStringList& args) {
    QProcess git;
    git.setWorkingDirectory(dir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"GIT_CONFIG_NOSYSTEM"_s, u"1"_s);
    env.insert(u"GIT_AUTHOR_NAME"_s, u"bench"_s);
    env.insert(u"GIT_AUTHOR_EMAIL"_s, u"bench@example.com"_s);
    env.insert(u"GIT_COMMITTER_NAME"_s, u"bench"_s);
    env.insert(u"GIT_COMMITTER_EMAIL"_s, u"bench@example.com"_s);
    git.setProcessEnvironment(env);
    git.start(u"git"_s, args);
    if (!git.waitForFinished(120000) || git.exitStatus() != QProcess::NormalExit || git.exitCode() != 0) {
        std::fprintf(stderr, "git %s failed: %s\n", qPrintable(args.join(u' ')),
                     git.readAllStandardError().constData());
        return false;
    }
    return true;
}

bool FleetRepo::write(const QString& relative, const QJsonObject& object) {
    const QString path = work() + u'/' + relative;
    QDir().mkpath(path.section(u'/', 0, -2));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    return file.write(QJsonDocument(object).toJson()) > 0;
}

bool FleetRepo::create(const FleetShape& shape) {
    if (!QDir().mkpath(work()) || !runGit(work(), {u"init"_s, u"-q"_s, u"-b"_s, u"main"_s}))
        return false;
    for (int c = 0; c < shape.clusters; ++c)
        for (int a = 0; a < shape.apps; ++a)
            for (int r = 0; r < shape.resources; ++r)
                if (!write(u"apps/%1/%2"_s.arg(appName(c, a), resourceFile(r)),
                           resourceObject(appName(c, a), r)))
                    return false;
    return runGit(work(), {u"add"_s, u"-A"_s}) &&
           runGit(work(), {u"commit"_s, u"-q"_s, u"-m"_s, u"fleet"_s}) &&
           runGit(root, {u"clone"_s, u"-q"_s, u"--bare"_s, work(), root + u"/remote.git"_s}) &&
           runGit(work(), {u"remote"_s, u"add"_s, u"origin"_s, root + u"/remote.git"_s});
}

bool FleetRepo::commitAndPush(const QString& message) {
    return runGit(work(), {u"commit"_s, u"-q"_s, u"-a"_s, u"-m"_s, message}) &&
           runGit(work(), {u"push"_s, u"-q"_s, u"origin"_s, u"main"_s});
}

workspace::Workspace fleetWorkspace(const FleetShape& shape, const QString& remoteUrl) {
    workspace::Workspace ws;
    RepoSpec repo;
    repo.name = u"fleet"_s;
    repo.url = remoteUrl;
    repo.branch = u"main"_s;
    ws.repositories.append(repo);
    for (int c = 0; c < shape.clusters; ++c) {
        ws.clusters.append(ClusterSpec{clusterName(c), clusterName(c), {}});
        for (int a = 0; a < shape.apps; ++a) {
            AppSpec spec;
            spec.name = appName(c, a);
            spec.repo = u"fleet"_s;
            spec.path = u"apps/"_s + spec.name;
            spec.targetRevision = u"main"_s;
            spec.cluster = clusterName(c);
            spec.ns = spec.name;
            spec.renderer.type = RendererSpec::Type::Plain;
            ws.applications.append(spec);
        }
    }
    return ws;
}

namespace {

long statusField(const char* field) {
    QFile file(u"/proc/self/status"_s);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray& line : file.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').value(0).toLong();
    return -1;
}

// What a sync by Driftdeck leaves: applied as manager "driftdeck" with the tracking annotation;
// Deployments also get a status that reads Healthy (the controllers are off, so the seeded fleet
// holds exactly the objects Git declares).
void seedCluster(kubesim::ObjectStore& store, const FleetShape& shape, int c) {
    using namespace kubesim;
    const ResourceType nsType = *store.registry().find({}, u"v1"_s, u"namespaces"_s);
    WriteOptions applyOptions{u"driftdeck"_s, false, {}, u"Apply"_s};
    for (int a = 0; a < shape.apps; ++a) {
        const QString app = appName(c, a);
        store.create(nsType, QJsonObject{{u"apiVersion"_s, u"v1"_s},
                                         {u"kind"_s, u"Namespace"_s},
                                         {u"metadata"_s, QJsonObject{{u"name"_s, app}}}});
        for (int r = 0; r < shape.resources; ++r) {
            QJsonObject object = resourceObject(app, r);
            const QString apiVersion = object.value(u"apiVersion").toString();
            const QString kind = object.value(u"kind").toString();
            const ResourceType type = *store.registry().findByApiVersion(apiVersion, kind);
            const ResourceKey key{type.group, kind, app, object[u"metadata"_s][u"name"_s].toString()};
            QJsonObject metadata = object.value(u"metadata").toObject();
            metadata.insert(u"namespace"_s, app);
            metadata.insert(u"annotations"_s,
                            QJsonObject{{sync::kTrackingAnnotation, diff::trackingId(app, key)}});
            object.insert(u"metadata"_s, metadata);
            auto merged = admission::apply(type, {}, object, u"driftdeck"_s, true);
            if (!std::holds_alternative<QJsonObject>(merged))
                continue;
            StoreResult created = store.create(type, std::get<QJsonObject>(merged), applyOptions);
            if (kind != u"Deployment"_s || !std::holds_alternative<QJsonObject>(created))
                continue;
            QJsonObject live = std::get<QJsonObject>(created);
            live.insert(
                u"status"_s,
                QJsonObject{{u"observedGeneration"_s, live[u"metadata"_s][u"generation"_s].toInt(1)},
                            {u"replicas"_s, 2},
                            {u"updatedReplicas"_s, 2},
                            {u"readyReplicas"_s, 2},
                            {u"availableReplicas"_s, 2},
                            {u"conditions"_s,
                             QJsonArray{QJsonObject{{u"type"_s, u"Available"_s}, {u"status"_s, u"True"_s}},
                                        QJsonObject{{u"type"_s, u"Progressing"_s},
                                                    {u"status"_s, u"True"_s},
                                                    {u"reason"_s, u"NewReplicaSetAvailable"_s}}}}});
            store.update(type, live,
                         WriteOptions{u"kube-controller-manager"_s, false, u"status"_s, u"Update"_s});
        }
    }
}

[[noreturn]] void serveClusters(const FleetShape& shape, const QString& kubeconfigPath, int readyFd,
                                int commandFd) {
    int argc = 1;
    char name[] = "bench_fleet_clusters";
    char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    std::vector<std::unique_ptr<kubesim::SimulatedCluster>> clusters;
    std::shared_ptr<const kubesim::CertificateBundle> certificates;
    QList<const kubesim::SimulatedCluster*> started;
    bool ok = true;
    for (int c = 0; c < shape.clusters && ok; ++c) {
        kubesim::ClusterOptions options;
        options.name = clusterName(c);
        options.certificates = certificates;
        options.runControllers = false;
        auto cluster = std::make_unique<kubesim::SimulatedCluster>(options);
        ok = cluster->start().ok();
        if (!certificates)
            certificates = std::make_shared<const kubesim::CertificateBundle>(cluster->certificates());
        cluster->withStore([&](kubesim::ObjectStore& store) { seedCluster(store, shape, c); });
        started.append(cluster.get());
        clusters.push_back(std::move(cluster));
    }
    QFile file(kubeconfigPath);
    ok = ok && file.open(QIODevice::WriteOnly) && file.write(kubesim::kubeconfigYaml(started)) > 0;
    file.close();
    const char verdict = ok ? 'Y' : 'N';
    (void)::write(readyFd, &verdict, 1);
    char byte = 0;
    while (::read(commandFd, &byte, 1) > 0) {
    }
    const long peak = statusField("VmHWM");
    (void)::write(readyFd, &peak, sizeof peak);
    ::_exit(0); // the servers' teardown is not worth waiting for
}

} // namespace

long peakRssKb() {
    return statusField("VmHWM");
}
long currentRssKb() {
    return statusField("VmRSS");
}

bool ClusterProcess::start(const FleetShape& shape, const QString& kubeconfigPath) {
    int ready[2];
    int command[2];
    if (::pipe(ready) != 0 || ::pipe(command) != 0)
        return false;
    m_pid = ::fork();
    if (m_pid < 0)
        return false;
    if (m_pid == 0) {
        ::close(ready[0]);
        ::close(command[1]);
        serveClusters(shape, kubeconfigPath, ready[1], command[0]);
    }
    ::close(ready[1]);
    ::close(command[0]);
    m_commandFd = command[1];
    m_readyFd = ready[0];
    char verdict = 0;
    return ::read(m_readyFd, &verdict, 1) == 1 && verdict == 'Y';
}

void ClusterProcess::stop() {
    if (m_pid <= 0)
        return;
    ::close(m_commandFd);
    long peak = 0;
    if (::read(m_readyFd, &peak, sizeof peak) == sizeof peak)
        m_childPeakKb = peak;
    ::close(m_readyFd);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
}

} // namespace driftdeck::bench
