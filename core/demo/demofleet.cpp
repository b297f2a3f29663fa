#include "demo/demofleet.h"

#include "demo/demohistory_p.h"
#include "demo/demoseeding_p.h"
#include "kubesim/simulatedcluster.h"
#include "manifest/toolprocess.h"
#include "workspace/workspace.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QStandardPaths>

Q_LOGGING_CATEGORY(lcDemo, "driftdeck.demo")

namespace driftdeck::demo {

using namespace Qt::StringLiterals;

namespace {

// The file that makes a directory the demo's: nothing is ever deleted from a root without it.
const QString kMarkerFile = u".driftdeck-demo"_s;
const QString kMarkerKind = u"DriftdeckDemo"_s;
// Held by the DemoFleet that prepared the root, so a second Driftdeck never resets or rebuilds the
// demo under a running one (QLockFile sees a lock of a crashed process as stale).
const QString kLockFile = u".driftdeck-demo.lock"_s;
// Raised when the layout or the builder changes in a way the content hash does not see.
constexpr int kFormat = 1;

struct Marker {
    bool present = false;
    QByteArray contentHash; // empty while a build is unfinished
};

Marker readMarker(const QString& root) {
    QFile file(QDir(root).filePath(kMarkerFile));
    if (!QFileInfo(file.fileName()).isFile() || !file.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject json = QJsonDocument::fromJson(file.read(4096)).object();
    if (json.value("kind"_L1).toString() != kMarkerKind)
        return {};
    Marker marker{true, {}};
    if (json.value("format"_L1).toInt() == kFormat)
        marker.contentHash = json.value("contentHash"_L1).toString().toLatin1();
    return marker;
}

Status writeFile(const QString& path, const QByteArray& content, QFileDevice::Permissions permissions = {}) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() ||
        (permissions && !file.setPermissions(permissions)) || !file.commit())
        return Error::make(
            Error::Code::Invalid,
            u"cannot write %1: %2 (check the demo directory's permissions)"_s.arg(path, file.errorString()));
    return success();
}

Status writeMarker(const QString& root, const QByteArray& contentHash) {
    const QJsonObject json{{"kind"_L1, kMarkerKind},
                           {"format"_L1, kFormat},
                           {"contentHash"_L1, QString::fromLatin1(contentHash)},
                           {"note"_L1,
                            u"Driftdeck's demo (driftdeck --demo): everything in this directory may "
                            u"be deleted by --demo-reset"_s}};
    return writeFile(QDir(root).filePath(kMarkerFile), QJsonDocument(json).toJson());
}

// Empties `root`, which must carry the marker. Never follows a symbolic link out of it.
Status clearRoot(const QString& root) {
    if (!readMarker(root).present)
        return Error::make(Error::Code::Conflict,
                           u"refusing to delete %1: it is not a Driftdeck demo directory (no %2 in it)"_s.arg(
                               root, kMarkerFile),
                           u"choose another demo directory, or remove it yourself"_s);
    QDir dir(root);
    const QFileInfoList entries =
        dir.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QFileInfo& entry : entries) {
        if (entry.fileName() == kLockFile)
            continue;
        const bool removed = entry.isDir() && !entry.isSymLink() ? QDir(entry.filePath()).removeRecursively()
                                                                 : QFile::remove(entry.filePath());
        if (!removed)
            return Error::make(
                Error::Code::Invalid,
                u"cannot delete %1 while resetting the demo (check its permissions)"_s.arg(entry.filePath()));
    }
    return success();
}

bool isEmptyDirectory(const QString& path) {
    QStringList entries =
        QDir(path).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    entries.removeAll(kLockFile);
    return entries.isEmpty();
}

// The root must be a directory of its own: never "/" or the home directory, even with a marker.
Status checkRoot(const QString& root) {
    const QString clean = QDir::cleanPath(root);
    if (!QDir::isAbsolutePath(clean) || clean == QDir::rootPath() ||
        clean == QDir::cleanPath(QDir::homePath()))
        return Error::make(
            Error::Code::Invalid,
            u"'%1' cannot hold the demo: give an absolute path of a directory of its own"_s.arg(root));
    const QFileInfo info(clean);
    if (info.exists() && !info.isDir())
        return Error::make(Error::Code::Invalid,
                           u"'%1' is a file, not a directory: it cannot hold the demo"_s.arg(root));
    return success();
}

Result<workspace::Workspace> demoWorkspace(const QString& repositoryPath, QStringList& notes) {
    QFile file(detail::resourceRoot() + u"/workspace.yaml"_s);
    if (!file.open(QIODevice::ReadOnly))
        return Error::make(Error::Code::Internal, u"the demo workspace is missing from this build"_s);
    Result<workspace::LoadedWorkspace> loaded =
        workspace::parseWorkspace(file.readAll(), u"resources/demo/workspace.yaml"_s);
    if (!loaded)
        return loaded.error();
    workspace::Workspace ws = loaded->workspace;
    for (RepoSpec& repo : ws.repositories)
        repo.url = repositoryPath;
    // The engine finds helm on PATH; without it the chart could not render, so it is left out.
    if (manifest::findTool(u"helm"_s).isEmpty()) {
        QList<AppSpec> kept;
        for (const AppSpec& app : std::as_const(ws.applications)) {
            if (app.renderer.type == RendererSpec::Type::Helm)
                notes.append(u"application %1 (a Helm chart) is left out: helm is not on PATH; install helm "
                             u"and start the demo again to see it"_s.arg(app.name));
            else
                kept.append(app);
        }
        ws.applications = kept;
    }
    return ws;
}

} // namespace

