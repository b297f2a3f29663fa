// The Compare acceptance: every corpus application, rendered and applied to kubesim three ways
// (server-side apply as driftdeck, `kubectl apply`, `kubectl apply --server-side`), then read back
// live after defaulting and the controllers ran, shows no drift; injected changes are found with
// their JSON pointer and nothing else. kubectl is the referee for two of the appliers and reads
// the live objects back: without it these tests fail (they never skip).
#include "diff/drift.h"
#include "diff/pairing.h"
#include "kube/clusterclient.h"
#include "kube/discovery.h"
#include "kube/kubeconfig.h"
#include "kubesim/simulatedcluster.h"
#include "manifest/renderer.h"
#include "testsupport.h"
#include "yaml/yamlcodec.h"

#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <functional>
#include <gtest/gtest.h>

using namespace driftdeck;
using namespace Qt::StringLiterals;

namespace {

struct CorpusApp {
    QString name;
    QString path; // under ../shared/corpus
    QString ns;   // destination namespace
};

const QList<CorpusApp>& corpusApps() {
    static const QList<CorpusApp> apps{
        {u"guestbook"_s, u"argocd-example-apps/guestbook"_s, u"guestbook"_s},
        {u"kustomize-guestbook"_s, u"argocd-example-apps/kustomize-guestbook"_s, u"kustomize-guestbook"_s},
        {u"sock-shop"_s, u"argocd-example-apps/sock-shop"_s, u"sock-shop"_s},
        {u"podinfo-dev"_s, u"podinfo/deploy/overlays/dev"_s, u"dev"_s},
        {u"podinfo-staging"_s, u"podinfo/deploy/overlays/staging"_s, u"staging"_s},
        {u"podinfo-production"_s, u"podinfo/deploy/overlays/production"_s, u"production"_s},
        {u"podinfo"_s, u"podinfo/kustomize"_s, u"podinfo"_s},
    };
    return apps;
}

enum class Applier { Driftdeck, KubectlClientSide, KubectlServerSide };

QString applierName(Applier a) {
    switch (a) {
    case Applier::Driftdeck:
        return u"driftdeck server-side apply"_s;
    case Applier::KubectlClientSide:
        return u"kubectl apply"_s;
    case Applier::KubectlServerSide:
        return u"kubectl apply --server-side"_s;
    }
    return {};
}

QString describe(const diff::ObjectDiff& d) {
    QString out = d.key.toString() + u": "_s + diff::stateName(d.state);
    for (const diff::FieldChange& c : d.changes)
        out += u"\n    "_s + diff::changeTypeName(c.type) + u' ' + c.pointer + u": "_s +
               QString::fromUtf8(QJsonDocument(QJsonArray{c.desired, c.live}).toJson(QJsonDocument::Compact));
    return out;
}

// Namespaces first, then everything else in render order: what both appliers need.
QList<kubeobj::Object> namespacesFirst(QList<kubeobj::Object> objects) {
    std::stable_partition(objects.begin(), objects.end(),
                          [](const kubeobj::Object& o) { return o.key().kind == u"Namespace"_s; });
    return objects;
}

class CorpusDrift : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        kubesim::ClusterOptions options;
        options.name = u"corpus"_s;
        cluster = new kubesim::SimulatedCluster(options);
        started = cluster->start().ok();
    }
    static void TearDownTestSuite() {
        cluster->stop();
        delete cluster;
        cluster = nullptr;
    }

    void SetUp() override {
        ASSERT_TRUE(started) << "kubesim did not start";
        ASSERT_FALSE(test::kubectlPath().isEmpty()) << "kubectl is not on PATH: it is this test's referee";
        corpus = QDir(test::sharedDir().filePath(u"corpus"_s));
        ASSERT_TRUE(corpus.exists()) << "the shared corpus is missing at " << corpus.path().toStdString();
        ASSERT_TRUE(dir.isValid());
        kubeconfig = dir.filePath(u"kubeconfig"_s);
        QFile file(kubeconfig);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(kubesim::kubeconfigYaml({cluster}));
        file.close();
    }

    // The application's desired objects, placed in its destination namespace; the destination
    // Namespace itself comes first when the application does not define it.
    QList<kubeobj::Object> render(const CorpusApp& app, const QString& nsPrefix) {
        manifest::RenderRequest request;
        request.directory = corpus.filePath(app.path);
        request.appName = app.name;
        request.appPath = app.path;
        request.ns = nsPrefix + app.ns;
        const auto rendered = manifest::renderManifests(request);
        EXPECT_TRUE(rendered.ok()) << rendered.error().toString().toStdString();
        if (!rendered)
            return {};
        diff::PairingOptions placement;
        placement.destinationNamespace = nsPrefix + app.ns;
        QList<kubeobj::Object> out;
        bool hasNamespace = false;
        for (const manifest::DesiredObject& d : rendered->objects) {
            QJsonObject json = d.object;
            // Overlays that name their own namespace are moved under this run's prefix too.
            QJsonObject meta = json.value(u"metadata"_s).toObject();
            if (json.value(u"kind"_s).toString() == u"Namespace"_s) {
                meta.insert(u"name"_s, QString(nsPrefix + meta.value(u"name"_s).toString()));
                hasNamespace = true;
            } else if (meta.contains(u"namespace"_s)) {
                meta.insert(u"namespace"_s, QString(nsPrefix + meta.value(u"namespace"_s).toString()));
            }
            json.insert(u"metadata"_s, meta);
            out.append(diff::placed(kubeobj::Object::fromTrustedJson(json), placement));
        }
        if (!hasNamespace)
            out.prepend(kubeobj::Object::fromTrustedJson(
                QJsonObject{{u"apiVersion"_s, u"v1"_s},
                            {u"kind"_s, u"Namespace"_s},
                            {u"metadata"_s, QJsonObject{{u"name"_s, QString(nsPrefix + app.ns)}}}}));
        return namespacesFirst(out);
    }

    QString writeStream(const QList<kubeobj::Object>& objects, const QString& name) {
        QList<QJsonValue> docs;
        for (const kubeobj::Object& o : objects)
            docs.append(o.json());
        const QString path = dir.filePath(name);
        QFile file(path);
        EXPECT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(yaml::toYamlStream(docs));
        return path;
    }

    test::ProcessResult kubectl(QStringList args) {
        args.prepend(kubeconfig);
        args.prepend(u"--kubeconfig"_s);
        return test::runProcess(test::kubectlPath(), args, {}, std::chrono::seconds(120));
    }

    void applyWithDriftdeck(const QList<kubeobj::Object>& objects) {
        auto config = kube::loadKubeconfig({kubeconfig});
        ASSERT_TRUE(config.ok()) << config.error().toString().toStdString();
        auto settings = kube::connectionSettings(*config, u"corpus"_s);
        ASSERT_TRUE(settings.ok()) << settings.error().toString().toStdString();
        kube::ClusterClient client(*settings);
        kube::Discovery discovery(&client, dir.filePath(u"discovery"_s));
        for (const kubeobj::Object& object : objects) {
            const auto info = discovery.resolveBlocking({object.key().group, QString(), object.key().kind});
            ASSERT_TRUE(info.ok()) << info.error().toString().toStdString();
            QFuture<kube::ApiReply> reply = client.apply(*info, object.json());
            ASSERT_TRUE(test::waitUntil([&] { return reply.isFinished(); }, std::chrono::seconds(60)));
            ASSERT_TRUE(reply.result().ok()) << object.key().toString().toStdString() << ": "
                                             << reply.result().error->toString().toStdString();
        }
    }

    void apply(Applier applier, const QList<kubeobj::Object>& objects, const QString& label) {
        if (applier == Applier::Driftdeck) {
            applyWithDriftdeck(objects);
            return;
        }
        const QString file = writeStream(objects, label + u".yaml"_s);
        QStringList args{u"apply"_s, u"-f"_s, file};
        if (applier == Applier::KubectlServerSide)
            args.append(u"--server-side"_s);
        const auto result = kubectl(args);
        ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
    }

    // Waits until every workload's controller has seen its spec (observedGeneration caught up), so
    // the objects read back carry whatever the controllers write.
    void waitForControllers(const QString& file) {
        const bool settled = test::waitUntil(
            [&] {
                const auto got = kubectl({u"get"_s, u"-f"_s, file, u"-o"_s, u"json"_s});
                if (got.exitCode != 0)
                    return false;
                for (const QJsonValue& item :
                     QJsonDocument::fromJson(got.out).object().value(u"items"_s).toArray()) {
                    const QJsonObject o = item.toObject();
                    const QString kind = o.value(u"kind"_s).toString();
                    if (kind != u"Deployment"_s && kind != u"StatefulSet"_s && kind != u"DaemonSet"_s)
                        continue;
                    const auto generation =
                        o.value(u"metadata"_s).toObject().value(u"generation"_s).toInteger();
                    const auto observed =
                        o.value(u"status"_s).toObject().value(u"observedGeneration"_s).toInteger();
                    if (observed < generation)
                        return false;
                }
                return true;
            },
            std::chrono::seconds(120));
        ASSERT_TRUE(settled) << "controllers did not catch up";
    }

    QList<kubeobj::Object> readLive(const QString& file) {
        // managedFields are what tells our fields from others': kubectl hides them unless asked.
        const auto got = kubectl({u"get"_s, u"-f"_s, file, u"-o"_s, u"json"_s, u"--ignore-not-found"_s,
                                  u"--show-managed-fields"_s});
        EXPECT_EQ(got.exitCode, 0) << got.err.toStdString();
        QList<kubeobj::Object> out;
        for (const QJsonValue& item : QJsonDocument::fromJson(got.out).object().value(u"items"_s).toArray())
            out.append(kubeobj::Object::fromTrustedJson(item.toObject()));
        return out;
    }

    QList<diff::ObjectDiff> compare(const QList<kubeobj::Object>& desired, const QList<kubeobj::Object>& live,
                                    const QString& ns, const diff::DiffOptions& options = {}) {
        diff::PairingOptions pairing;
        pairing.destinationNamespace = ns;
        QList<diff::ObjectDiff> out;
        for (const diff::ObjectPair& pair : diff::pairObjects(desired, live, pairing).pairs)
            out.append(diff::compareObjects(pair.desired, pair.live, options));
        return out;
    }

    // Applies every corpus application one way and expects no drift anywhere.
    void expectNoDriftAfter(Applier applier, const QString& prefix) {
        int compared = 0;
        for (const CorpusApp& app : corpusApps()) {
            SCOPED_TRACE(QString(app.name + u" via "_s + applierName(applier)).toStdString());
            const QList<kubeobj::Object> desired = render(app, prefix);
            ASSERT_FALSE(desired.isEmpty());
            apply(applier, desired, prefix + app.name);
            const QString file = writeStream(desired, prefix + app.name + u"-desired.yaml"_s);
            waitForControllers(file);
            const QList<kubeobj::Object> live = readLive(file);
            for (const diff::ObjectDiff& d : compare(desired, live, prefix + app.ns)) {
                EXPECT_EQ(d.state, diff::ObjectDiff::State::Synced) << describe(d).toStdString();
                ++compared;
            }
        }
        EXPECT_GT(compared, 100) << "fewer objects than the corpus holds were compared";
    }

    static inline kubesim::SimulatedCluster* cluster = nullptr;
    static inline bool started = false;
    QTemporaryDir dir;
    QString kubeconfig;
    QDir corpus;
};

