#include "syncfixture.h"

#include "diff/pairing.h"
#include "kube/kubeconfig.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace driftdeck::sync::test {

using namespace Qt::StringLiterals;

const kube::ResourceInfo kConfigMaps{QString(), u"v1"_s, u"ConfigMap"_s, u"configmaps"_s, true, {}};
const kube::ResourceInfo kDeployments{u"apps"_s, u"v1"_s, u"Deployment"_s, u"deployments"_s, true, {}};
const kube::ResourceInfo kSecrets{QString(), u"v1"_s, u"Secret"_s, u"secrets"_s, true, {}};
const kube::ResourceInfo kPods{QString(), u"v1"_s, u"Pod"_s, u"pods"_s, true, {}};
const kube::ResourceInfo kNamespaces{QString(), u"v1"_s, u"Namespace"_s, u"namespaces"_s, false, {}};

namespace {

kube::ApiReply waitFor(QFuture<kube::ApiReply> future) {
    EXPECT_TRUE(driftdeck::test::waitUntil([&] { return future.isFinished(); }, std::chrono::seconds(30)));
    if (!future.isFinished() || future.isCanceled() || future.resultCount() == 0)
        return {};
    return future.result();
}

QJsonObject metadata(const QString& name, const QString& ns, const QJsonObject& annotations) {
    QJsonObject meta{{u"name"_s, name}, {u"namespace"_s, ns}};
    if (!annotations.isEmpty())
        meta.insert(u"annotations"_s, annotations);
    return meta;
}

} // namespace

void SyncRunnerTest::SetUp() {
    kubesim::ClusterOptions options;
    options.name = u"sim"_s;
    // Long enough that a run not waiting for health would see the Deployment still rolling out (on
    // the real control plane the rollout takes its own time: scheduler, kwok, controller-manager).
    options.controllers.readyDelay = std::chrono::milliseconds(600);
    const Status started = backend.start(options);
    ASSERT_TRUE(started.ok()) << started.error().toString().toStdString();
    auto config = kube::loadKubeconfig({backend.kubeconfigPath()});
    ASSERT_TRUE(config.ok()) << config.error().toString().toStdString();
    auto settings = kube::connectionSettings(*config, backend.adminContext());
    ASSERT_TRUE(settings.ok()) << settings.error().toString().toStdString();
    settings->maxRetries = 1; // the fault tests answer 500: one retry of a GET is plenty
    client = std::make_unique<kube::ClusterClient>(*settings);
    ASSERT_TRUE(cacheDir.isValid());
    discovery = std::make_unique<kube::Discovery>(client.get(), cacheDir.path());
    const QString testName =
        QString::fromLatin1(::testing::UnitTest::GetInstance()->current_test_info()->name()).toLower();
    ns = testName.left(50) + u'-' +
         QString::number(QRandomGenerator::global()->bounded(0x100000), 16).rightJustified(5, u'0');
    const kube::ApiReply created =
        waitFor(client->apply(kNamespaces, QJsonObject{{u"apiVersion"_s, u"v1"_s},
                                                       {u"kind"_s, u"Namespace"_s},
                                                       {u"metadata"_s, QJsonObject{{u"name"_s, ns}}}}));
    ASSERT_TRUE(created.ok()) << (created.error ? created.error->toString().toStdString() : std::string());
}

void SyncRunnerTest::TearDown() {
    // On the real server the namespace goes (with its objects, asynchronously): the next test never
    // sees this one's. A kubesim goes with the fixture, namespace and all.
    if (driftdeck::test::onRealKube() && client && !ns.isEmpty()) {
        for (const QString& name : QStringList{ns} + extraNamespaces) {
            const kube::ApiReply removed = waitFor(client->remove(kNamespaces, QString(), name));
            EXPECT_TRUE(removed.ok() || removed.httpStatus == 404) << "namespace " << name.toStdString();
        }
        // Wait until they are gone: their objects carry tracking ids, and an application sees the
        // objects it tracks in every namespace.
        for (const QString& name : QStringList{ns} + extraNamespaces) {
            const QString path = QStringLiteral("/api/v1/namespaces/") + name;
            EXPECT_TRUE(driftdeck::test::waitUntil(
                [&] { return waitFor(client->get(path)).httpStatus == 404; }, std::chrono::seconds(120)))
                << "namespace " << name.toStdString() << " still there 120 s after its deletion";
        }
    }
    discovery.reset();
    client.reset();
    backend.stop();
}

