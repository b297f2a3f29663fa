// DemoFleet::startClusters: three kubesim clusters that answer kubectl, with desired state applied
// and exactly the seeded drift, judged by the product's own comparison (core/diff) against a fresh
// render of the demo repository (core/manifest).

#include "demo/demofleet.h"
#include "demotestsupport.h"
#include "diff/drift.h"
#include "diff/pairing.h"
#include "git/gitrepository.h"
#include "kubesim/objectstore.h"
#include "kubesim/simulatedcluster.h"
#include "manifest/rendercache.h"
#include "manifest/revisionrender.h"
#include "testsupport.h"
#include "workspace/workspace.h"
#include "yaml/yamlcodec.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QMap>
#include <QTemporaryDir>

using namespace driftdeck;
using namespace driftdeck::demo;
using driftdeck::test::whyNot;

namespace {

using State = diff::ObjectDiff::State;

struct Finding {
    ResourceKey key;
    State state = State::Synced;
    QStringList pointers;
    kubeobj::Object live;
};

QList<kubeobj::Object> liveIn(kubesim::SimulatedCluster* cluster, const QString& ns) {
    QList<kubeobj::Object> out;
    cluster->withStore([&](kubesim::ObjectStore& store) {
        for (const kubesim::ResourceType& type : store.registry().all())
            if (type.namespaced)
                for (const QJsonObject& object : store.list(type, ns))
                    out.append(kubeobj::Object::fromTrustedJson(object));
    });
    return out;
}

// The application's objects compared as the engine compares them.
QList<Finding> compare(DemoFleet& demo, const QString& appName) {
    Result<workspace::LoadedWorkspace> ws = workspace::loadWorkspace(demo.layout().workspacePath);
    EXPECT_TRUE(ws.ok()) << whyNot(ws);
    const AppSpec* app = ws.ok() ? ws->workspace.application(appName) : nullptr;
    EXPECT_NE(app, nullptr) << appName.toStdString();
    if (!app)
        return {};
    Result<git::GitRepository> repo = git::GitRepository::open(demo.layout().repositoryPath);
    EXPECT_TRUE(repo.ok());
    manifest::RenderCache cache;
    Result<manifest::RevisionRender> rendered =
        manifest::renderAtRevision(*repo, QStringLiteral("main"), *app, cache);
    EXPECT_TRUE(rendered.ok()) << whyNot(rendered);
    if (!rendered.ok())
        return {};
    QList<kubeobj::Object> desired;
    for (const manifest::DesiredObject& object : rendered->result.objects)
        desired.append(kubeobj::Object::fromTrustedJson(object.object));
    diff::PairingOptions options;
    options.appName = app->name;
    options.destinationNamespace = app->ns;
    const diff::Pairing pairing =
        diff::pairObjects(desired, liveIn(demo.cluster(app->cluster), app->ns), options);
    EXPECT_TRUE(pairing.warnings.isEmpty());
    QList<Finding> findings;
    for (const diff::ObjectPair& pair : pairing.pairs) {
        const diff::ObjectDiff d = diff::compareObjects(pair.desired, pair.live);
        Finding finding{pair.key, d.state, {}, pair.live};
        for (const diff::FieldChange& change : d.changes)
            finding.pointers.append(change.pointer);
        findings.append(finding);
    }
    return findings;
}
// "State Kind/name [pointers]" of every drifted object of the application.
QStringList drift(DemoFleet& demo, const QString& appName) {
    QStringList out;
    for (const Finding& f : compare(demo, appName))
        if (f.state != State::Synced)
            out.append(QStringLiteral("%1 %2/%3 %4")
                           .arg(diff::stateName(f.state), f.key.kind, f.key.name, f.pointers.join(u',')));
    return out;
}

class DemoClustersTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        test::demoTestHome();
        tmp = new QTemporaryDir;
        fleet = new DemoFleet;
        QElapsedTimer timer;
        timer.start();
        Result<DemoLayout> layout = fleet->prepare({tmp->filePath(QStringLiteral("demo")), false});
        ASSERT_TRUE(layout.ok()) << whyNot(layout);
        const qint64 prepared = timer.elapsed();
        Status started = fleet->startClusters();
        ASSERT_TRUE(started.ok()) << whyNot(started);
        std::printf("demo: prepare %lld ms, prepare + start + seed %lld ms\n",
                    static_cast<long long>(prepared), static_cast<long long>(timer.elapsed()));
    }
    static void TearDownTestSuite() {
        delete fleet;
        delete tmp;
    }

    static QTemporaryDir* tmp;
    static DemoFleet* fleet;
};