TEST_F(CorpusDrift, NoDriftAfterDriftdeckServerSideApply) {
    expectNoDriftAfter(Applier::Driftdeck, u"dd-"_s);
}

TEST_F(CorpusDrift, NoDriftAfterKubectlClientSideApply) {
    expectNoDriftAfter(Applier::KubectlClientSide, u"csa-"_s);
}

TEST_F(CorpusDrift, NoDriftAfterKubectlServerSideApply) {
    expectNoDriftAfter(Applier::KubectlServerSide, u"ssa-"_s);
}

// ---- injected changes, each found with its JSON pointer and nothing else ----------------------

class InjectedDrift : public CorpusDrift {
protected:
    // guestbook (a Deployment and a Service), with a `tier` label on the Service, applied in its own
    // namespace; returns the desired objects.
    QList<kubeobj::Object> applyGuestbook(const QString& prefix, Applier applier = Applier::Driftdeck) {
        QList<kubeobj::Object> desired = render(corpusApps().first(), prefix);
        for (kubeobj::Object& o : desired) {
            if (o.key().kind != u"Service"_s)
                continue;
            QJsonObject json = o.json();
            QJsonObject meta = json.value(u"metadata"_s).toObject();
            meta.insert(u"labels"_s, QJsonObject{{u"tier"_s, u"web"_s}});
            json.insert(u"metadata"_s, meta);
            o = o.withJson(json);
        }
        apply(applier, desired, prefix + u"guestbook"_s);
        desiredFile = writeStream(desired, prefix + u"guestbook-desired.yaml"_s);
        waitForControllers(desiredFile);
        ns = prefix + u"guestbook"_s;
        return desired;
    }

