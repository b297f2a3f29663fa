// Merge, JSON and strategic merge patches as kubectl sends them (kubectl patch, edit, client-side
// apply).

#include "jsontestsupport.h"
#include "kubesim/semantics.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace driftdeck::kubesim;

namespace {

using driftdeck::test::json;

// The value at a dotted path ("spec.template.spec.containers.0.image"); numbers index arrays.
QJsonValue get(const QJsonValue& root, const char* dotted) {
    QJsonValue v = root;
    for (const QString& part : QString::fromLatin1(dotted).split(QLatin1Char('.'))) {
        bool isIndex = false;
        const int i = part.toInt(&isIndex);
        v = isIndex ? v.toArray().at(i) : v.toObject().value(part);
    }
    return v;
}

QString dump(const QJsonObject& o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

const KindRef kDeployment{QStringLiteral("apps"), QStringLiteral("v1"), QStringLiteral("Deployment")};
const KindRef kConfigMap{QString(), QStringLiteral("v1"), QStringLiteral("ConfigMap")};
const KindRef kService{QString(), QStringLiteral("v1"), QStringLiteral("Service")};
const KindRef kCustom{QStringLiteral("example.com"), QStringLiteral("v1"), QStringLiteral("Widget")};

QJsonObject ok(const std::variant<QJsonObject, ApiError>& r) {
    if (const auto* e = std::get_if<ApiError>(&r)) {
        ADD_FAILURE() << "unexpected error " << e->code << ": " << e->message.toStdString();
        return {};
    }
    return std::get<QJsonObject>(r);
}

ApiError err(const std::variant<QJsonObject, ApiError>& r) {
    if (const auto* e = std::get_if<ApiError>(&r))
        return *e;
    ADD_FAILURE() << "expected an error, got " << dump(std::get<QJsonObject>(r)).toStdString();
    return {};
}

const char* kLiveDeployment = R"({
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "labels": {"app": "web", "tier": "front"}, "finalizers": ["a"]},
  "spec": {"replicas": 2,
    "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
    "template": {"metadata": {"labels": {"app": "web"}}, "spec": {
      "containers": [
        {"name": "web", "image": "nginx:1.25", "ports": [{"containerPort": 80, "protocol": "TCP"}],
         "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
        {"name": "sidecar", "image": "busybox:1.36", "args": ["sleep", "3600"]}],
      "tolerations": [{"key": "k", "operator": "Exists"}],
      "volumes": [{"name": "data", "emptyDir": {}}]}}}})";

} // namespace

TEST(SemanticsMergePatch, NullDeletesObjectsMergeListsReplace) {
    const QJsonObject live = json(kLiveDeployment);
    const QJsonObject out = ok(mergePatch(
        kDeployment, live,
        R"({"metadata": {"labels": {"tier": null, "new": "x"}}, "spec": {"replicas": 5, "template": {"spec": {"containers": [{"name": "only", "image": "x"}]}}}})"));
    EXPECT_EQ(get(out, "metadata.labels").toObject(), json(R"({"app": "web", "new": "x"})"));
    EXPECT_EQ(get(out, "spec.replicas").toInt(), 5);
    EXPECT_EQ(get(out, "spec.template.spec.containers").toArray().size(), 1);
    EXPECT_EQ(get(out, "spec.strategy"), get(live, "spec.strategy"));
}

TEST(SemanticsMergePatch, MalformedBodyIsBadRequest) {
    const ApiError e = err(mergePatch(kConfigMap, json(R"({"data": {}})"), "{not json"));
    EXPECT_EQ(e.code, 400);
    EXPECT_EQ(e.reason, QStringLiteral("BadRequest"));
}