QString kindName(SeededDrift::Kind kind) {
    switch (kind) {
    case SeededDrift::Kind::EditedField:
        return u"edited-field"_s;
    case SeededDrift::Kind::MissingObject:
        return u"missing-object"_s;
    case SeededDrift::Kind::ExtraObject:
        return u"extra-object"_s;
    case SeededDrift::Kind::ForeignManager:
        return u"foreign-manager"_s;
    case SeededDrift::Kind::Degraded:
        return u"degraded"_s;
    case SeededDrift::Kind::SelfHeal:
        return u"self-heal"_s;
    }
    return {};
}

struct DemoFleet::Private {
    DemoLayout layout;
    bool prepared = false;
    workspace::Workspace workspace;
    std::shared_ptr<const kubesim::CertificateBundle> certificates;
    std::vector<std::unique_ptr<kubesim::SimulatedCluster>> clusters;
    QList<SeededDrift> drift;
    std::unique_ptr<QLockFile> lock;

    Status lockRoot(const QString& root);

    detail::Clusters clusterMap() const {
        detail::Clusters map;
        for (const auto& cluster : clusters)
            map.insert(cluster->name(), cluster.get());
        return map;
    }
};

Status DemoFleet::Private::lockRoot(const QString& root) {
    const QString path = QDir(root).filePath(kLockFile);
    if (lock && lock->fileName() == path)
        return success();
    if (!QDir().mkpath(root))
        return Error::make(Error::Code::Invalid, u"cannot create the demo directory %1"_s.arg(root));
    auto candidate = std::make_unique<QLockFile>(path);
    if (!candidate->tryLock(0)) {
        qint64 pid = 0;
        QString host;
        QString app;
        candidate->getLockInfo(&pid, &host, &app);
        return Error::make(
            Error::Code::Conflict,
            u"the demo in %1 is in use by another Driftdeck (process %2): close that one first, "
            u"or give this one another demo directory"_s.arg(root)
                .arg(pid));
    }
    lock = std::move(candidate);
    return success();
}

DemoFleet::DemoFleet()
    : d(std::make_unique<Private>()) {}

DemoFleet::~DemoFleet() {
    stopClusters();
}

QString DemoFleet::defaultRoot() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/driftdeck/demo"_s;
}

Result<DemoLayout> DemoFleet::prepare(const DemoOptions& options) {
    if (clustersRunning())
        return Error::make(Error::Code::Conflict,
                           u"the demo's clusters are running: stop them before preparing again"_s);
    const QString root = QDir::cleanPath(options.root.isEmpty() ? defaultRoot() : options.root);
    if (Status ok = checkRoot(root); !ok)
        return ok.error();
    DemoLayout layout;
    layout.root = root;
    layout.repositoryPath = root + u"/fleet.git"_s;
    layout.workspacePath = root + u"/workspace.yaml"_s;
    layout.kubeconfigPath = root + u"/kubeconfig"_s;
    layout.gitCacheRoot = root + u"/cache/repos"_s;
    layout.discoveryCacheRoot = root + u"/cache/discovery"_s;
    layout.stateDirectory = root + u"/state"_s;
    layout.historyPath = layout.stateDirectory + u"/history.sqlite"_s;

    const QString content = detail::resourceRoot();
    Result<detail::History> history = detail::readHistory(content);
    if (!history)
        return history.error();
    const QByteArray hash = detail::contentHash(content);

    const Marker marker = readMarker(root);
    if (QFileInfo::exists(root) && !marker.present && !isEmptyDirectory(root))
        return Error::make(
            Error::Code::Conflict,
            u"%1 exists and is not a Driftdeck demo directory: the demo will not write into it"_s.arg(root),
            u"choose another demo directory, or empty it"_s);

    if (Status locked = d->lockRoot(root); !locked)
        return locked.error();

    std::optional<detail::RepositoryFacts> facts;
    if (marker.present && !options.reset && marker.contentHash == hash) {
        Result<detail::RepositoryFacts> existing = detail::inspectRepository(*history, layout.repositoryPath);
        if (existing) {
            facts = *existing;
            layout.reused = true;
        } else {
            layout.notes.append(u"the demo repository was rebuilt: "_s + existing.error().message);
        }
    } else if (marker.present && !options.reset) {
        layout.notes.append(
            u"the demo repository was rebuilt: this Driftdeck ships different demo content"_s);
    }
    if (!facts) {
        if (marker.present) {
            if (Status cleared = clearRoot(root); !cleared)
                return cleared.error();
        }
        if (!QDir().mkpath(root))
            return Error::make(Error::Code::Invalid, u"cannot create the demo directory %1"_s.arg(root));
        // Marked before anything else is written, so an interrupted build is recognised and redone.
        if (Status marked = writeMarker(root, {}); !marked)
            return marked.error();
        Result<detail::RepositoryFacts> built =
            detail::buildRepository(*history, content, layout.repositoryPath);
        if (!built)
            return built.error();
        facts = *built;
    }
    for (const QString& dir : {layout.gitCacheRoot, layout.discoveryCacheRoot, layout.stateDirectory})
        if (!QDir().mkpath(dir))
            return Error::make(Error::Code::Invalid, u"cannot create %1"_s.arg(dir));

    Result<workspace::Workspace> ws = demoWorkspace(layout.repositoryPath, layout.notes);
    if (!ws)
        return ws.error();
    if (Status saved = workspace::saveWorkspace(*ws, layout.workspacePath); !saved)
        return saved.error();
    if (Status marked = writeMarker(root, hash); !marked)
        return marked.error();

    for (const ClusterSpec& cluster : std::as_const(ws->clusters))
        layout.clusters.append(cluster.name);
    for (const AppSpec& app : std::as_const(ws->applications))
        layout.applications.append(app.name);
    layout.headCommitId = facts->headCommitId;
    layout.badCommitId = facts->badCommitId;
    layout.badCommitSummary = facts->badCommitSummary;
    layout.commitCount = facts->commitCount;
    d->layout = layout;
    d->workspace = *ws;
    d->prepared = true;
    qCInfo(lcDemo) << "demo prepared in" << root << (layout.reused ? "(reused)" : "(built)");
    return layout;
}