    // Every change of the application, as "kind/name type pointer".
    QStringList changes(const QList<kubeobj::Object>& desired) {
        QStringList out;
        for (const diff::ObjectDiff& d : compare(desired, readLive(desiredFile), ns)) {
            if (d.state == diff::ObjectDiff::State::Missing)
                out.append(d.key.kind + u'/' + d.key.name + u" Missing"_s);
            for (const diff::FieldChange& c : d.changes)
                out.append(d.key.kind + u'/' + d.key.name + u' ' + diff::changeTypeName(c.type) + u' ' +
                           c.pointer);
        }
        return out;
    }

    void run(const QStringList& args) {
        QStringList full = args;
        full << u"-n"_s << ns;
        const auto result = kubectl(full);
        ASSERT_EQ(result.exitCode, 0) << result.err.toStdString();
    }

    static QList<kubeobj::Object> edited(QList<kubeobj::Object> objects, const QString& kind,
                                         const std::function<void(QJsonObject&)>& edit) {
        for (kubeobj::Object& o : objects) {
            if (o.key().kind != kind)
                continue;
            QJsonObject json = o.json();
            edit(json);
            o = o.withJson(json);
        }
        return objects;
    }

    static QJsonObject withoutRevisionHistoryLimit(QJsonObject json) {
        QJsonObject spec = json.value(u"spec"_s).toObject();
        spec.remove(u"revisionHistoryLimit"_s);
        json.insert(u"spec"_s, spec);
        return json;
    }