QTemporaryDir* DemoClustersTest::tmp = nullptr;
DemoFleet* DemoClustersTest::fleet = nullptr;

TEST_F(DemoClustersTest, KubeconfigNamesTheThreeClustersAndKubectlReachesEach) {
    const QString kubeconfig = fleet->layout().kubeconfigPath;
    ASSERT_TRUE(QFileInfo::exists(kubeconfig));
    EXPECT_EQ(QFileInfo(kubeconfig).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
              QFileDevice::Permissions());
    Result<QJsonValue> parsed = yaml::parseDocument(test::readFile(kubeconfig), kubeconfig);
    ASSERT_TRUE(parsed.ok()) << whyNot(parsed);
    QStringList contexts;
    for (const QJsonValue& context : parsed->toObject().value(QStringLiteral("contexts")).toArray())
        contexts.append(context.toObject().value(QStringLiteral("name")).toString());
    for (const QString& name : fleet->layout().clusters)
        EXPECT_TRUE(contexts.contains(name)) << name.toStdString();
    EXPECT_EQ(fleet->layout().clusters.size(), 3);

    const QString kubectl = test::kubectlPath();
    ASSERT_FALSE(kubectl.isEmpty()) << "kubectl is the referee of this test: install it";
    const QMap<QString, QStringList> namespaces{
        {QStringLiteral("dev"), {QStringLiteral("guestbook"), QStringLiteral("payments")}},
        {QStringLiteral("staging"), {QStringLiteral("auth"), QStringLiteral("payments")}},
        {QStringLiteral("prod"),
         {QStringLiteral("auth"), QStringLiteral("payments"), QStringLiteral("status-page")}}};
    for (auto it = namespaces.cbegin(); it != namespaces.cend(); ++it) {
        const test::ProcessResult r = test::runProcess(
            kubectl, {QStringLiteral("--kubeconfig"), kubeconfig, QStringLiteral("--context"), it.key(),
                      QStringLiteral("--cache-dir"), tmp->filePath(QStringLiteral("kubectl-cache")),
                      QStringLiteral("get"), QStringLiteral("namespaces"), QStringLiteral("-o"),
                      QStringLiteral("name")});
        ASSERT_EQ(r.exitCode, 0) << it.key().toStdString() << ": " << r.err.toStdString();
        for (const QString& ns : it.value())
            EXPECT_TRUE(QString::fromUtf8(r.out).contains(QStringLiteral("namespace/") + ns))
                << it.key().toStdString() << " lacks " << ns.toStdString();
    }
}

TEST_F(DemoClustersTest, EachApplicationCarriesExactlyItsSeededDrift) {
    EXPECT_EQ(
        drift(*fleet, QStringLiteral("guestbook")),
        QStringList{QStringLiteral("OutOfSync Deployment/guestbook /spec/template/spec/containers/0/image")});
    EXPECT_EQ(drift(*fleet, QStringLiteral("auth-staging")),
              QStringList{QStringLiteral("Missing Service/auth ")});
    EXPECT_EQ(drift(*fleet, QStringLiteral("payments-dev")),
              QStringList{QStringLiteral("Extra ConfigMap/payments-feature-flags ")});
    EXPECT_EQ(drift(*fleet, QStringLiteral("payments-staging")),
              QStringList{QStringLiteral("OutOfSync Deployment/payments /spec/replicas")});
    EXPECT_EQ(drift(*fleet, QStringLiteral("status-page")),
              QStringList{QStringLiteral("OutOfSync ConfigMap/status-page-content /data/banner")});
    for (const QString& synced : {QStringLiteral("payments-prod"), QStringLiteral("auth-prod")})
        EXPECT_EQ(drift(*fleet, synced), QStringList()) << synced.toStdString();
    if (fleet->layout().applications.contains(QStringLiteral("metrics"))) {
        EXPECT_EQ(drift(*fleet, QStringLiteral("metrics")), QStringList());
    }

    const QList<SeededDrift>& seeded = fleet->seededDrift();
    QStringList kinds;
    for (const SeededDrift& d : seeded)
        kinds.append(kindName(d.kind) + u' ' + d.application);
    EXPECT_EQ(
        kinds,
        (QStringList{QStringLiteral("edited-field guestbook"), QStringLiteral("missing-object auth-staging"),
                     QStringLiteral("extra-object payments-dev"),
                     QStringLiteral("foreign-manager payments-staging"),
                     QStringLiteral("degraded payments-prod"), QStringLiteral("self-heal status-page")}));
}

