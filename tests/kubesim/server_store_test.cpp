// The ObjectStore on its own (no HTTP): what controllers and the garbage collector rely on.
#include "kubesim/objectstore.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace driftdeck::kubesim;

namespace {

QJsonObject named(const QString& name, const QJsonObject& extraMeta = {}) {
    QJsonObject meta = extraMeta;
    meta.insert(QStringLiteral("name"), name);
    meta.insert(QStringLiteral("namespace"), QStringLiteral("default"));
    return QJsonObject{{QStringLiteral("metadata"), meta}};
}

class ServerStoreTest : public ::testing::Test {
protected:
    ServerStoreTest() {
        configMaps = *store.registry().find({}, QStringLiteral("v1"), QStringLiteral("configmaps"));
        store.onChange([this](const WatchEvent& e) { events.append(e); });
    }
    QJsonObject meta(const StoreResult& r) const {
        return std::get<QJsonObject>(r).value(QStringLiteral("metadata")).toObject();
    }
    ObjectStore store;
    ResourceType configMaps;
    QList<WatchEvent> events;
};

TEST_F(ServerStoreTest, StartsWithTheStandardNamespaces) {
    const ResourceType namespaces =
        *store.registry().find({}, QStringLiteral("v1"), QStringLiteral("namespaces"));
    QStringList names;
    for (const QJsonObject& ns : store.list(namespaces))
        names.append(
            ns.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("name")).toString());
    EXPECT_EQ(names, (QStringList{QStringLiteral("default"), QStringLiteral("kube-node-lease"),
                                  QStringLiteral("kube-public"), QStringLiteral("kube-system")}));
}

TEST_F(ServerStoreTest, ResourceVersionsIncreaseAndEventsCarryThem) {
    const StoreResult a = store.create(configMaps, named(QStringLiteral("a")));
    const StoreResult b = store.create(configMaps, named(QStringLiteral("b")));
    const qint64 rvA = meta(a).value(QStringLiteral("resourceVersion")).toString().toLongLong();
    const qint64 rvB = meta(b).value(QStringLiteral("resourceVersion")).toString().toLongLong();
    EXPECT_LT(rvA, rvB);
    EXPECT_EQ(store.resourceVersion(), rvB);
    ASSERT_EQ(events.size(), 2);
    EXPECT_EQ(events.at(1).type, WatchEvent::Type::Added);
    EXPECT_EQ(events.at(1).resourceVersion, rvB);
    auto since = store.eventsSince(rvA, configMaps.groupResource());
    ASSERT_TRUE(std::holds_alternative<QList<WatchEvent>>(since));
    EXPECT_EQ(std::get<QList<WatchEvent>>(since).size(), 1);
}

TEST_F(ServerStoreTest, GenerateNameMakesAUniqueName) {
    const StoreResult r =
        store.create(configMaps, named({}, {{QStringLiteral("generateName"), QStringLiteral("web-")}}));
    ASSERT_TRUE(std::holds_alternative<QJsonObject>(r));
    const QString name = meta(r).value(QStringLiteral("name")).toString();
    EXPECT_TRUE(name.startsWith(QStringLiteral("web-")));
    EXPECT_EQ(name.size(), 9);
}

TEST_F(ServerStoreTest, FinalizersHoldDeletionUntilRemoved) {
    store.create(configMaps,
                 named(QStringLiteral("held"),
                       {{QStringLiteral("finalizers"), QJsonArray{QStringLiteral("example.com/wait")}}}));
    const StoreResult marked = store.remove(configMaps, QStringLiteral("default"), QStringLiteral("held"));
    ASSERT_TRUE(std::holds_alternative<QJsonObject>(marked));
    EXPECT_TRUE(meta(marked).contains(QStringLiteral("deletionTimestamp")));
    std::optional<QJsonObject> live =
        store.get(configMaps, QStringLiteral("default"), QStringLiteral("held"));
    ASSERT_TRUE(live.has_value());
    QJsonObject released = *live;
    QJsonObject m = released.value(QStringLiteral("metadata")).toObject();
    m.remove(QStringLiteral("finalizers"));
    released.insert(QStringLiteral("metadata"), m);
    store.update(configMaps, released,
                 WriteOptions{QStringLiteral("test"), false, {}, QStringLiteral("Update")});
    EXPECT_FALSE(store.get(configMaps, QStringLiteral("default"), QStringLiteral("held")).has_value());
    EXPECT_EQ(events.last().type, WatchEvent::Type::Deleted);
}

TEST_F(ServerStoreTest, OrphanDeletionKeepsDependentsWithoutTheOwnerReference) {
    const StoreResult owner = store.create(configMaps, named(QStringLiteral("owner")));
    const QString uid = meta(owner).value(QStringLiteral("uid")).toString();
    const QJsonArray refs{QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                      {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                                      {QStringLiteral("name"), QStringLiteral("owner")},
                                      {QStringLiteral("uid"), uid}}};
    store.create(configMaps, named(QStringLiteral("dependent"), {{QStringLiteral("ownerReferences"), refs}}));
    store.remove(configMaps, QStringLiteral("default"), QStringLiteral("owner"), DeletePropagation::Orphan);
    EXPECT_FALSE(store.get(configMaps, QStringLiteral("default"), QStringLiteral("owner")).has_value());
    const std::optional<QJsonObject> dependent =
        store.get(configMaps, QStringLiteral("default"), QStringLiteral("dependent"));
    ASSERT_TRUE(dependent.has_value());
    EXPECT_FALSE(
        dependent->value(QStringLiteral("metadata")).toObject().contains(QStringLiteral("ownerReferences")));
}

TEST_F(ServerStoreTest, DryRunChangesNothing) {
    const qint64 before = store.resourceVersion();
    const StoreResult r = store.create(configMaps, named(QStringLiteral("ghost")),
                                       WriteOptions{{}, true, {}, QStringLiteral("Update")});
    ASSERT_TRUE(std::holds_alternative<QJsonObject>(r));
    EXPECT_EQ(store.resourceVersion(), before);
    EXPECT_FALSE(store.get(configMaps, QStringLiteral("default"), QStringLiteral("ghost")).has_value());
    EXPECT_TRUE(events.isEmpty());
}

TEST_F(ServerStoreTest, UpdateOfMissingObjectIsNotFound) {
    const StoreResult r = store.update(configMaps, named(QStringLiteral("nope")));
    ASSERT_TRUE(std::holds_alternative<ApiError>(r));
    EXPECT_EQ(std::get<ApiError>(r).code, 404);
    EXPECT_EQ(std::get<ApiError>(r).message, QStringLiteral("configmaps \"nope\" not found"));
}

} // namespace