TEST(SemanticsJsonPatch, AllOperations) {
    const QJsonObject live = json(R"({"metadata": {"name": "c", "annotations": {"a/b": "1", "t~x": "2"}},
                                      "data": {"k": "v"}, "list": [1, 2, 3]})");
    const QJsonObject out = ok(jsonPatch(kConfigMap, live, R"([
        {"op": "test", "path": "/data/k", "value": "v"},
        {"op": "add", "path": "/list/-", "value": 4},
        {"op": "add", "path": "/list/0", "value": 0},
        {"op": "remove", "path": "/list/2"},
        {"op": "replace", "path": "/metadata/annotations/a~1b", "value": "one"},
        {"op": "remove", "path": "/metadata/annotations/t~0x"},
        {"op": "copy", "from": "/data/k", "path": "/data/copied"},
        {"op": "move", "from": "/data/k", "path": "/data/moved"}
    ])"));
    EXPECT_EQ(get(out, "list").toArray(), QJsonArray({0, 1, 3, 4}));
    EXPECT_EQ(get(out, "metadata.annotations").toObject(), json(R"({"a/b": "one"})"));
    EXPECT_EQ(get(out, "data").toObject(), json(R"({"copied": "v", "moved": "v"})"));
}

TEST(SemanticsJsonPatch, FailedTestAndMissingPathAreRejected) {
    const QJsonObject live = json(R"({"data": {"k": "v"}})");
    const ApiError failed =
        err(jsonPatch(kConfigMap, live, R"([{"op": "test", "path": "/data/k", "value": "w"}])"));
    EXPECT_EQ(failed.code, 422);
    EXPECT_TRUE(failed.message.contains(QStringLiteral("/data/k")));
    EXPECT_EQ(
        err(jsonPatch(kConfigMap, live, R"([{"op": "replace", "path": "/data/none", "value": 1}])")).code,
        422);
    EXPECT_EQ(err(jsonPatch(kConfigMap, live, R"([{"op": "remove", "path": "/nope/x"}])")).code, 422);
    EXPECT_EQ(err(jsonPatch(kConfigMap, live, R"([{"op": "add", "path": "no-slash", "value": 1}])")).code,
              400);
    EXPECT_EQ(err(jsonPatch(kConfigMap, live, R"({"op": "add"})")).code, 400);
    // A failed operation leaves nothing half-applied: the caller gets only the error.
    EXPECT_EQ(err(jsonPatch(kConfigMap, live, R"([{"op": "add", "path": "/data/x", "value": 1},
                                                  {"op": "test", "path": "/data/x", "value": 2}])"))
                  .code,
              422);
}

TEST(SemanticsStrategicMerge, ContainersMergeByNameAndEnvByName) {
    const QJsonObject live = json(kLiveDeployment);
    const QJsonObject out = ok(strategicMergePatch(kDeployment, live, R"({"spec": {"template": {"spec": {
        "containers": [{"name": "web", "image": "nginx:1.27", "env": [{"name": "B", "value": "two"}, {"name": "C", "value": "3"}]}]}}}})"));
    const QJsonArray containers = get(out, "spec.template.spec.containers").toArray();
    ASSERT_EQ(containers.size(), 2);
    EXPECT_EQ(get(containers, "0.image").toString(), QStringLiteral("nginx:1.27"));
    EXPECT_EQ(get(containers, "0.ports").toArray().size(), 1); // untouched fields of the item stay
    EXPECT_EQ(
        get(containers, "0.env").toArray(),
        get(json(
                R"({"e": [{"name": "A", "value": "1"}, {"name": "B", "value": "two"}, {"name": "C", "value": "3"}]})"),
            "e")
            .toArray());
    EXPECT_EQ(get(containers, "1.name").toString(), QStringLiteral("sidecar"));
}

TEST(SemanticsStrategicMerge, TolerationsAndArgsReplaceWhole) {
    const QJsonObject out =
        ok(strategicMergePatch(kDeployment, json(kLiveDeployment), R"({"spec": {"template": {"spec": {
        "tolerations": [{"key": "other", "operator": "Exists"}],
        "containers": [{"name": "sidecar", "args": ["sleep", "1"]}]}}}})"));
    EXPECT_EQ(get(out, "spec.template.spec.tolerations").toArray().size(), 1);
    EXPECT_EQ(get(out, "spec.template.spec.tolerations.0.key").toString(), QStringLiteral("other"));
    EXPECT_EQ(get(out, "spec.template.spec.containers.1.args").toArray(),
              QJsonArray({QStringLiteral("sleep"), QStringLiteral("1")}));
}

