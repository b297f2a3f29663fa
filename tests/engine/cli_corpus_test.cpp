// Acceptance of "Reconcile and act", part 1: every application of the shared corpus, synced by
// `driftdeck-cli sync`, then shows no drift in `driftdeck-cli diff` (after kubesim's defaulting and
// its controllers ran) and is Synced and Healthy in `driftdeck-cli status`. The verbs run in-process
// over a kubesim cluster (or the real control plane, where the applications with an autoscaler or
// an Ingress cannot be Healthy: no metrics server, no ingress controller) and a Git repository built from the
// corpus directories. Without the corpus or kubectl (the Kustomize renderer's tool) this test fails: it never
// skips.
#include "clifleetsupport.h"
#include "statuscommand.h"
#include "synccommand.h"
#include "testsupport.h"

#include <QDirIterator>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace driftdeck;
using namespace driftdeck::engine::test;

namespace {

struct CorpusApp {
    QString name;
    QString path; // in the corpus and in the test repository
    QString ns;
    // The health on the real control plane, when it cannot be Healthy there (empty: Healthy), and
    // the words its message must hold. The referee has no metrics server and no ingress controller
    // (tests/realkube/DIFFERENCES.md): an autoscaler cannot compute its replicas and is Degraded,
    // an Ingress never gets an address and stays Progressing, as on any cluster without them.
    // kubesim plays a cluster that has both, so there every application is Healthy.
    QString realHealth = {};
    QStringList realHealthMessage = {};
};

// The corpus applications tests/diff/integration/corpus_drift_test.cpp compares (plain and
// Kustomize), and the Helm chart when a helm binary exists.
const QStringList kNoMetrics{u"HorizontalPodAutoscaler"_s, u"FailedGetResourceMetric"_s};

QList<CorpusApp> corpusApps(bool withHelm) {
    QList<CorpusApp> apps{
        {u"guestbook"_s, u"argocd-example-apps/guestbook"_s, u"guestbook"_s},
        {u"kustomize-guestbook"_s, u"argocd-example-apps/kustomize-guestbook"_s, u"kustomize-guestbook"_s},
        {u"sock-shop"_s,
         u"argocd-example-apps/sock-shop"_s,
         u"sock-shop"_s,
         u"Progressing"_s,
         {u"Ingress sock-shop/front-end-ingress"_s, u"ingress controller"_s}},
        {u"podinfo-dev"_s, u"podinfo/deploy/overlays/dev"_s, u"dev"_s, u"Degraded"_s, kNoMetrics},
        {u"podinfo-staging"_s, u"podinfo/deploy/overlays/staging"_s, u"staging"_s, u"Degraded"_s, kNoMetrics},
        {u"podinfo-production"_s, u"podinfo/deploy/overlays/production"_s, u"production"_s, u"Degraded"_s,
         kNoMetrics},
        {u"podinfo"_s, u"podinfo/kustomize"_s, u"podinfo"_s, u"Degraded"_s, kNoMetrics},
    };
    if (withHelm)
        apps.append({u"helm-guestbook"_s, u"argocd-example-apps/helm-guestbook"_s, u"helm-guestbook"_s});
    return apps;
}

// Copies `relative` (a directory of the corpus) into the repository's working tree.
void copyTree(const QDir& corpus, const QString& relative, driftdeck::test::GitTestRepo& repo) {
    QDirIterator it(corpus.filePath(relative), QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        const QString source = it.next();
        QFile file(source);
        ASSERT_TRUE(file.open(QIODevice::ReadOnly)) << source.toStdString();
        repo.write(corpus.relativeFilePath(source), file.readAll());
        ++files;
    }
    ASSERT_GT(files, 0) << relative.toStdString();
}

// Temporarily puts a directory first on PATH.
class PathPrefix {
public:
    explicit PathPrefix(const QString& dir)
        : m_saved(qgetenv("PATH")) {
        if (!dir.isEmpty())
            qputenv("PATH", QFile::encodeName(dir) + ':' + m_saved);
    }
    ~PathPrefix() { qputenv("PATH", m_saved); }

private:
    QByteArray m_saved;
};

TEST(CliCorpus, EveryCorpusApplicationSyncedHasNoDriftAndIsHealthy) {
    ASSERT_FALSE(driftdeck::test::kubectlPath().isEmpty())
        << "kubectl is not on PATH: the Kustomize renderer needs it";
    const QDir corpus(driftdeck::test::sharedDir().filePath(u"corpus"_s));
    ASSERT_TRUE(corpus.exists()) << "the shared corpus is missing at " << corpus.path().toStdString();
    const QString helm = findHelm();
    PathPrefix helmOnPath(helm.isEmpty() ? QString() : QFileInfo(helm).absolutePath());
    const QList<CorpusApp> apps = corpusApps(!helm.isEmpty());

    CliFleet cli;
    ASSERT_TRUE(cli.xdg.valid());
    ASSERT_TRUE(cli.fleet.start(1));
    for (const QString& tree :
         {u"argocd-example-apps/guestbook"_s, u"argocd-example-apps/kustomize-guestbook"_s,
          u"argocd-example-apps/sock-shop"_s, u"argocd-example-apps/helm-guestbook"_s, u"podinfo/deploy"_s,
          u"podinfo/kustomize"_s})
        copyTree(corpus, tree, cli.fleet.repo());
    cli.fleet.repo().commitAll(u"corpus"_s);
    cli.fleet.repo().push();
    QList<AppSpec> specs;
    for (const CorpusApp& app : apps) {
        AppSpec spec = cli.fleet.appSpec(app.name, u"c0"_s);
        spec.path = app.path;
        spec.ns = app.ns;
        spec.renderer.type = RendererSpec::Type::Auto;
        // Argo CD's way of asking for the destination namespace: the sync must honour it.
        spec.syncOptions = {u"CreateNamespace=true"_s};
        specs.append(spec);
    }
    ASSERT_TRUE(cli.writeWorkspace(specs));

    const CliRun sync = cli.run(driftdeck::cli::runSyncCommand, {u"--timeout"_s, u"120"_s});
    ASSERT_EQ(sync.exitCode, 0) << sync.describe();
    for (const CorpusApp& app : apps)
        EXPECT_TRUE(sync.out.contains(app.name + u": sync succeeded"_s)) << app.name.toStdString();

    // No false drift: kubesim defaulted the objects and its controllers wrote what they write.
    const CliRun diff = cli.run(driftdeck::cli::runFleetDiffCommand, {u"--timeout"_s, u"120"_s});
    EXPECT_EQ(diff.exitCode, 0) << diff.describe();

    // Synced and Healthy, once the controllers rolled the workloads out (bounded wait); on the real
    // control plane the applications with an autoscaler or an Ingress are not (realHealth above).
    QHash<QString, const CorpusApp*> byName;
    for (const CorpusApp& app : apps)
        byName.insert(app.name, &app);
    const auto expectedHealth = [&](const QJsonValue& status) {
        const CorpusApp* app = byName.value(status[u"name"].toString());
        if (!app || !driftdeck::test::onRealKube() || app->realHealth.isEmpty())
            return status[u"health"].toString() == u"Healthy"_s;
        const QString message = status[u"healthMessage"].toString();
        return status[u"health"].toString() == app->realHealth &&
               std::all_of(app->realHealthMessage.begin(), app->realHealthMessage.end(),
                           [&](const QString& word) { return message.contains(word); });
    };
    QJsonArray statuses;
    const bool healthy = driftdeck::test::waitUntil(
        [&] {
            const CliRun status = cli.run(driftdeck::cli::runStatusCommand, {u"-o"_s, u"json"_s});
            if (status.exitCode != 0)
                return false;
            statuses =
                QJsonDocument::fromJson(status.out.toUtf8()).object().value(u"applications"_s).toArray();
            if (statuses.size() != apps.size())
                return false;
            for (const QJsonValue& value : std::as_const(statuses))
                if (value[u"sync"].toString() != u"Synced"_s || !expectedHealth(value))
                    return false;
            return true;
        },
        std::chrono::seconds(120));
    QString report;
    for (const QJsonValue& value : std::as_const(statuses))
        report += value[u"name"].toString() + u": "_s + value[u"sync"].toString() + u", "_s +
                  value[u"health"].toString() + u" ("_s + value[u"healthMessage"].toString() + u")\n"_s;
    EXPECT_TRUE(healthy) << report.toStdString();
}

} // namespace