QJsonObject SyncRunnerTest::configMap(const QString& name, const QJsonObject& data,
                                      const QJsonObject& annotations) const {
    return QJsonObject{{u"apiVersion"_s, u"v1"_s},
                       {u"kind"_s, u"ConfigMap"_s},
                       {u"metadata"_s, metadata(name, ns, annotations)},
                       {u"data"_s, data}};
}

QJsonObject SyncRunnerTest::deployment(const QString& name, const QString& image,
                                       const QJsonObject& annotations, int progressDeadlineSeconds) const {
    const QJsonObject labels{{u"app"_s, name}};
    QJsonObject spec{
        {u"replicas"_s, 1},
        {u"selector"_s, QJsonObject{{u"matchLabels"_s, labels}}},
        {u"template"_s,
         QJsonObject{{u"metadata"_s, QJsonObject{{u"labels"_s, labels}}},
                     {u"spec"_s,
                      QJsonObject{{u"containers"_s,
                                   QJsonArray{QJsonObject{{u"name"_s, u"main"_s}, {u"image"_s, image}}}}}}}}};
    if (progressDeadlineSeconds > 0)
        spec.insert(u"progressDeadlineSeconds"_s, progressDeadlineSeconds);
    return QJsonObject{{u"apiVersion"_s, u"apps/v1"_s},
                       {u"kind"_s, u"Deployment"_s},
                       {u"metadata"_s, metadata(name, ns, annotations)},
                       {u"spec"_s, spec}};
}

QJsonObject SyncRunnerTest::pod(const QString& name, const QString& image,
                                const QJsonObject& annotations) const {
    return QJsonObject{
        {u"apiVersion"_s, u"v1"_s},
        {u"kind"_s, u"Pod"_s},
        {u"metadata"_s, metadata(name, ns, annotations)},
        {u"spec"_s, QJsonObject{{u"containers"_s,
                                 QJsonArray{QJsonObject{{u"name"_s, u"main"_s}, {u"image"_s, image}}}}}}};
}

QJsonObject SyncRunnerTest::secret(const QString& name, const QJsonObject& data,
                                   const QJsonObject& stringData) const {
    QJsonObject out{
        {u"apiVersion"_s, u"v1"_s}, {u"kind"_s, u"Secret"_s}, {u"metadata"_s, metadata(name, ns, {})}};
    if (!data.isEmpty())
        out.insert(u"data"_s, data);
    if (!stringData.isEmpty())
        out.insert(u"stringData"_s, stringData);
    return out;
}

QJsonObject SyncRunnerTest::waveAnnotation(int wave) {
    return QJsonObject{{u"driftdeck.io/sync-wave"_s, QString::number(wave)}};
}

QJsonObject SyncRunnerTest::trackedAnnotation(const QJsonObject& object, const QString& app) {
    return QJsonObject{
        {u"driftdeck.io/tracking-id"_s, diff::trackingId(app, ResourceKey::fromObject(object))}};
}

SyncPlan SyncRunnerTest::plan(const QList<QJsonObject>& create, const QList<QJsonObject>& update,
                              const QList<kubeobj::Object>& extra, SyncOptions options) const {
    QList<diff::ObjectDiff> diffs;
    QList<kubeobj::Object> desired;
    for (const auto& [objects, state] : {std::pair{create, diff::ObjectDiff::State::Missing},
                                         std::pair{update, diff::ObjectDiff::State::OutOfSync}}) {
        for (const QJsonObject& json : objects) {
            const auto object = kubeobj::Object::fromTrustedJson(json);
            desired.append(object);
            diff::ObjectDiff d;
            d.key = object.key();
            d.state = state;
            diffs.append(d);
        }
    }
    for (const kubeobj::Object& object : extra) {
        diff::ObjectDiff d;
        d.key = object.key();
        d.state = diff::ObjectDiff::State::Extra;
        d.live = object;
        diffs.append(d);
    }
    if (options.appName.isEmpty())
        options.appName = kApp;
    auto planned = planSync(diffs, desired, false, options);
    EXPECT_TRUE(planned.ok()) << planned.error().message.toStdString();
    return planned.ok() ? *planned : SyncPlan{};
}