TEST(SemanticsStrategicMerge, PatchDirectives) {
    const QJsonObject live = json(kLiveDeployment);
    // $patch: delete removes one item by merge key; $patch: replace replaces a map.
    QJsonObject out = ok(strategicMergePatch(kDeployment, live, R"({"spec": {"template": {"spec": {
        "containers": [{"name": "sidecar", "$patch": "delete"}]}}},
        "metadata": {"labels": {"$patch": "replace", "only": "this"}}})"));
    EXPECT_EQ(get(out, "spec.template.spec.containers").toArray().size(), 1);
    EXPECT_EQ(get(out, "metadata.labels").toObject(), json(R"({"only": "this"})"));

    // $patch: replace inside a list replaces the whole list.
    out = ok(strategicMergePatch(kDeployment, live, R"({"spec": {"template": {"spec": {
        "volumes": [{"name": "cache", "emptyDir": {}}, {"$patch": "replace"}]}}}})"));
    EXPECT_EQ(get(out, "spec.template.spec.volumes").toArray(),
              get(json(R"({"v": [{"name": "cache", "emptyDir": {}}]})"), "v").toArray());

    // $retainKeys as kubectl sends it when switching the strategy type.
    out = ok(strategicMergePatch(kDeployment, live,
                                 R"({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}})"));
    EXPECT_EQ(get(out, "spec.strategy").toObject(), json(R"({"type": "Recreate"})"));

    // $setElementOrder orders the merged list; $deleteFromPrimitiveList removes from a set.
    out = ok(strategicMergePatch(kDeployment, live, R"({
        "metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]},
        "spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "sidecar"}, {"name": "web"}],
        "containers": [{"name": "web", "image": "nginx:2"}]}}}})"));
    const QJsonArray containers = get(out, "spec.template.spec.containers").toArray();
    ASSERT_EQ(containers.size(), 2);
    EXPECT_EQ(get(containers, "0.name").toString(), QStringLiteral("sidecar"));
    EXPECT_EQ(get(containers, "1.image").toString(), QStringLiteral("nginx:2"));
    EXPECT_TRUE(get(out, "metadata.finalizers").toArray().isEmpty());
    EXPECT_FALSE(dump(out).contains(QStringLiteral("$"))); // no directive survives
}

TEST(SemanticsStrategicMerge, FinalizersMergeAsASet) {
    const QJsonObject out = ok(strategicMergePatch(kDeployment, json(kLiveDeployment),
                                                   R"({"metadata": {"finalizers": ["b", "a"]}})"));
    EXPECT_EQ(get(out, "metadata.finalizers").toArray(),
              QJsonArray({QStringLiteral("a"), QStringLiteral("b")}));
}

TEST(SemanticsStrategicMerge, ServicePortsMergeByPort) {
    const QJsonObject live = json(R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
        "spec": {"ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}, {"port": 443, "protocol": "TCP"}]}})");
    const QJsonObject out =
        ok(strategicMergePatch(kService, live, R"({"spec": {"ports": [{"port": 80, "targetPort": 9090}]}})"));
    const QJsonArray ports = get(out, "spec.ports").toArray();
    ASSERT_EQ(ports.size(), 2);
    EXPECT_EQ(get(ports, "0.targetPort").toInt(), 9090);
    EXPECT_EQ(get(ports, "1.port").toInt(), 443);
}

TEST(SemanticsStrategicMerge, NullDeletesAndMissingMergeKeyIsBadRequest) {
    QJsonObject out =
        ok(strategicMergePatch(kDeployment, json(kLiveDeployment), R"({"spec": {"strategy": null}})"));
    EXPECT_FALSE(get(out, "spec").toObject().contains(QStringLiteral("strategy")));
    const ApiError e =
        err(strategicMergePatch(kDeployment, json(kLiveDeployment),
                                R"({"spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}})"));
    EXPECT_EQ(e.code, 400);
}

TEST(SemanticsStrategicMerge, CustomKindsAreUnsupportedMediaType) {
    const ApiError e = err(strategicMergePatch(kCustom, json(R"({"spec": {}})"), R"({"spec": {"a": 1}})"));
    EXPECT_EQ(e.code, 415);
    EXPECT_EQ(e.reason, QStringLiteral("UnsupportedMediaType"));
    // Merge and JSON patches work for them.
    EXPECT_EQ(
        get(ok(mergePatch(kCustom, json(R"({"spec": {}})"), R"({"spec": {"a": 1}})")), "spec.a").toInt(), 1);
}
