#include "diff/pairing.h"
#include "sync/syncrequests.h"
#include "sync/syncstate.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::sync;
using namespace Qt::StringLiterals;

// What the runner sends and how it reads answers, and the saved state: no cluster needed.
namespace {

kube::ApiStatus status(const QString& message, const QStringList& causeMessages = {}) {
    kube::ApiStatus s;
    s.code = 409;
    s.reason = u"Conflict"_s;
    s.message = message;
    for (const QString& m : causeMessages)
        s.causes.append({u"FieldManagerConflict"_s, m, u".spec.replicas"_s});
    return s;
}

TEST(ConflictManagers, AreReadFromTheCausesFirst) {
    EXPECT_EQ(conflictManagers(status(u"Apply failed with 2 conflicts: ..."_s,
                                      {u"conflict with \"kubectl-client-side-apply\" using apps/v1"_s,
                                       u"conflict with \"helm\" using apps/v1"_s,
                                       u"conflict with \"helm\" using apps/v1"_s})),
              (QStringList{u"kubectl-client-side-apply"_s, u"helm"_s}));
}

TEST(ConflictManagers, AreReadFromTheMessageWithoutCauses) {
    // The real API server's one-conflict and many-conflict messages.
    EXPECT_EQ(
        conflictManagers(status(
            u"Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas"_s)),
        QStringList{u"kubectl-client-side-apply"_s});
    EXPECT_EQ(conflictManagers(
                  status(u"Apply failed with 2 conflicts: conflicts with \"argocd\" using v1:\n- .data.a\n"
                         u"conflicts with \"kube-controller-manager\" with subresource \"scale\" using "
                         u"apps/v1:\n- .spec.replicas"_s)),
              (QStringList{u"argocd"_s, u"kube-controller-manager"_s}));
    // Go quotes the name: an embedded quote is escaped.
    EXPECT_EQ(conflictManagers(status(u"conflict with \"odd \\\"name\\\"\" using v1: .x"_s)),
              QStringList{u"odd \"name\""_s});
}

TEST(ConflictManagers, AResourceVersionConflictNamesNoManager) {
    EXPECT_TRUE(
        conflictManagers(status(u"Operation cannot be fulfilled on configmaps \"x\": the object has been "
                                u"modified; please apply your changes to the latest version"_s))
            .isEmpty());
    EXPECT_TRUE(conflictManagers(status(u"conflict with \"unterminated"_s)).isEmpty());
}

kubeobj::Object object(const QJsonObject& meta, const QString& kind = u"ConfigMap"_s) {
    return kubeobj::Object::fromTrustedJson(
        QJsonObject{{u"apiVersion"_s, u"v1"_s}, {u"kind"_s, kind}, {u"metadata"_s, meta}});
}

TEST(AppliedObject, CarriesTheTrackingIdAndItsNamespaceWithoutChangingTheDesiredObject) {
    const kubeobj::Object desired =
        object({{u"name"_s, u"web"_s}, {u"annotations"_s, QJsonObject{{u"team"_s, u"a"_s}}}});
    const ResourceKey key{QString(), u"ConfigMap"_s, u"shop"_s, u"web"_s};
    const QJsonObject sent = appliedObject(desired, u"app"_s, key, true, u"shop"_s);
    const QJsonObject meta = sent[u"metadata"_s].toObject();
    EXPECT_EQ(meta[u"namespace"_s].toString(), u"shop"_s);
    EXPECT_EQ(meta[u"annotations"_s][u"driftdeck.io/tracking-id"_s].toString(), u"app:/ConfigMap:shop/web"_s);
    EXPECT_EQ(meta[u"annotations"_s][u"team"_s].toString(), u"a"_s);
    EXPECT_TRUE(desired.annotation(u"driftdeck.io/tracking-id"_s).isEmpty());

    const kubeobj::Object clusterScoped =
        object({{u"name"_s, u"ops"_s}, {u"namespace"_s, u"stray"_s}}, u"Namespace"_s);
    const QJsonObject ns = appliedObject(clusterScoped, u"app"_s,
                                         {QString(), u"Namespace"_s, QString(), u"ops"_s}, false, QString());
    EXPECT_FALSE(ns[u"metadata"_s].toObject().contains(u"namespace"_s));
}

TEST(TargetNamespace, PrefersTheObjectThenTheKeyThenTheDestination) {
    const ResourceKey placed{QString(), u"ConfigMap"_s, u"placed"_s, u"x"_s};
    const ResourceKey bare{QString(), u"ConfigMap"_s, QString(), u"x"_s};
    EXPECT_EQ(
        targetNamespace(object({{u"name"_s, u"x"_s}, {u"namespace"_s, u"own"_s}}), placed, true, u"dest"_s),
        u"own"_s);
    EXPECT_EQ(targetNamespace(object({{u"name"_s, u"x"_s}}), placed, true, u"dest"_s), u"placed"_s);
    EXPECT_EQ(targetNamespace(object({{u"name"_s, u"x"_s}}), bare, true, u"dest"_s), u"dest"_s);
    EXPECT_EQ(targetNamespace(object({{u"name"_s, u"x"_s}}), bare, true, QString()), u"default"_s);
    EXPECT_EQ(
        targetNamespace(object({{u"name"_s, u"x"_s}, {u"namespace"_s, u"own"_s}}), placed, false, u"d"_s),
        QString());
}

TEST(ReplaceRequests, PutTheObjectAndPostItWhenMissing) {
    const kube::ResourceInfo cms{QString(), u"v1"_s, u"ConfigMap"_s, u"configmaps"_s, true, {}};
    const QJsonObject body{{u"metadata"_s, QJsonObject{{u"name"_s, u"x"_s}, {u"namespace"_s, u"ns"_s}}}};
    kube::ApplyOptions options;
    options.dryRun = true;
    const kube::ApiRequest put = replaceRequest(cms, body, options);
    EXPECT_EQ(put.method, QByteArray("PUT"));
    EXPECT_EQ(put.path, u"/api/v1/namespaces/ns/configmaps/x"_s);
    EXPECT_EQ(put.query.queryItemValue(u"dryRun"_s), u"All"_s);
    EXPECT_EQ(put.query.queryItemValue(u"fieldManager"_s), u"driftdeck"_s);
    const kube::ApiRequest post = replaceCreateRequest(cms, body, options);
    EXPECT_EQ(post.method, QByteArray("POST"));
    EXPECT_EQ(post.path, u"/api/v1/namespaces/ns/configmaps"_s);
}

TEST(WithoutSecretValues, ReplacesPlainAndBase64ValuesOfASecretOnly) {
    const QString plain = u"s3cret-plain"_s;
    const QString encoded = QString::fromLatin1(QByteArray("s3cret-data").toBase64());
    const QJsonObject secret{{u"apiVersion"_s, u"v1"_s},
                             {u"kind"_s, u"Secret"_s},
                             {u"metadata"_s, QJsonObject{{u"name"_s, u"s"_s}}},
                             {u"data"_s, QJsonObject{{u"a"_s, encoded}}},
                             {u"stringData"_s, QJsonObject{{u"b"_s, plain}}}};
    const QString message = u"invalid: %1 and %2 and %3 and %4"_s.arg(
        plain, encoded, u"s3cret-data"_s, QString::fromLatin1(plain.toUtf8().toBase64()));
    const QString scrubbed = withoutSecretValues(message, secret);
    for (const QString& value :
         {plain, encoded, u"s3cret-data"_s, QString::fromLatin1(plain.toUtf8().toBase64())})
        EXPECT_FALSE(scrubbed.contains(value)) << scrubbed.toStdString();
    EXPECT_TRUE(scrubbed.startsWith(u"invalid: <secret value>"_s)) << scrubbed.toStdString();

    QJsonObject tiny = secret;
    tiny[u"stringData"_s] = QJsonObject{{u"pin"_s, u"42"_s}};
    EXPECT_FALSE(withoutSecretValues(u"pin 42 rejected"_s, tiny).contains(u"42"_s));

    QJsonObject configMap = secret;
    configMap[u"kind"_s] = u"ConfigMap"_s;
    EXPECT_EQ(withoutSecretValues(message, configMap), message);
}

TEST(KeptBySyncOptions, ReadsPruneAndDeleteFalse) {
    const auto with = [](const QString& options) {
        return object({{u"name"_s, u"x"_s},
                       {u"annotations"_s, QJsonObject{{u"argocd.argoproj.io/sync-options"_s, options}}}});
    };
    EXPECT_TRUE(keptBySyncOptions(with(u"Prune=false"_s)));
    EXPECT_TRUE(keptBySyncOptions(with(u"ServerSideApply=true, Delete=FALSE"_s)));
    EXPECT_FALSE(keptBySyncOptions(with(u"Prune=true"_s)));
    EXPECT_FALSE(keptBySyncOptions(with(u"Replace=false"_s)));
    EXPECT_FALSE(keptBySyncOptions(object({{u"name"_s, u"x"_s}})));
}

SyncState sampleState() {
    SyncPlan plan;
    PlanItem cm;
    cm.action = PlanItem::Action::Create;
    cm.key = {QString(), u"ConfigMap"_s, u"shop"_s, u"settings"_s};
    cm.wave = -1;
    cm.reason = u"not in the cluster"_s;
    cm.desired = kubeobj::Object::fromTrustedJson(
        {{u"apiVersion"_s, u"v1"_s},
         {u"kind"_s, u"ConfigMap"_s},
         {u"metadata"_s, QJsonObject{{u"name"_s, u"settings"_s}, {u"namespace"_s, u"shop"_s}}},
         {u"data"_s, QJsonObject{{u"k"_s, u"v"_s}}}});
    PlanItem secret;
    secret.action = PlanItem::Action::Update;
    secret.key = {QString(), u"Secret"_s, u"shop"_s, u"creds"_s};
    secret.desired = kubeobj::Object::fromTrustedJson(
        {{u"apiVersion"_s, u"v1"_s},
         {u"kind"_s, u"Secret"_s},
         {u"metadata"_s, QJsonObject{{u"name"_s, u"creds"_s}, {u"namespace"_s, u"shop"_s}}},
         {u"stringData"_s, QJsonObject{{u"password"_s, u"plain-text-password"_s}}}});
    PlanItem prune;
    prune.action = PlanItem::Action::Prune;
    prune.key = {QString(), u"Secret"_s, u"shop"_s, u"old"_s};
    prune.live = kubeobj::Object::fromTrustedJson(
        {{u"apiVersion"_s, u"v1"_s},
         {u"kind"_s, u"Secret"_s},
         {u"metadata"_s, QJsonObject{{u"name"_s, u"old"_s},
                                     {u"namespace"_s, u"shop"_s},
                                     {u"uid"_s, u"u-1"_s},
                                     {u"annotations"_s,
                                      QJsonObject{{u"driftdeck.io/tracking-id"_s, u"shop:/Secret:shop/old"_s},
                                                  {u"kubectl.kubernetes.io/last-applied-configuration"_s,
                                                   u"{\"data\":{\"x\":\"bGl2ZS12YWx1ZQ==\"}}"_s}}}}},
         {u"data"_s, QJsonObject{{u"x"_s, u"bGl2ZS12YWx1ZQ=="_s}}}});
    PlanItem same;
    same.action = PlanItem::Action::Unchanged;
    same.key = {QString(), u"Service"_s, u"shop"_s, u"web"_s};
    same.reason = u"in sync"_s;
    plan.items = {cm, secret, prune, same};
    plan.warnings = {u"a warning"_s};
    SyncState state = SyncState::forPlan(plan, u"shop"_s, false);
    state.results[0].status = ResourceStatus::Applied;
    state.results[0].message = u"created"_s;
    state.results[0].httpStatus = 201;
    state.results[1].status = ResourceStatus::Conflict;
    state.results[1].conflictManagers = {u"helm"_s};
    state.results[1].httpStatus = 409;
    state.next = 1;
    state.phase = SyncPhase::WaitingForHealth;
    state.healthWave = -1;
    return state;
}

TEST(SyncStateJson, RoundTripsWithoutAnySecretValue) {
    const SyncState state = sampleState();
    EXPECT_EQ(state.results[3].status, ResourceStatus::Unchanged) << "settled by forPlan";
    EXPECT_EQ(state.actionCount(), 3);
    EXPECT_EQ(state.actionsDone(), 2);
    EXPECT_FALSE(state.applyPhaseComplete());

    const QJsonObject json = state.toJson();
    const QByteArray text = QJsonDocument(json).toJson();
    for (const char* value : {"plain-text-password", "bGl2ZS12YWx1ZQ==", "live-value", "last-applied"})
        EXPECT_FALSE(text.contains(value)) << value;

    const auto restored =
        SyncState::fromJson(QJsonDocument::fromJson(text).object(), {state.plan.items[1].desired});
    ASSERT_TRUE(restored.ok()) << restored.error().message.toStdString();
    EXPECT_EQ(restored->results, state.results);
    EXPECT_EQ(restored->next, 1);
    EXPECT_EQ(restored->phase, SyncPhase::WaitingForHealth);
    EXPECT_EQ(restored->healthWave, -1);
    EXPECT_EQ(restored->appName, u"shop"_s);
    EXPECT_EQ(restored->plan.warnings, state.plan.warnings);
    ASSERT_EQ(restored->plan.items.size(), 4);
    EXPECT_EQ(restored->plan.items[0].desired, state.plan.items[0].desired);
    EXPECT_EQ(restored->plan.items[0].wave, -1);
    EXPECT_EQ(restored->plan.items[1].desired, state.plan.items[1].desired)
        << "refilled from the rendered objects";
    EXPECT_EQ(restored->plan.items[2].live.annotation(u"driftdeck.io/tracking-id"_s),
              u"shop:/Secret:shop/old"_s);
    EXPECT_EQ(restored->plan.items[2].live.uid(), u"u-1"_s);

    const auto withoutRender = SyncState::fromJson(json);
    ASSERT_TRUE(withoutRender.ok());
    EXPECT_TRUE(withoutRender->plan.items[1].desired.isNull()) << "reported when its turn comes";
}

TEST(SyncStateJson, HostileInputIsAnErrorNeverACrash) {
    const QJsonObject good = sampleState().toJson();
    auto broken = [&](const std::function<void(QJsonObject&)>& change) {
        QJsonObject json = good;
        change(json);
        return SyncState::fromJson(json);
    };
    EXPECT_FALSE(SyncState::fromJson({}).ok());
    EXPECT_FALSE(broken([](QJsonObject& j) { j[u"version"_s] = 2; }).ok());
    EXPECT_FALSE(broken([](QJsonObject& j) { j[u"appName"_s] = QString(); }).ok());
    EXPECT_FALSE(broken([](QJsonObject& j) { j[u"phase"_s] = u"Exploding"_s; }).ok());
    EXPECT_FALSE(broken([](QJsonObject& j) { j[u"next"_s] = 99; }).ok());
    EXPECT_FALSE(broken([](QJsonObject& j) { j[u"next"_s] = -1; }).ok());
    EXPECT_FALSE(broken([](QJsonObject& j) { j[u"healthWave"_s] = u"soon"_s; }).ok());
    EXPECT_FALSE(broken([](QJsonObject& j) { j[u"items"_s] = 7; }).ok());
    EXPECT_FALSE(broken([](QJsonObject& j) {
                     QJsonArray items = j[u"items"_s].toArray();
                     QJsonObject first = items[0].toObject();
                     first[u"status"_s] = u"Exploded"_s;
                     items[0] = first;
                     j[u"items"_s] = items;
                 }).ok());
    EXPECT_FALSE(broken([](QJsonObject& j) {
                     QJsonArray items = j[u"items"_s].toArray();
                     QJsonObject first = items[0].toObject();
                     first[u"desired"_s] = QJsonObject{{u"kind"_s, 3}};
                     items[0] = first;
                     j[u"items"_s] = items;
                 }).ok());
    EXPECT_FALSE(broken([](QJsonObject& j) {
                     QJsonArray items = j[u"items"_s].toArray();
                     items.append(u"not an object"_s);
                     j[u"items"_s] = items;
                 }).ok());
    EXPECT_TRUE(broken([](QJsonObject&) {}).ok());
}

// Found by the sync_state fuzz target: an edited state file put another object under an item's key,
// so a resume would have applied something other than what its results name.
TEST(SyncStateJson, AnObjectUnderAnotherItemsKeyIsRefused) {
    const QJsonObject good = sampleState().toJson();
    QJsonArray items = good[u"items"_s].toArray();
    qsizetype withDesired = -1;
    for (qsizetype i = 0; i < items.size() && withDesired < 0; ++i)
        if (items[i].toObject().contains(u"desired"_s))
            withDesired = i;
    ASSERT_GE(withDesired, 0);
    QJsonObject item = items[withDesired].toObject();
    QJsonObject desired = item[u"desired"_s].toObject();
    QJsonObject metadata = desired[u"metadata"_s].toObject();
    metadata[u"name"_s] = u"someone-else"_s;
    desired[u"metadata"_s] = metadata;
    item[u"desired"_s] = desired;
    items[withDesired] = item;
    QJsonObject edited = good;
    edited[u"items"_s] = items;
    const Result<SyncState> read = SyncState::fromJson(edited);
    ASSERT_FALSE(read.ok());
    EXPECT_TRUE(read.error().message.contains(u"is not"_s)) << read.error().message.toStdString();
}

} // namespace