std::unique_ptr<SyncRunner> SyncRunnerTest::runner(SyncOptions options, SyncRunSettings settings) {
    if (options.appName.isEmpty())
        options.appName = kApp;
    if (settings.destinationNamespace.isEmpty())
        settings.destinationNamespace = ns;
    return std::make_unique<SyncRunner>(client.get(), discovery.get(), options, settings);
}

SyncRunSettings SyncRunnerTest::healthSettings(int timeoutSeconds, int pollMs) {
    SyncRunSettings settings;
    settings.healthTimeoutSeconds = timeoutSeconds;
    settings.healthPollMs = pollMs;
    return settings;
}

SyncResult SyncRunnerTest::waitForResult(SyncRunner& runner, QList<SyncProgress>* progress, bool started) {
    EXPECT_TRUE(started) << "the runner refused to start";
    std::optional<SyncResult> result;
    // Not parented to the runner: the connections go when this function returns.
    QObject scope;
    QObject::connect(&runner, &SyncRunner::finished, &scope, [&](const SyncResult& r) { result = r; });
    if (progress)
        QObject::connect(&runner, &SyncRunner::progress, &scope,
                         [progress](const SyncProgress& p) { progress->append(p); });
    EXPECT_TRUE(driftdeck::test::waitUntil([&] { return result.has_value(); }, std::chrono::seconds(60)))
        << "no result within 60 s";
    return result.value_or(SyncResult{});
}

SyncResult SyncRunnerTest::run(SyncRunner& runner, const SyncPlan& plan, QList<SyncProgress>* progress) {
    // Connected before start(): finished() is asynchronous, so nothing is missed.
    return waitForResult(runner, progress, runner.start(plan));
}

SyncResult SyncRunnerTest::resume(SyncRunner& runner, const SyncState& state, QList<SyncProgress>* progress) {
    return waitForResult(runner, progress, runner.resume(state));
}

kube::ApiReply SyncRunnerTest::get(const kube::ResourceInfo& info, const QString& name, const QString& inNs) {
    return waitFor(client->get(
        kube::objectPath(info, info.namespaced ? (inNs.isEmpty() ? ns : inNs) : QString(), name)));
}

kubeobj::Object SyncRunnerTest::live(const kube::ResourceInfo& info, const QString& name) {
    const kube::ApiReply reply = get(info, name);
    EXPECT_TRUE(reply.ok()) << name.toStdString() << ": "
                            << (reply.error ? reply.error->message.toStdString() : std::string());
    return reply.ok() ? kubeobj::Object::fromTrustedJson(reply.json()) : kubeobj::Object();
}

bool SyncRunnerTest::exists(const kube::ResourceInfo& info, const QString& name) {
    const kube::ApiReply reply = get(info, name);
    EXPECT_TRUE(reply.ok() || reply.httpStatus == 404) << reply.httpStatus;
    return reply.ok();
}

kube::ApiReply SyncRunnerTest::applyAs(const QString& manager, const kube::ResourceInfo& info,
                                       const QJsonObject& object) {
    kube::ApplyOptions options;
    options.fieldManager = manager;
    options.defaultNamespace = ns;
    return waitFor(client->apply(info, object, options));
}

kube::ApiReply SyncRunnerTest::mergePatchAs(const QString& manager, const kube::ResourceInfo& info,
                                            const QString& name, const QJsonObject& patch) {
    return waitFor(client->send(kube::mergePatchRequest(info, ns, name, patch, false, manager)));
}

bool SyncRunnerTest::requireKubesim() const {
    EXPECT_NE(backend.simulated(), nullptr)
        << "this test drives kubesim itself (faults, crash-looping images); the realkube run must "
           "filter it out (tests/realkube/CMakeLists.txt)";
    return backend.simulated() != nullptr;
}

QString everythingSaid(const QList<SyncProgress>& progress, const SyncResult& result) {
    QStringList out;
    for (const SyncProgress& p : progress)
        out << p.current.toString() << p.message;
    out << result.message;
    for (const SyncResourceResult& r : result.resources)
        out << r.key.toString() << r.message << r.conflictManagers;
    out << QString::fromUtf8(QJsonDocument(result.state.toJson()).toJson(QJsonDocument::Compact));
    return out.join(u'\n');
}

} // namespace driftdeck::sync::test