TEST_F(DemoClustersTest, AppliedObjectsAreTrackedAndOwnedLikeASync) {
    for (const Finding& f : compare(*fleet, QStringLiteral("auth-prod"))) {
        ASSERT_FALSE(f.live.isNull()) << f.key.toString().toStdString();
        EXPECT_EQ(f.live.annotation(QStringLiteral("driftdeck.io/tracking-id")),
                  diff::trackingId(QStringLiteral("auth-prod"), f.key));
        const QJsonArray managed = f.live.json()
                                       .value(QStringLiteral("metadata"))
                                       .toObject()
                                       .value(QStringLiteral("managedFields"))
                                       .toArray();
        ASSERT_FALSE(managed.isEmpty());
        EXPECT_EQ(managed.first().toObject().value(QStringLiteral("manager")).toString(),
                  QStringLiteral("driftdeck"));
        EXPECT_EQ(managed.first().toObject().value(QStringLiteral("operation")).toString(),
                  QStringLiteral("Apply"));
    }
}

TEST_F(DemoClustersTest, ForeignAndHandEditsAreOwnedByTheirManagers) {
    const auto managersOf = [](const kubeobj::Object& live) {
        QMap<QString, QString> fields; // manager -> fieldsV1 as text
        for (const QJsonValue& entry : live.json()
                                           .value(QStringLiteral("metadata"))
                                           .toObject()
                                           .value(QStringLiteral("managedFields"))
                                           .toArray())
            fields.insert(
                entry.toObject().value(QStringLiteral("manager")).toString(),
                QString::fromUtf8(QJsonDocument(entry.toObject().value(QStringLiteral("fieldsV1")).toObject())
                                      .toJson(QJsonDocument::Compact)));
        return fields;
    };
    for (const Finding& f : compare(*fleet, QStringLiteral("payments-staging"))) {
        if (f.key.kind != QLatin1String("Deployment"))
            continue;
        const QMap<QString, QString> managers = managersOf(f.live);
        EXPECT_TRUE(
            managers.value(QStringLiteral("hpa-controller")).contains(QStringLiteral("\"f:replicas\"")));
        EXPECT_FALSE(managers.value(QStringLiteral("driftdeck")).contains(QStringLiteral("\"f:replicas\"")));
        EXPECT_EQ(
            f.live.json().value(QStringLiteral("spec")).toObject().value(QStringLiteral("replicas")).toInt(),
            5);
    }
    for (const Finding& f : compare(*fleet, QStringLiteral("guestbook"))) {
        if (f.key.kind == QLatin1String("Deployment")) {
            EXPECT_TRUE(
                managersOf(f.live).value(QStringLiteral("kubectl-edit")).contains(QStringLiteral("f:image")));
        }
    }
}

TEST_F(DemoClustersTest, TheBadCommitsImageCrashLoopsInProd) {
    kubesim::SimulatedCluster* prod = fleet->cluster(QStringLiteral("prod"));
    ASSERT_NE(prod, nullptr);
    const auto crashLooping = [&] {
        for (const kubeobj::Object& pod : liveIn(prod, QStringLiteral("payments"))) {
            if (pod.key().kind != QLatin1String("Pod"))
                continue;
            for (const QJsonValue& status : pod.json()
                                                .value(QStringLiteral("status"))
                                                .toObject()
                                                .value(QStringLiteral("containerStatuses"))
                                                .toArray())
                if (status.toObject()
                        .value(QStringLiteral("state"))
                        .toObject()
                        .value(QStringLiteral("waiting"))
                        .toObject()
                        .value(QStringLiteral("reason"))
                        .toString() == QLatin1String("CrashLoopBackOff"))
                    return true;
        }
        return false;
    };
    EXPECT_TRUE(test::waitUntil(crashLooping, std::chrono::seconds(20)));
}

