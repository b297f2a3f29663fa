#include "sync/syncplan.h"

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::sync;
using namespace Qt::StringLiterals;

namespace {

kubeobj::Object object(const QString& apiVersion, const QString& kind, const QString& name,
                       const QJsonObject& annotations = {}, const QString& ns = u"shop"_s) {
    QJsonObject meta{{u"name"_s, name}};
    if (!ns.isEmpty())
        meta.insert(u"namespace"_s, ns);
    if (!annotations.isEmpty())
        meta.insert(u"annotations"_s, annotations);
    return kubeobj::Object::fromTrustedJson(
        QJsonObject{{u"apiVersion"_s, apiVersion}, {u"kind"_s, kind}, {u"metadata"_s, meta}});
}

QJsonObject tracked(const kubeobj::Object& o, const QString& app = u"shop"_s) {
    return QJsonObject{{u"driftdeck.io/tracking-id"_s, QString(app + u':' + o.key().toString())}};
}

diff::ObjectDiff diffOf(const kubeobj::Object& o, diff::ObjectDiff::State state) {
    diff::ObjectDiff d;
    d.key = o.key();
    d.state = state;
    if (state == diff::ObjectDiff::State::Extra)
        d.live = o;
    if (state == diff::ObjectDiff::State::OutOfSync)
        d.changes.append({diff::FieldChange::Type::Changed, u"/spec/replicas"_s, 1, 3});
    return d;
}

QStringList printed(const SyncPlan& plan) {
    QStringList out;
    for (const PlanItem& i : plan.items)
        out.append(actionName(i.action) + u' ' + i.key.kind + u'/' + i.key.name + u" w" +
                   QString::number(i.wave));
    return out;
}

TEST(SyncPlan, OrdersByWaveThenKindAndPrunesLastInReverse) {
    const auto ns = object(u"v1"_s, u"Namespace"_s, u"shop"_s, {}, {});
    const auto deploy = object(u"apps/v1"_s, u"Deployment"_s, u"web"_s);
    const auto svc = object(u"v1"_s, u"Service"_s, u"web"_s);
    const auto cm = object(u"v1"_s, u"ConfigMap"_s, u"settings"_s);
    const auto migrate =
        object(u"batch/v1"_s, u"Job"_s, u"migrate"_s, {{u"argocd.argoproj.io/sync-wave"_s, u"-1"_s}});
    const auto late = object(u"v1"_s, u"ConfigMap"_s, u"late"_s, {{u"driftdeck.io/sync-wave"_s, u"5"_s}});
    auto oldCm = object(u"v1"_s, u"ConfigMap"_s, u"old"_s);
    oldCm = object(u"v1"_s, u"ConfigMap"_s, u"old"_s, tracked(oldCm));
    auto oldDeploy = object(u"apps/v1"_s, u"Deployment"_s, u"old"_s);
    oldDeploy = object(u"apps/v1"_s, u"Deployment"_s, u"old"_s, tracked(oldDeploy));

    const QList<kubeobj::Object> desired{deploy, svc, cm, ns, migrate, late};
    const QList<diff::ObjectDiff> diffs{diffOf(deploy, diff::ObjectDiff::State::OutOfSync),
                                        diffOf(svc, diff::ObjectDiff::State::Synced),
                                        diffOf(cm, diff::ObjectDiff::State::Missing),
                                        diffOf(ns, diff::ObjectDiff::State::Missing),
                                        diffOf(migrate, diff::ObjectDiff::State::Missing),
                                        diffOf(late, diff::ObjectDiff::State::OutOfSync),
                                        diffOf(oldCm, diff::ObjectDiff::State::Extra),
                                        diffOf(oldDeploy, diff::ObjectDiff::State::Extra)};
    SyncOptions options;
    options.appName = u"shop"_s;
    options.prune = true;
    const auto plan = planSync(diffs, desired, false, options);
    ASSERT_TRUE(plan.ok()) << plan.error().message.toStdString();
    EXPECT_EQ(printed(*plan), (QStringList{u"create Job/migrate w-1"_s, u"create Namespace/shop w0"_s,
                                           u"create ConfigMap/settings w0"_s, u"update Deployment/web w0"_s,
                                           u"update ConfigMap/late w5"_s, u"prune Deployment/old w0"_s,
                                           u"prune ConfigMap/old w0"_s, u"unchanged Service/web w0"_s}));
    EXPECT_EQ(plan->waves(), (QList<int>{-1, 0, 5}));
    EXPECT_EQ(plan->count(PlanItem::Action::Prune), 2);
    EXPECT_TRUE(plan->items.at(3).reason.contains(u"/spec/replicas"_s))
        << plan->items.at(3).reason.toStdString();
}

TEST(SyncPlan, NeverPrunesOnAFailedRender) {
    auto old = object(u"v1"_s, u"ConfigMap"_s, u"old"_s);
    old = object(u"v1"_s, u"ConfigMap"_s, u"old"_s, tracked(old));
    SyncOptions options;
    options.appName = u"shop"_s;
    options.prune = true;
    const auto plan = planSync({diffOf(old, diff::ObjectDiff::State::Extra)}, {}, true, options);
    ASSERT_FALSE(plan.ok());
    EXPECT_TRUE(plan.error().message.contains(u"nothing is synced or pruned"_s));
}

TEST(SyncPlan, AnEmptyDesiredStateDoesNotPruneUnlessAllowed) {
    auto old = object(u"v1"_s, u"ConfigMap"_s, u"old"_s);
    old = object(u"v1"_s, u"ConfigMap"_s, u"old"_s, tracked(old));
    SyncOptions options;
    options.appName = u"shop"_s;
    options.prune = true;
    EXPECT_FALSE(planSync({diffOf(old, diff::ObjectDiff::State::Extra)}, {}, false, options).ok());
    options.allowEmpty = true;
    const auto allowed = planSync({diffOf(old, diff::ObjectDiff::State::Extra)}, {}, false, options);
    ASSERT_TRUE(allowed.ok());
    EXPECT_EQ(allowed->count(PlanItem::Action::Prune), 1);
}

TEST(SyncPlan, PrunesOnlyWhatTheApplicationTracksAndWhatMayBePruned) {
    auto mine = object(u"v1"_s, u"ConfigMap"_s, u"mine"_s);
    mine = object(u"v1"_s, u"ConfigMap"_s, u"mine"_s, tracked(mine));
    auto theirs = object(u"v1"_s, u"ConfigMap"_s, u"theirs"_s);
    theirs = object(u"v1"_s, u"ConfigMap"_s, u"theirs"_s, tracked(theirs, u"other-app"_s));
    const auto untracked = object(u"v1"_s, u"ConfigMap"_s, u"untracked"_s);
    auto kept = object(u"v1"_s, u"ConfigMap"_s, u"kept"_s);
    QJsonObject keptAnnotations = tracked(kept);
    keptAnnotations.insert(u"argocd.argoproj.io/sync-options"_s, u"ServerSideApply=true, Prune=false"_s);
    kept = object(u"v1"_s, u"ConfigMap"_s, u"kept"_s, keptAnnotations);
    const auto present = object(u"v1"_s, u"ConfigMap"_s, u"present"_s);

    const QList<diff::ObjectDiff> diffs{
        diffOf(mine, diff::ObjectDiff::State::Extra), diffOf(theirs, diff::ObjectDiff::State::Extra),
        diffOf(untracked, diff::ObjectDiff::State::Extra), diffOf(kept, diff::ObjectDiff::State::Extra),
        diffOf(present, diff::ObjectDiff::State::Synced)};
    SyncOptions options;
    options.appName = u"shop"_s;

    const auto noPrune = planSync(diffs, {present}, false, options);
    ASSERT_TRUE(noPrune.ok());
    EXPECT_EQ(noPrune->count(PlanItem::Action::Prune), 0) << "pruning is off by default";

    options.prune = true;
    const auto plan = planSync(diffs, {present}, false, options);
    ASSERT_TRUE(plan.ok());
    QStringList pruned;
    for (const PlanItem& i : plan->items)
        if (i.action == PlanItem::Action::Prune)
            pruned.append(i.key.name);
    EXPECT_EQ(pruned, QStringList{u"mine"_s});
    for (const PlanItem& i : plan->items) {
        if (i.key.name == u"kept"_s) {
            EXPECT_TRUE(i.reason.contains(u"Prune=false"_s)) << i.reason.toStdString();
        }
    }
}

TEST(SyncPlan, ASelectiveSyncTouchesOnlyTheChosenObjects) {
    const auto a = object(u"v1"_s, u"ConfigMap"_s, u"a"_s);
    const auto b = object(u"v1"_s, u"ConfigMap"_s, u"b"_s);
    SyncOptions options;
    options.only.insert(b.key());
    const auto plan =
        planSync({diffOf(a, diff::ObjectDiff::State::OutOfSync), diffOf(b, diff::ObjectDiff::State::Missing)},
                 {a, b}, false, options);
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(printed(*plan), (QStringList{u"create ConfigMap/b w0"_s, u"skip ConfigMap/a w0"_s}));
}

TEST(SyncPlan, ABadWaveIsWarnedAboutAndIsWaveZero) {
    const auto odd =
        object(u"v1"_s, u"ConfigMap"_s, u"odd"_s, {{u"argocd.argoproj.io/sync-wave"_s, u"soon"_s}});
    const auto plan = planSync({diffOf(odd, diff::ObjectDiff::State::Missing)}, {odd}, false, {});
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan->items.first().wave, 0);
    ASSERT_EQ(plan->warnings.size(), 1);
    EXPECT_TRUE(plan->warnings.first().contains(u"not an integer"_s));
}

} // namespace