    QString desiredFile;
    QString ns;
};

TEST_F(InjectedDrift, NothingBeforeAnyChange) {
    const auto desired = applyGuestbook(u"i0-"_s);
    EXPECT_EQ(changes(desired), QStringList());
}

TEST_F(InjectedDrift, ReplicasChanged) {
    const auto desired = applyGuestbook(u"i1-"_s);
    run({u"scale"_s, u"deployment/guestbook-ui"_s, u"--replicas=3"_s});
    EXPECT_EQ(changes(desired), QStringList{u"Deployment/guestbook-ui changed /spec/replicas"_s});
}

TEST_F(InjectedDrift, ImageEdited) {
    const auto desired = applyGuestbook(u"i2-"_s);
    run({u"set"_s, u"image"_s, u"deployment/guestbook-ui"_s,
         u"guestbook-ui=gcr.io/google-samples/gb-frontend:v6"_s});
    EXPECT_EQ(changes(desired),
              QStringList{u"Deployment/guestbook-ui changed /spec/template/spec/containers/0/image"_s});
}

TEST_F(InjectedDrift, LabelRemoved) {
    const auto desired = applyGuestbook(u"i3-"_s);
    run({u"label"_s, u"service/guestbook-ui"_s, u"tier-"_s});
    EXPECT_EQ(changes(desired), QStringList{u"Service/guestbook-ui missing /metadata/labels/tier"_s});
}

TEST_F(InjectedDrift, EnvVarAddedInGit) {
    const auto desired = applyGuestbook(u"i4-"_s);
    const auto withEnv = edited(desired, u"Deployment"_s, [](QJsonObject& json) {
        QJsonObject spec = json[u"spec"_s].toObject();
        QJsonObject tmpl = spec[u"template"_s].toObject();
        QJsonObject podSpec = tmpl[u"spec"_s].toObject();
        QJsonArray containers = podSpec[u"containers"_s].toArray();
        QJsonObject c = containers.at(0).toObject();
        c.insert(u"env"_s, QJsonArray{QJsonObject{{u"name"_s, u"GET_HOSTS_FROM"_s}, {u"value"_s, u"dns"_s}}});
        containers.replace(0, c);
        podSpec.insert(u"containers"_s, containers);
        tmpl.insert(u"spec"_s, podSpec);
        spec.insert(u"template"_s, tmpl);
        json.insert(u"spec"_s, spec);
    });
    EXPECT_EQ(changes(withEnv),
              QStringList{u"Deployment/guestbook-ui missing /spec/template/spec/containers/0/env/0"_s});
}

