#include "diff/pairing.h"
#include "health/health.h"
#include "syncfixture.h"
#include "testsupport.h"

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::sync;
using namespace driftdeck::sync::test;
using namespace Qt::StringLiterals;

namespace {

ResourceKey keyOf(const QJsonObject& object) {
    return ResourceKey::fromObject(object);
}

ResourceStatus statusOf(const SyncResult& result, const QJsonObject& object) {
    const SyncResourceResult* r = result.find(keyOf(object));
    EXPECT_NE(r, nullptr) << keyOf(object).toString().toStdString();
    return r ? r->status : ResourceStatus::NotRun;
}

// The objects the runner sent requests for, in order (from its progress reports while applying).
QStringList appliedOrder(const QList<SyncProgress>& progress) {
    QStringList out;
    for (const SyncProgress& p : progress)
        if (p.phase == SyncPhase::Applying && !out.contains(p.current.name))
            out.append(p.current.name);
    return out;
}

TEST_F(SyncRunnerTest, AppliesWaveByWaveAndWaitsForHealthBetweenWaves) {
    const QJsonObject early = configMap(u"early"_s, {{u"k"_s, u"v"_s}}, waveAnnotation(-1));
    const QJsonObject web = deployment(u"web"_s, u"nginx:1.25"_s);
    const QJsonObject settings = configMap(u"settings"_s, {{u"k"_s, u"v"_s}});
    const QJsonObject late = configMap(u"late"_s, {{u"k"_s, u"v"_s}}, waveAnnotation(1));
    const SyncPlan p = plan({late, web, early, settings});
    ASSERT_EQ(p.waves(), (QList<int>{-1, 0, 1}));

    auto r = runner({}, healthSettings(60, 100));
    // When wave 1 starts, the Deployment of wave 0 must already be Available.
    std::optional<health::Health> webWhenLateStarts;
    QObject::connect(r.get(), &SyncRunner::progress, r.get(), [&](const SyncProgress& progress) {
        if (progress.phase == SyncPhase::Applying && progress.current == keyOf(late) && !webWhenLateStarts)
            webWhenLateStarts = health::assess(get(kDeployments, u"web"_s).json());
    });
    QList<SyncProgress> progress;
    const SyncResult result = run(*r, p, &progress);

    ASSERT_EQ(result.outcome, SyncOutcome::Succeeded) << result.message.toStdString();
    EXPECT_EQ(appliedOrder(progress), (QStringList{u"early"_s, u"settings"_s, u"web"_s, u"late"_s}));
    ASSERT_TRUE(webWhenLateStarts.has_value());
    EXPECT_EQ(webWhenLateStarts->status, health::HealthStatus::Healthy)
        << webWhenLateStarts->message.toStdString();
    const bool waitedForWave0 = std::any_of(progress.begin(), progress.end(), [&](const SyncProgress& p) {
        return p.phase == SyncPhase::WaitingForHealth && p.wave == 0 && p.current == keyOf(web);
    });
    EXPECT_TRUE(waitedForWave0) << "the Deployment takes 600 ms to become ready: the runner must have waited";
    EXPECT_EQ(progress.last().done, 4);
    EXPECT_EQ(progress.last().total, 4);

    // Every applied object carries this application's tracking id for itself.
    for (const auto& [info, object] : {std::pair{kConfigMaps, early}, std::pair{kDeployments, web},
                                       std::pair{kConfigMaps, settings}, std::pair{kConfigMaps, late}}) {
        EXPECT_EQ(statusOf(result, object), ResourceStatus::Applied);
        const kubeobj::Object applied = live(info, keyOf(object).name);
        EXPECT_EQ(applied.annotation(u"driftdeck.io/tracking-id"_s), diff::trackingId(kApp, keyOf(object)));
    }
    EXPECT_EQ(result.state.phase, SyncPhase::Finished);
    EXPECT_TRUE(p.items.first().desired.annotation(u"driftdeck.io/tracking-id"_s).isEmpty())
        << "the plan's desired objects are not changed";
}

TEST_F(SyncRunnerTest, AWaveThatStaysProgressingFailsTheRunNamingTheObject) {
    if (!requireKubesim())
        return;
    // kubesim crash-loops containers whose image names "crashloop": the rollout never completes.
    const QJsonObject stuck = deployment(u"stuck"_s, u"example/crashloop:1"_s);
    const QJsonObject after = configMap(u"after"_s, {{u"k"_s, u"v"_s}}, waveAnnotation(1));
    auto r = runner({}, healthSettings(1, 100));
    const SyncResult result = run(*r, plan({stuck, after}));

    EXPECT_EQ(result.outcome, SyncOutcome::Failed);
    EXPECT_TRUE(result.message.contains(u"did not become healthy within 1 s"_s))
        << result.message.toStdString();
    EXPECT_TRUE(result.message.contains(u"Deployment "_s + ns + u"/stuck is Progressing"_s))
        << result.message.toStdString();
    EXPECT_EQ(statusOf(result, stuck), ResourceStatus::Applied);
    EXPECT_EQ(statusOf(result, after), ResourceStatus::NotRun);
    EXPECT_FALSE(exists(kConfigMaps, u"after"_s)) << "wave 1 must not be applied after wave 0 failed";
    EXPECT_EQ(result.state.phase, SyncPhase::WaitingForHealth);
    EXPECT_EQ(result.state.healthWave, 0);
}

TEST_F(SyncRunnerTest, ADegradedObjectFailsTheRunWithoutWaitingForTheTimeout) {
    if (!requireKubesim())
        return;
    const QJsonObject crashing = pod(u"crashing"_s, u"example/crashloop:1"_s);
    const QJsonObject after = configMap(u"after"_s, {{u"k"_s, u"v"_s}}, waveAnnotation(1));
    auto r = runner({}, healthSettings(300, 100));
    const SyncResult result = run(*r, plan({crashing, after}));

    EXPECT_EQ(result.outcome, SyncOutcome::Failed);
    EXPECT_TRUE(result.message.contains(u"Pod "_s + ns + u"/crashing is Degraded"_s))
        << result.message.toStdString();
    EXPECT_TRUE(result.message.contains(u"CrashLoopBackOff"_s)) << result.message.toStdString();
    EXPECT_FALSE(exists(kConfigMaps, u"after"_s));
}

TEST_F(SyncRunnerTest, AConflictNamesTheOtherManagerAndStopsBeforeTheNextWave) {
    // helm owns data.mode; our desired state sets it too.
    ASSERT_TRUE(applyAs(u"helm"_s, kConfigMaps, configMap(u"shared"_s, {{u"mode"_s, u"helm"_s}})).ok());
    const QJsonObject shared = configMap(u"shared"_s, {{u"mode"_s, u"git"_s}});
    const QJsonObject sibling = configMap(u"sibling"_s, {{u"k"_s, u"v"_s}});
    const QJsonObject later = configMap(u"later"_s, {{u"k"_s, u"v"_s}}, waveAnnotation(1));
    const SyncPlan p = plan({sibling, later}, {shared});
    auto r = runner();
    const SyncResult result = run(*r, p);

    EXPECT_EQ(result.outcome, SyncOutcome::PartiallySucceeded) << result.message.toStdString();
    const SyncResourceResult* conflict = result.find(keyOf(shared));
    ASSERT_NE(conflict, nullptr);
    EXPECT_EQ(conflict->status, ResourceStatus::Conflict);
    EXPECT_EQ(conflict->httpStatus, 409);
    EXPECT_EQ(conflict->conflictManagers, QStringList{u"helm"_s});
    EXPECT_TRUE(conflict->message.contains(u"\"helm\""_s)) << conflict->message.toStdString();
    EXPECT_TRUE(conflict->message.contains(u".data.mode"_s)) << conflict->message.toStdString();
    EXPECT_EQ(statusOf(result, sibling), ResourceStatus::Applied) << "the rest of the wave still goes";
    EXPECT_EQ(statusOf(result, later), ResourceStatus::NotRun);
    EXPECT_FALSE(exists(kConfigMaps, u"later"_s));
    EXPECT_TRUE(result.message.contains(u"stopped after wave 0"_s)) << result.message.toStdString();
    EXPECT_EQ(live(kConfigMaps, u"shared"_s).json()[u"data"_s][u"mode"_s].toString(), u"helm"_s);

    // Forcing the conflict takes the field over; the resume applies only what is not done yet.
    SyncOptions force;
    force.forceConflicts = true;
    auto forced = runner(force);
    QList<SyncProgress> progress;
    const SyncResult second = resume(*forced, result.state, &progress);
    EXPECT_EQ(second.outcome, SyncOutcome::Succeeded) << second.message.toStdString();
    EXPECT_EQ(appliedOrder(progress), (QStringList{u"shared"_s, u"later"_s}));
    EXPECT_EQ(live(kConfigMaps, u"shared"_s).json()[u"data"_s][u"mode"_s].toString(), u"git"_s);
    EXPECT_TRUE(exists(kConfigMaps, u"later"_s));
}

TEST_F(SyncRunnerTest, ADryRunPersistsNothing) {
    const QJsonObject old = configMap(u"old"_s, {{u"k"_s, u"v"_s}});
    ASSERT_TRUE(
        applyAs(u"driftdeck"_s, kConfigMaps, configMap(u"old"_s, {{u"k"_s, u"v"_s}}, trackedAnnotation(old)))
            .ok());
    SyncOptions options;
    options.dryRun = true;
    options.prune = true;
    const QJsonObject fresh = configMap(u"fresh"_s, {{u"k"_s, u"v"_s}});
    const QJsonObject web = deployment(u"web"_s, u"nginx:1.25"_s);
    const QJsonObject late = configMap(u"late"_s, {{u"k"_s, u"v"_s}}, waveAnnotation(1));
    auto r = runner(options);
    QList<SyncProgress> progress;
    const SyncResult result =
        run(*r, plan({fresh, web, late}, {}, {live(kConfigMaps, u"old"_s)}, options), &progress);

    ASSERT_EQ(result.outcome, SyncOutcome::Succeeded) << result.message.toStdString();
    EXPECT_EQ(statusOf(result, fresh), ResourceStatus::Applied);
    EXPECT_TRUE(result.find(keyOf(fresh))->message.contains(u"dry run"_s));
    EXPECT_EQ(statusOf(result, old), ResourceStatus::Pruned);
    EXPECT_TRUE(result.find(keyOf(old))->message.contains(u"dry run"_s));
    EXPECT_FALSE(exists(kConfigMaps, u"fresh"_s));
    EXPECT_FALSE(exists(kDeployments, u"web"_s));
    EXPECT_FALSE(exists(kConfigMaps, u"late"_s));
    EXPECT_TRUE(exists(kConfigMaps, u"old"_s));
    for (const SyncProgress& p : progress)
        EXPECT_NE(p.phase, SyncPhase::WaitingForHealth)
            << "nothing was persisted, so nothing can become healthy";
}

TEST_F(SyncRunnerTest, ASelectiveSyncTouchesOnlyTheChosenObjects) {
    const QJsonObject tracked = configMap(u"tracked"_s, {{u"k"_s, u"v"_s}});
    ASSERT_TRUE(applyAs(u"driftdeck"_s, kConfigMaps,
                        configMap(u"tracked"_s, {{u"k"_s, u"v"_s}}, trackedAnnotation(tracked)))
                    .ok());
    const QJsonObject a = configMap(u"a"_s, {{u"k"_s, u"v"_s}});
    const QJsonObject b = configMap(u"b"_s, {{u"k"_s, u"v"_s}}, waveAnnotation(2));
    SyncOptions options;
    options.prune = true;
    options.only = {keyOf(b)};
    auto r = runner(options);
    const SyncResult result = run(*r, plan({a, b}, {}, {live(kConfigMaps, u"tracked"_s)}, options));

    ASSERT_EQ(result.outcome, SyncOutcome::Succeeded) << result.message.toStdString();
    EXPECT_EQ(statusOf(result, b), ResourceStatus::Applied);
    EXPECT_EQ(statusOf(result, a), ResourceStatus::Skipped);
    EXPECT_EQ(statusOf(result, tracked), ResourceStatus::Skipped);
    EXPECT_TRUE(exists(kConfigMaps, u"b"_s));
    EXPECT_FALSE(exists(kConfigMaps, u"a"_s));
    EXPECT_TRUE(exists(kConfigMaps, u"tracked"_s));
}

TEST_F(SyncRunnerTest, CreateNamespaceAppliesTheDestinationFirst) {
    const QString destination = ns + u"-dest"_s;
    extraNamespaces << destination;
    QJsonObject cm = configMap(u"settings"_s, {{u"k"_s, u"v"_s}});
    QJsonObject meta = cm[u"metadata"_s].toObject();
    meta.remove(u"namespace"_s); // goes to the destination
    cm[u"metadata"_s] = meta;
    SyncPlan p = plan({cm});
    ASSERT_EQ(p.items.size(), 1);
    p.items[0].key.ns = destination; // as pairing places it

    SyncRunSettings settings;
    settings.destinationNamespace = destination;
    auto without = runner({}, settings);
    const SyncResult refused = run(*without, p);
    EXPECT_EQ(refused.outcome, SyncOutcome::Failed);
    EXPECT_EQ(refused.resources.first().status, ResourceStatus::Failed);
    EXPECT_TRUE(refused.resources.first().message.contains(destination))
        << refused.resources.first().message.toStdString();

    SyncOptions options;
    options.createNamespace = true;
    auto with = runner(options, settings);
    const SyncResult result = run(*with, p);
    ASSERT_EQ(result.outcome, SyncOutcome::Succeeded) << result.message.toStdString();
    ASSERT_EQ(result.resources.size(), 2);
    EXPECT_EQ(result.resources.first().key, (ResourceKey{QString(), u"Namespace"_s, QString(), destination}));
    EXPECT_EQ(result.resources.first().status, ResourceStatus::Applied);
    const kube::ApiReply created = get(kNamespaces, destination);
    ASSERT_TRUE(created.ok());
    EXPECT_FALSE(
        created.json()[u"metadata"_s][u"annotations"_s].toObject().contains(u"driftdeck.io/tracking-id"_s))
        << "a created namespace is never a prune candidate";
    const kube::ApiReply placed = get(kConfigMaps, u"settings"_s, destination);
    ASSERT_TRUE(placed.ok());
    EXPECT_EQ(placed.json()[u"metadata"_s][u"annotations"_s][u"driftdeck.io/tracking-id"_s].toString(),
              diff::trackingId(kApp, p.items[0].key));
}

TEST_F(SyncRunnerTest, ReplaceDropsWhatGitNoLongerHasAndCreatesWhatIsMissing) {
    ASSERT_TRUE(applyAs(u"someone"_s, kConfigMaps,
                        configMap(u"replaced"_s, {{u"keep"_s, u"1"_s}, {u"drop"_s, u"2"_s}}))
                    .ok());
    const QJsonObject replaced = configMap(u"replaced"_s, {{u"keep"_s, u"3"_s}});
    const QJsonObject created = configMap(u"created"_s, {{u"k"_s, u"v"_s}});
    SyncOptions options;
    options.replace = true;
    auto r = runner(options);
    const SyncResult result = run(*r, plan({created}, {replaced}));
    ASSERT_EQ(result.outcome, SyncOutcome::Succeeded) << result.message.toStdString();
    const kubeobj::Object after = live(kConfigMaps, u"replaced"_s);
    EXPECT_EQ(after.json()[u"data"_s].toObject(), (QJsonObject{{u"keep"_s, u"3"_s}}));
    EXPECT_EQ(after.annotation(u"driftdeck.io/tracking-id"_s), diff::trackingId(kApp, keyOf(replaced)));
    EXPECT_EQ(live(kConfigMaps, u"created"_s).annotation(u"driftdeck.io/tracking-id"_s),
              diff::trackingId(kApp, keyOf(created)));
    EXPECT_TRUE(result.find(keyOf(created))->message.contains(u"created"_s));
}

TEST_F(SyncRunnerTest, ARunWithoutAnApplicationNameSendsNothing) {
    SyncOptions options;
    options.appName = u"shop"_s;
    const SyncPlan p = plan({configMap(u"x"_s, {{u"k"_s, u"v"_s}})});
    kube::Discovery unused(client.get(), cacheDir.path());
    SyncRunner r(client.get(), &unused, SyncOptions{}, SyncRunSettings{});
    const SyncResult result = run(r, p);
    EXPECT_EQ(result.outcome, SyncOutcome::Failed);
    EXPECT_TRUE(result.message.contains(u"application's name"_s)) << result.message.toStdString();
    EXPECT_FALSE(exists(kConfigMaps, u"x"_s));
}

TEST_F(SyncRunnerTest, AnUnknownKindFailsItsObjectAndTheRunStopsBeforeTheNextWave) {
    const QJsonObject widget{{u"apiVersion"_s, u"example.com/v1"_s},
                             {u"kind"_s, u"Widget"_s},
                             {u"metadata"_s, QJsonObject{{u"name"_s, u"w"_s}, {u"namespace"_s, ns}}}};
    const QJsonObject sibling = configMap(u"sibling"_s, {{u"k"_s, u"v"_s}});
    const QJsonObject later = configMap(u"later"_s, {{u"k"_s, u"v"_s}}, waveAnnotation(1));
    auto r = runner();
    const SyncResult result = run(*r, plan({widget, sibling, later}));
    EXPECT_EQ(result.outcome, SyncOutcome::PartiallySucceeded) << result.message.toStdString();
    const SyncResourceResult* failed = result.find(keyOf(widget));
    ASSERT_NE(failed, nullptr);
    EXPECT_EQ(failed->status, ResourceStatus::Failed);
    EXPECT_TRUE(failed->message.contains(u"Widget"_s)) << failed->message.toStdString();
    EXPECT_EQ(statusOf(result, sibling), ResourceStatus::Applied);
    EXPECT_EQ(statusOf(result, later), ResourceStatus::NotRun);
    EXPECT_FALSE(exists(kConfigMaps, u"later"_s));
}

TEST_F(SyncRunnerTest, AStateIsResumedOnlyByTheSameApplicationAndMode) {
    const QJsonObject cm = configMap(u"x"_s, {{u"k"_s, u"v"_s}});
    const SyncState state = SyncState::forPlan(plan({cm}), u"other-app"_s, false);
    auto r = runner();
    const SyncResult refused = resume(*r, state);
    EXPECT_EQ(refused.outcome, SyncOutcome::Failed);
    EXPECT_TRUE(refused.message.contains(u"other-app"_s)) << refused.message.toStdString();
    SyncOptions dryRun;
    dryRun.dryRun = true;
    auto d = runner(dryRun);
    EXPECT_EQ(resume(*d, SyncState::forPlan(plan({cm}), kApp, false)).outcome, SyncOutcome::Failed);
    EXPECT_FALSE(exists(kConfigMaps, u"x"_s));
}

TEST_F(SyncRunnerTest, ARunningRunnerRefusesASecondStart) {
    const SyncPlan p = plan({configMap(u"x"_s, {{u"k"_s, u"v"_s}})});
    auto r = runner();
    ASSERT_TRUE(r->start(p));
    EXPECT_TRUE(r->isRunning());
    EXPECT_FALSE(r->start(p));
    EXPECT_FALSE(r->resume(r->state()));
    ASSERT_TRUE(driftdeck::test::waitUntil([&] { return !r->isRunning(); }, std::chrono::seconds(30)));
    EXPECT_TRUE(exists(kConfigMaps, u"x"_s));
}

} // namespace