Status DemoFleet::startClusters() {
    if (!d->prepared)
        return Error::make(Error::Code::Invalid, u"prepare the demo before starting its clusters"_s);
    if (clustersRunning())
        return Error::make(Error::Code::Conflict, u"the demo's clusters are already running"_s);
    QElapsedTimer timer;
    timer.start();
    // Rendering first: a render failure leaves no cluster behind.
    Result<QList<detail::AppDesired>> desired =
        detail::renderApplications(d->layout.repositoryPath, d->workspace.applications);
    if (!desired)
        return desired.error();

    const qint64 rendered = timer.elapsed();
    if (!d->certificates) {
        Result<kubesim::CertificateBundle> generated = kubesim::CertificateBundle::generate();
        if (!generated)
            return generated.error();
        d->certificates = std::make_shared<const kubesim::CertificateBundle>(*generated);
    }
    QList<const kubesim::SimulatedCluster*> started;
    for (const ClusterSpec& spec : std::as_const(d->workspace.clusters)) {
        kubesim::ClusterOptions options;
        options.name = spec.context;
        options.certificates = d->certificates;
        auto cluster = std::make_unique<kubesim::SimulatedCluster>(options);
        if (Status ok = cluster->start(); !ok) {
            stopClusters();
            return ok.error().withCluster(spec.name);
        }
        started.append(cluster.get());
        d->clusters.push_back(std::move(cluster));
    }
    if (Status written = writeFile(d->layout.kubeconfigPath, kubesim::kubeconfigYaml(started),
                                   QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        !written) {
        stopClusters();
        return written.error();
    }
    const qint64 clustersStarted = timer.elapsed();
    Result<QList<SeededDrift>> seeded =
        detail::seedFleet(d->clusterMap(), *desired, d->layout.badCommitSummary);
    if (!seeded) {
        stopClusters();
        return seeded.error();
    }
    d->drift = *seeded;
    qCInfo(lcDemo, "demo clusters ready in %lld ms (render %lld ms, start %lld ms, seed %lld ms)",
           static_cast<long long>(timer.elapsed()), static_cast<long long>(rendered),
           static_cast<long long>(clustersStarted - rendered),
           static_cast<long long>(timer.elapsed() - clustersStarted));
    return success();
}

void DemoFleet::stopClusters() {
    for (auto& cluster : d->clusters)
        cluster->stop();
    d->clusters.clear();
}

bool DemoFleet::clustersRunning() const {
    return !d->clusters.empty();
}

const DemoLayout& DemoFleet::layout() const {
    return d->layout;
}

const QList<SeededDrift>& DemoFleet::seededDrift() const {
    return d->drift;
}

kubesim::SimulatedCluster* DemoFleet::cluster(const QString& name) const {
    for (const auto& cluster : d->clusters)
        if (cluster->name() == name)
            return cluster.get();
    return nullptr;
}

Status DemoFleet::reintroduceSelfHealDrift() {
    if (!clustersRunning())
        return Error::make(Error::Code::Invalid, u"the demo's clusters are not running"_s);
    Result<SeededDrift> drift = detail::seedSelfHealDrift(d->clusterMap());
    if (!drift)
        return drift.error();
    return success();
}

} // namespace driftdeck::demo
