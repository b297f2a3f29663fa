#include "diff/pairing.h"
#include "syncfixture.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMutex>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::sync;
using namespace driftdeck::sync::test;
using namespace Qt::StringLiterals;

// Pruning, cancellation and resuming, failures of the cluster, and Secrets.
namespace {

ResourceKey keyOf(const QJsonObject& object) {
    return ResourceKey::fromObject(object);
}

ResourceStatus statusOf(const SyncResult& result, const QJsonObject& object) {
    const SyncResourceResult* r = result.find(keyOf(object));
    EXPECT_NE(r, nullptr) << keyOf(object).toString().toStdString();
    return r ? r->status : ResourceStatus::NotRun;
}

TEST_F(SyncRunnerTest, PrunesOnlyObjectsThatStillCarryTheApplicationsTrackingId) {
    const QJsonObject old = configMap(u"old"_s, {{u"k"_s, u"v"_s}});
    const QJsonObject handedOver = configMap(u"handed-over"_s, {{u"k"_s, u"v"_s}});
    const QJsonObject keptLater = configMap(u"kept-later"_s, {{u"k"_s, u"v"_s}});
    const QJsonObject gone = configMap(u"gone"_s, {{u"k"_s, u"v"_s}});
    QJsonObject keptAnnotations = trackedAnnotation(configMap(u"kept"_s, {}));
    keptAnnotations.insert(u"argocd.argoproj.io/sync-options"_s, u"Prune=false"_s);
    const QJsonObject kept = configMap(u"kept"_s, {{u"k"_s, u"v"_s}}, keptAnnotations);
    const QJsonObject untracked = configMap(u"untracked"_s, {{u"k"_s, u"v"_s}});
    for (const QJsonObject& object : {old, handedOver, keptLater, gone})
        ASSERT_TRUE(applyAs(u"driftdeck"_s, kConfigMaps,
                            configMap(keyOf(object).name, {{u"k"_s, u"v"_s}}, trackedAnnotation(object)))
                        .ok());
    ASSERT_TRUE(applyAs(u"driftdeck"_s, kConfigMaps, kept).ok());
    ASSERT_TRUE(applyAs(u"someone"_s, kConfigMaps, untracked).ok());

    SyncOptions options;
    options.prune = true;
    QList<kubeobj::Object> extra;
    for (const QString& name :
         {u"old"_s, u"handed-over"_s, u"kept-later"_s, u"gone"_s, u"kept"_s, u"untracked"_s})
        extra.append(live(kConfigMaps, name));
    const QJsonObject fresh = configMap(u"fresh"_s, {{u"k"_s, u"v"_s}});
    const SyncPlan p = plan({fresh}, {}, extra, options);
    ASSERT_EQ(p.count(PlanItem::Action::Prune), 4) << "kept (Prune=false) and untracked are not even planned";

    // Between plan and run: one object is handed over (tracking id removed), one is marked
    // Prune=false, one is deleted by someone else.
    ASSERT_TRUE(mergePatchAs(u"someone"_s, kConfigMaps, u"handed-over"_s,
                             {{u"metadata"_s,
                               QJsonObject{{u"annotations"_s,
                                            QJsonObject{{u"driftdeck.io/tracking-id"_s, QJsonValue()}}}}}})
                    .ok());
    ASSERT_TRUE(mergePatchAs(u"someone"_s, kConfigMaps, u"kept-later"_s,
                             {{u"metadata"_s, QJsonObject{{u"annotations"_s,
                                                           QJsonObject{{u"argocd.argoproj.io/sync-options"_s,
                                                                        u"Delete=false"_s}}}}}})
                    .ok());
    ASSERT_TRUE(exists(kConfigMaps, u"gone"_s));
    kube::ApiReply deleted;
    {
        auto f = client->remove(kConfigMaps, ns, u"gone"_s);
        ASSERT_TRUE(driftdeck::test::waitUntil([&] { return f.isFinished(); }, std::chrono::seconds(30)));
        deleted = f.result();
    }
    ASSERT_TRUE(deleted.ok());

    auto r = runner(options);
    const SyncResult result = run(*r, p);
    ASSERT_EQ(result.outcome, SyncOutcome::Succeeded) << result.message.toStdString();
    EXPECT_EQ(statusOf(result, old), ResourceStatus::Pruned);
    EXPECT_EQ(statusOf(result, gone), ResourceStatus::Pruned);
    EXPECT_EQ(result.find(keyOf(gone))->message, u"already absent"_s);
    EXPECT_EQ(statusOf(result, handedOver), ResourceStatus::Skipped);
    EXPECT_TRUE(result.find(keyOf(handedOver))->message.contains(u"tracking id"_s));
    EXPECT_EQ(statusOf(result, keptLater), ResourceStatus::Skipped);
    EXPECT_TRUE(result.find(keyOf(keptLater))->message.contains(u"Delete=false"_s));
    EXPECT_EQ(statusOf(result, kept), ResourceStatus::Skipped);
    EXPECT_FALSE(exists(kConfigMaps, u"old"_s));
    for (const QString& name : {u"handed-over"_s, u"kept-later"_s, u"kept"_s, u"untracked"_s, u"fresh"_s})
        EXPECT_TRUE(exists(kConfigMaps, name)) << name.toStdString();
}

TEST_F(SyncRunnerTest, NothingIsPrunedWhenAnApplyFailed) {
    const QJsonObject old = configMap(u"old"_s, {{u"k"_s, u"v"_s}});
    ASSERT_TRUE(
        applyAs(u"driftdeck"_s, kConfigMaps, configMap(u"old"_s, {{u"k"_s, u"v"_s}}, trackedAnnotation(old)))
            .ok());
    QJsonObject invalid = configMap(u"Not_A_Valid_Name"_s, {{u"k"_s, u"v"_s}});
    SyncOptions options;
    options.prune = true;
    auto r = runner(options);
    const SyncResult result = run(*r, plan({invalid}, {}, {live(kConfigMaps, u"old"_s)}, options));
    EXPECT_EQ(result.outcome, SyncOutcome::Failed) << result.message.toStdString();
    EXPECT_EQ(statusOf(result, invalid), ResourceStatus::Failed);
    EXPECT_EQ(result.find(keyOf(invalid))->httpStatus, 422);
    EXPECT_EQ(statusOf(result, old), ResourceStatus::NotRun);
    EXPECT_TRUE(exists(kConfigMaps, u"old"_s));
}

TEST_F(SyncRunnerTest, CancelThenResumeFromJsonCompletesWithoutReapplying) {
    const QJsonObject first = configMap(u"first"_s, {{u"v"_s, u"git"_s}});
    const QJsonObject second = configMap(u"second"_s, {{u"v"_s, u"git"_s}}, waveAnnotation(1));
    const QJsonObject third = configMap(u"third"_s, {{u"v"_s, u"git"_s}}, waveAnnotation(2));
    const SyncPlan p = plan({first, second, third});
    auto r = runner();
    QObject::connect(r.get(), &SyncRunner::progress, r.get(), [&](const SyncProgress& progress) {
        if (progress.phase == SyncPhase::Applying && progress.current == keyOf(second))
            r->cancel();
    });
    const SyncResult cancelled = run(*r, p);
    ASSERT_EQ(cancelled.outcome, SyncOutcome::Cancelled) << cancelled.message.toStdString();
    EXPECT_EQ(statusOf(cancelled, first), ResourceStatus::Applied);
    EXPECT_EQ(statusOf(cancelled, second), ResourceStatus::NotRun);
    EXPECT_TRUE(cancelled.find(keyOf(second))->message.contains(u"cancelled"_s));
    EXPECT_TRUE(exists(kConfigMaps, u"first"_s));
    EXPECT_FALSE(exists(kConfigMaps, u"second"_s));

    // Someone edits the applied object meanwhile: a re-apply would conflict or revert the edit.
    ASSERT_TRUE(
        mergePatchAs(u"editor"_s, kConfigMaps, u"first"_s, {{u"data"_s, QJsonObject{{u"v"_s, u"edited"_s}}}})
            .ok());

    // Another process: the state goes through JSON and a new runner.
    const QByteArray saved = QJsonDocument(cancelled.state.toJson()).toJson();
    const auto restored = SyncState::fromJson(QJsonDocument::fromJson(saved).object());
    ASSERT_TRUE(restored.ok()) << restored.error().message.toStdString();
    auto again = runner();
    QList<SyncProgress> progress;
    const SyncResult resumed = resume(*again, *restored, &progress);
    ASSERT_EQ(resumed.outcome, SyncOutcome::Succeeded) << resumed.message.toStdString();
    for (const SyncProgress& p : progress)
        EXPECT_NE(p.current, keyOf(first)) << "the applied object was sent again";
    EXPECT_EQ(live(kConfigMaps, u"first"_s).json()[u"data"_s][u"v"_s].toString(), u"edited"_s);
    EXPECT_TRUE(exists(kConfigMaps, u"second"_s));
    EXPECT_TRUE(exists(kConfigMaps, u"third"_s));
    EXPECT_EQ(statusOf(resumed, first), ResourceStatus::Applied);
}

TEST_F(SyncRunnerTest, CancelStopsAHealthWaitAndTheResumeWaitsAgain) {
    if (!requireKubesim())
        return;
    const QJsonObject stuck = deployment(u"stuck"_s, u"example/crashloop:1"_s);
    const QJsonObject after = configMap(u"after"_s, {{u"k"_s, u"v"_s}}, waveAnnotation(1));
    auto r = runner({}, healthSettings(300, 100));
    QObject::connect(r.get(), &SyncRunner::progress, r.get(), [&](const SyncProgress& progress) {
        if (progress.phase == SyncPhase::WaitingForHealth)
            r->cancel();
    });
    const SyncResult cancelled = run(*r, plan({stuck, after}));
    ASSERT_EQ(cancelled.outcome, SyncOutcome::Cancelled) << cancelled.message.toStdString();
    EXPECT_EQ(cancelled.state.phase, SyncPhase::WaitingForHealth);
    EXPECT_FALSE(exists(kConfigMaps, u"after"_s));

    // Fix the workload out of band; the resumed run waits for it and then applies wave 1.
    ASSERT_TRUE(applyAs(u"driftdeck"_s, kDeployments, deployment(u"stuck"_s, u"nginx:1.25"_s)).ok());
    auto again = runner({}, healthSettings(60, 100));
    QList<SyncProgress> progress;
    const SyncResult resumed = resume(*again, cancelled.state, &progress);
    ASSERT_EQ(resumed.outcome, SyncOutcome::Succeeded) << resumed.message.toStdString();
    EXPECT_EQ(progress.first().phase, SyncPhase::WaitingForHealth);
    EXPECT_TRUE(exists(kConfigMaps, u"after"_s));
}

TEST_F(SyncRunnerTest, AFailingClusterStopsTheRunWhichResumesLater) {
    if (!requireKubesim())
        return;
    const QJsonObject a = configMap(u"a"_s, {{u"k"_s, u"v"_s}});
    const QJsonObject b = configMap(u"b"_s, {{u"k"_s, u"v"_s}});
    const QJsonObject c = configMap(u"c"_s, {{u"k"_s, u"v"_s}});
    auto r = runner();
    QObject::connect(r.get(), &SyncRunner::progress, r.get(), [&](const SyncProgress& progress) {
        if (progress.current == keyOf(b)) {
            kubesim::FaultSettings faults;
            faults.errorRate = 1.0; // every request answered 500
            backend.simulated()->setFaults(faults);
        }
    });
    const SyncResult failed = run(*r, plan({a, b, c}));
    backend.simulated()->setFaults({});
    ASSERT_EQ(failed.outcome, SyncOutcome::Failed) << failed.message.toStdString();
    // The summary says what happened — a server error, with the object and the server's reason — not
    // that the cluster could not be reached.
    EXPECT_TRUE(failed.message.contains(u"HTTP 500"_s)) << failed.message.toStdString();
    EXPECT_TRUE(failed.message.contains(u"injected by kubesim fault settings"_s))
        << failed.message.toStdString();
    EXPECT_TRUE(failed.message.contains(keyOf(b).toString())) << failed.message.toStdString();
    EXPECT_TRUE(failed.message.contains(u"can be resumed"_s)) << failed.message.toStdString();
    EXPECT_FALSE(failed.message.contains(u"could not be reached"_s)) << failed.message.toStdString();
    EXPECT_EQ(statusOf(failed, a), ResourceStatus::Applied);
    EXPECT_EQ(statusOf(failed, b), ResourceStatus::Failed);
    EXPECT_EQ(failed.find(keyOf(b))->httpStatus, 500);
    EXPECT_EQ(statusOf(failed, c), ResourceStatus::NotRun) << "the run stops at once, not item after item";
    EXPECT_EQ(failed.state.next, 1);

    auto again = runner();
    const SyncResult resumed = resume(*again, failed.state);
    ASSERT_EQ(resumed.outcome, SyncOutcome::Succeeded) << resumed.message.toStdString();
    EXPECT_TRUE(exists(kConfigMaps, u"b"_s));
    EXPECT_TRUE(exists(kConfigMaps, u"c"_s));
}

QMutex logMutex;
QStringList logLines;
void captureLog(QtMsgType, const QMessageLogContext&, const QString& message) {
    QMutexLocker lock(&logMutex);
    logLines.append(message);
}

TEST_F(SyncRunnerTest, NoSecretValueInProgressResultStateOrLog) {
    const QString plain = u"hunter2-plain-password"_s;
    const QString encodedPlain = QString::fromLatin1(plain.toUtf8().toBase64());
    const QString token = u"tok-3n-only-in-data"_s;
    const QString encodedToken = QString::fromLatin1(token.toUtf8().toBase64());
    // helm owns the Secret's data.token already: our apply conflicts, and the conflict is reported.
    ASSERT_TRUE(applyAs(u"helm"_s, kSecrets, secret(u"owned"_s, {{u"token"_s, u"b3RoZXI="_s}}, {})).ok());
    const QJsonObject created = secret(u"created"_s, {{u"token"_s, encodedToken}}, {{u"password"_s, plain}});
    const QJsonObject owned = secret(u"owned"_s, {{u"token"_s, encodedToken}}, {{u"password"_s, plain}});

    QLoggingCategory::setFilterRules(u"driftdeck.*=true"_s);
    const QtMessageHandler previous = qInstallMessageHandler(captureLog);
    auto r = runner();
    QList<SyncProgress> progress;
    const SyncResult result = run(*r, plan({created}, {owned}), &progress);
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());

    EXPECT_EQ(statusOf(result, created), ResourceStatus::Applied) << result.message.toStdString();
    EXPECT_EQ(statusOf(result, owned), ResourceStatus::Conflict);
    EXPECT_EQ(result.find(keyOf(owned))->conflictManagers, QStringList{u"helm"_s});
    QString said = everythingSaid(progress, result);
    {
        QMutexLocker lock(&logMutex);
        said += logLines.join(u'\n');
        EXPECT_FALSE(logLines.isEmpty())
            << "the runner logs each object: the search must have text to search";
        logLines.clear();
    }
    for (const QString& value : {plain, encodedPlain, token, encodedToken})
        EXPECT_FALSE(said.contains(value)) << value.toStdString();
    EXPECT_TRUE(said.contains(u"created"_s)) << "the text searched is the real output";
    // The state withholds the Secrets' content; resuming with the rendered objects restores it.
    const auto restored =
        SyncState::fromJson(result.state.toJson(), {kubeobj::Object::fromTrustedJson(owned)});
    ASSERT_TRUE(restored.ok());
    for (const PlanItem& item : restored->plan.items) {
        if (item.key == keyOf(owned)) {
            EXPECT_EQ(item.desired.json(), owned);
        }
    }
}

} // namespace