TEST_F(InjectedDrift, ObjectDeleted) {
    const auto desired = applyGuestbook(u"i5-"_s);
    run({u"delete"_s, u"service/guestbook-ui"_s});
    EXPECT_EQ(changes(desired), QStringList{u"Service/guestbook-ui Missing"_s});
}

TEST_F(InjectedDrift, FieldRemovedFromGitThatDriftdeckApplied) {
    const auto desired = applyGuestbook(u"i6-"_s);
    const auto dropped =
        edited(desired, u"Deployment"_s, [](QJsonObject& json) { json = withoutRevisionHistoryLimit(json); });
    EXPECT_EQ(changes(dropped), QStringList{u"Deployment/guestbook-ui extra /spec/revisionHistoryLimit"_s});
}

TEST_F(InjectedDrift, FieldRemovedFromGitThatKubectlAppliedClientSide) {
    const auto desired = applyGuestbook(u"i7-"_s, Applier::KubectlClientSide);
    const auto dropped =
        edited(desired, u"Deployment"_s, [](QJsonObject& json) { json = withoutRevisionHistoryLimit(json); });
    EXPECT_EQ(changes(dropped), QStringList{u"Deployment/guestbook-ui extra /spec/revisionHistoryLimit"_s});
}

TEST_F(InjectedDrift, ServerSideModeFindsTheSameChange) {
    const auto desired = applyGuestbook(u"i9-"_s);
    run({u"scale"_s, u"deployment/guestbook-ui"_s, u"--replicas=4"_s});
    auto config = kube::loadKubeconfig({kubeconfig});
    ASSERT_TRUE(config.ok());
    auto settings = kube::connectionSettings(*config, u"corpus"_s);
    ASSERT_TRUE(settings.ok());
    kube::ClusterClient client(*settings);
    kube::Discovery discovery(&client, dir.filePath(u"discovery"_s));
    const QList<kubeobj::Object> live = readLive(desiredFile);
    QStringList found;
    for (const kubeobj::Object& d : desired) {
        const auto info = discovery.resolveBlocking({d.key().group, QString(), d.key().kind});
        ASSERT_TRUE(info.ok()) << info.error().toString().toStdString();
        kube::ApplyOptions dryRun;
        dryRun.dryRun = true;
        dryRun.force = true; // as `kubectl diff --server-side --force-conflicts`: show, never refuse
        QFuture<kube::ApiReply> reply = client.apply(*info, d.json(), dryRun);
        ASSERT_TRUE(test::waitUntil([&] { return reply.isFinished(); }, std::chrono::seconds(60)));
        ASSERT_TRUE(reply.result().ok()) << reply.result().error->toString().toStdString();
        const auto it = std::find_if(live.begin(), live.end(),
                                     [&](const kubeobj::Object& l) { return l.key() == d.key(); });
        ASSERT_NE(it, live.end());
        const diff::ObjectDiff result =
            diff::compareServerSide(kubeobj::Object::fromTrustedJson(reply.result().json()), *it);
        for (const diff::FieldChange& c : result.changes)
            found.append(d.key().kind + u' ' + diff::changeTypeName(c.type) + u' ' + c.pointer);
    }
    EXPECT_EQ(found, QStringList{u"Deployment changed /spec/replicas"_s});
    // The dry run changed nothing live.
    EXPECT_EQ(changes(desired), QStringList{u"Deployment/guestbook-ui changed /spec/replicas"_s});
}

TEST_F(InjectedDrift, EditByAnotherManagerToAFieldNobodyAppliedIsNotDrift) {
    const auto desired = applyGuestbook(u"i8-"_s);
    run({u"annotate"_s, u"deployment/guestbook-ui"_s, u"ops.example.com/checked=yes"_s});
    run({u"label"_s, u"service/guestbook-ui"_s, u"owner=ops"_s});
    EXPECT_EQ(changes(desired), QStringList());
}

} // namespace