TEST(DemoSelfHealTest, KubectlHealsTheSelfHealAppAndTheDriftCanBeBroughtBack) {
    test::demoTestHome();
    QTemporaryDir tmp;
    DemoFleet demo;
    ASSERT_TRUE(demo.prepare({tmp.filePath(QStringLiteral("demo")), false}).ok());
    Status started = demo.startClusters();
    ASSERT_TRUE(started.ok()) << whyNot(started);
    EXPECT_FALSE(demo.startClusters().ok()) << "the clusters are running already";
    ASSERT_FALSE(demo.prepare({tmp.filePath(QStringLiteral("demo")), false}).ok()) << "not while running";

    // What a sync does to the drifted ConfigMap, with kubectl as the referee: apply Git's version.
    const QString kubectl = test::kubectlPath();
    ASSERT_FALSE(kubectl.isEmpty()) << "kubectl is the referee of this test: install it";
    const test::ProcessResult shown = test::runProcess(
        QStringLiteral("git"), {QStringLiteral("--git-dir"), demo.layout().repositoryPath,
                                QStringLiteral("show"), QStringLiteral("main:status-page/configmap.yaml")});
    ASSERT_EQ(shown.exitCode, 0);
    const test::ProcessResult applied = test::runProcess(
        kubectl,
        {QStringLiteral("--kubeconfig"), demo.layout().kubeconfigPath, QStringLiteral("--context"),
         QStringLiteral("prod"), QStringLiteral("--cache-dir"), tmp.filePath(QStringLiteral("kubectl-cache")),
         QStringLiteral("apply"), QStringLiteral("--server-side"), QStringLiteral("--force-conflicts"),
         QStringLiteral("--field-manager=driftdeck"), QStringLiteral("-n"), QStringLiteral("status-page"),
         QStringLiteral("-f"), QStringLiteral("-")},
        shown.out);
    ASSERT_EQ(applied.exitCode, 0) << applied.err.toStdString();
    // The tracking annotation is not part of the file; it is not compared either.
    EXPECT_EQ(drift(demo, QStringLiteral("status-page")), QStringList());

    Status again = demo.reintroduceSelfHealDrift();
    ASSERT_TRUE(again.ok()) << whyNot(again);
    EXPECT_EQ(drift(demo, QStringLiteral("status-page")),
              QStringList{QStringLiteral("OutOfSync ConfigMap/status-page-content /data/banner")});

    demo.stopClusters();
    EXPECT_EQ(demo.cluster(QStringLiteral("prod")), nullptr);
    EXPECT_FALSE(demo.reintroduceSelfHealDrift().ok());
}

TEST(DemoRevertTest, AfterTheBadCommitIsRevertedTheNextStartIsHealthy) {
    test::demoTestHome();
    QTemporaryDir tmp;
    const QString root = tmp.filePath(QStringLiteral("demo"));
    Result<DemoLayout> first = DemoFleet().prepare({root, false});
    ASSERT_TRUE(first.ok()) << whyNot(first);
    {
        Result<git::GitRepository> repo = git::GitRepository::open(first->repositoryPath);
        ASSERT_TRUE(repo.ok());
        git::RevertRequest revert;
        revert.commit = first->badCommitId;
        revert.branch = QStringLiteral("main");
        revert.authorName = QStringLiteral("Demo User");
        revert.authorEmail = QStringLiteral("user@example.com");
        revert.push = false;
        ASSERT_TRUE(repo->revert(revert).ok());
    }
    DemoFleet demo;
    Result<DemoLayout> layout = demo.prepare({root, false});
    ASSERT_TRUE(layout.ok()) << whyNot(layout);
    ASSERT_TRUE(layout->reused);
    Status started = demo.startClusters();
    ASSERT_TRUE(started.ok()) << whyNot(started);
    QStringList kinds;
    for (const SeededDrift& d : demo.seededDrift())
        kinds.append(kindName(d.kind));
    EXPECT_FALSE(kinds.contains(QStringLiteral("degraded"))) << kinds.join(u' ').toStdString();
    EXPECT_EQ(kinds.size(), 5);
    EXPECT_EQ(drift(demo, QStringLiteral("payments-prod")), QStringList());
    for (const Finding& f : compare(demo, QStringLiteral("payments-prod")))
        EXPECT_FALSE(QJsonDocument(f.live.json()).toJson().contains("crashloop"))
            << f.key.toString().toStdString();
}

} // namespace
