// Server-side apply and managedFields: ownership, conflicts, force, removal of omitted fields,
// shared ownership, list-map keys and the fieldsV1 wire format.

#include "jsontestsupport.h"
#include "kubesim/semantics.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace driftdeck::kubesim;

namespace {

using driftdeck::test::json;

QJsonValue get(const QJsonValue& root, const char* dotted) {
    QJsonValue v = root;
    for (const QString& part : QString::fromLatin1(dotted).split(QLatin1Char('.'))) {
        bool isIndex = false;
        const int i = part.toInt(&isIndex);
        v = isIndex ? v.toArray().at(i) : v.toObject().value(part);
    }
    return v;
}

// A step below a JSON value: a name indexes an object, a number an array.
struct Step {
    Step(const char* key)
        : name(QString::fromUtf8(key)) {}
    Step(int i)
        : index(i) {}
    QString name;
    int index = -1;
};

QJsonValue walk(QJsonValue v, std::initializer_list<Step> steps) {
    for (const Step& s : steps)
        v = s.index >= 0 ? v.toArray().at(s.index) : v.toObject().value(s.name);
    return v;
}

template <typename... Keys>
QJsonValue at(const QJsonValue& root, Keys... keys) {
    return walk(root, {Step(keys)...});
}

std::string dump(const QJsonValue& v) {
    return QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact).toStdString();
}

const KindRef kDeployment{QStringLiteral("apps"), QStringLiteral("v1"), QStringLiteral("Deployment")};
const KindRef kConfigMap{QString(), QStringLiteral("v1"), QStringLiteral("ConfigMap")};
const KindRef kWidget{QStringLiteral("example.com"), QStringLiteral("v1"), QStringLiteral("Widget")};
const QString kT1 = QStringLiteral("2026-11-22T01:00:00Z");
const QString kT2 = QStringLiteral("2026-11-22T01:05:00Z");

QJsonObject apply(const KindRef& kind, const QJsonObject& live, const QJsonObject& applied,
                  const char* manager, bool force = false, const QString& time = kT1) {
    auto r = serverSideApply(kind, live, applied, QString::fromLatin1(manager), force, time);
    if (const auto* e = std::get_if<ApiError>(&r)) {
        ADD_FAILURE() << "apply failed: " << e->message.toStdString();
        return live;
    }
    return std::get<QJsonObject>(r);
}

ApiError conflict(const KindRef& kind, const QJsonObject& live, const QJsonObject& applied,
                  const char* manager) {
    auto r = serverSideApply(kind, live, applied, QString::fromLatin1(manager), false, kT2);
    if (const auto* e = std::get_if<ApiError>(&r))
        return *e;
    ADD_FAILURE() << "expected a conflict";
    return {};
}

// The fieldsV1 of `manager`'s entry (operation Apply or Update), or null when it has none.
QJsonValue fieldsOf(const QJsonObject& obj, const char* manager, const char* operation = "Apply") {
    for (const QJsonValue& e : get(obj, "metadata.managedFields").toArray())
        if (at(e, "manager").toString() == QLatin1String(manager) &&
            at(e, "operation").toString() == QLatin1String(operation))
            return at(e, "fieldsV1");
    return QJsonValue(QJsonValue::Null);
}

const char* kDeploymentConfig = R"({
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
  "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
    "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [
      {"name": "web", "image": "nginx:1.25", "ports": [{"containerPort": 80}]}]}}}})";

} // namespace

TEST(SemanticsServerSideApply, CreateRecordsApplyEntryInTheRealFieldsV1Format) {
    const QJsonObject out = apply(kDeployment, {}, json(kDeploymentConfig), "kubectl");
    EXPECT_EQ(get(out, "metadata.name").toString(), QStringLiteral("web"));
    EXPECT_EQ(get(out, "spec.replicas").toInt(), 2);
    const QJsonArray managed = get(out, "metadata.managedFields").toArray();
    ASSERT_EQ(managed.size(), 1);
    const QJsonObject entry = managed.at(0).toObject();
    EXPECT_EQ(at(entry, "manager").toString(), QStringLiteral("kubectl"));
    EXPECT_EQ(at(entry, "operation").toString(), QStringLiteral("Apply"));
    EXPECT_EQ(at(entry, "apiVersion").toString(), QStringLiteral("apps/v1"));
    EXPECT_EQ(at(entry, "time").toString(), kT1);
    EXPECT_EQ(at(entry, "fieldsType").toString(), QStringLiteral("FieldsV1"));
    // Selector is an atomic struct; containers are keyed by name; container ports by
    // containerPort+protocol with the declared protocol default; list items carry ".".
    const QJsonObject expected = json(R"({
      "f:metadata": {"f:labels": {"f:app": {}}},
      "f:spec": {"f:replicas": {}, "f:selector": {},
        "f:template": {"f:metadata": {"f:labels": {"f:app": {}}}, "f:spec": {"f:containers": {
          "k:{\"name\":\"web\"}": {".": {}, "f:image": {}, "f:name": {},
            "f:ports": {"k:{\"containerPort\":80,\"protocol\":\"TCP\"}": {".": {}, "f:containerPort": {}}}}}}}}})");
    EXPECT_EQ(at(entry, "fieldsV1").toObject(), expected) << dump(at(entry, "fieldsV1"));
}

TEST(SemanticsServerSideApply, ConflictWithAnUpdateManagerHasTheRealShape) {
    // Created by client-side apply: an Update entry owning everything it set.
    QJsonObject live = json(kDeploymentConfig);
    recordUpdate(kDeployment, {}, live, QStringLiteral("kubectl-client-side-apply"), QStringLiteral("Update"),
                 kT1);
    QJsonObject changed = json(kDeploymentConfig);
    changed.insert(QStringLiteral("spec"), json(R"({"replicas": 3})"));
    const ApiError e = conflict(kDeployment, live, changed, "kubectl");
    EXPECT_EQ(e.code, 409);
    EXPECT_EQ(e.reason, QStringLiteral("Conflict"));
    EXPECT_EQ(e.message,
              QStringLiteral("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" "
                             "using apps/v1: .spec.replicas"));
    const QJsonArray causes = at(e.details, "causes").toArray();
    ASSERT_EQ(causes.size(), 1);
    EXPECT_EQ(at(causes, 0, "reason").toString(), QStringLiteral("FieldManagerConflict"));
    EXPECT_EQ(at(causes, 0, "message").toString(),
              QStringLiteral("conflict with \"kubectl-client-side-apply\" using apps/v1"));
    EXPECT_EQ(at(causes, 0, "field").toString(), QStringLiteral(".spec.replicas"));
    EXPECT_EQ(at(e.toStatus(), "code").toInt(), 409);
}

TEST(SemanticsServerSideApply, SeveralConflictsAreListedPerManager) {
    QJsonObject live = apply(kConfigMap, {}, json(R"({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "c"}, "data": {"a": "1", "b": "2"}})"),
                             "x");
    const ApiError e = conflict(kConfigMap, live, json(R"({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "c"}, "data": {"a": "10", "b": "20"}})"),
                                "y");
    EXPECT_EQ(e.message,
              QStringLiteral("Apply failed with 2 conflicts: conflicts with \"x\":\n- .data.a\n- .data.b"));
    EXPECT_EQ(at(e.details, "causes").toArray().size(), 2);
    EXPECT_EQ(at(e.details, "causes", 1, "field").toString(), QStringLiteral(".data.b"));
}

TEST(SemanticsServerSideApply, ForceMovesOwnership) {
    QJsonObject live = apply(kDeployment, {}, json(kDeploymentConfig), "gitops");
    QJsonObject scaled = json(R"({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"}, "spec": {"replicas": 5}})");
    const QJsonObject out = apply(kDeployment, live, scaled, "autoscaler", true, kT2);
    EXPECT_EQ(get(out, "spec.replicas").toInt(), 5);
    EXPECT_EQ(fieldsOf(out, "autoscaler").toObject(), json(R"({"f:spec": {"f:replicas": {}}})"));
    EXPECT_FALSE(at(fieldsOf(out, "gitops"), "f:spec").toObject().contains(QStringLiteral("f:replicas")));
    EXPECT_EQ(get(out, "spec.template.spec.containers.0.image").toString(), QStringLiteral("nginx:1.25"));
}

TEST(SemanticsServerSideApply, SameValueIsSharedOwnershipWithoutConflict) {
    QJsonObject live = apply(kDeployment, {}, json(kDeploymentConfig), "a");
    const QJsonObject out = apply(kDeployment, live, json(R"({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web"}, "spec": {"replicas": 2}})"),
                                  "b");
    EXPECT_TRUE(at(fieldsOf(out, "a"), "f:spec").toObject().contains(QStringLiteral("f:replicas")));
    EXPECT_EQ(fieldsOf(out, "b").toObject(), json(R"({"f:spec": {"f:replicas": {}}})"));
    // Entries are sorted like the real server's: Apply first, then by time and manager.
    EXPECT_EQ(get(out, "metadata.managedFields.0.manager").toString(), QStringLiteral("a"));
}

TEST(SemanticsServerSideApply, OmittedFieldsAreRemovedUnlessSomeoneElseOwnsThem) {
    const char* both = R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                          "data": {"keep": "1", "drop": "2", "shared": "3"}})";
    QJsonObject live = apply(kConfigMap, {}, json(both), "gitops");
    live =
        apply(kConfigMap, live, json(R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
                                           "data": {"shared": "3"}})"),
              "other");
    const QJsonObject out = apply(kConfigMap, live, json(R"({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "c"}, "data": {"keep": "1"}})"),
                                  "gitops", false, kT2);
    EXPECT_EQ(at(out, "data").toObject(), json(R"({"keep": "1", "shared": "3"})"));
    EXPECT_EQ(fieldsOf(out, "gitops").toObject(), json(R"({"f:data": {"f:keep": {}}})"));
    EXPECT_EQ(fieldsOf(out, "other").toObject(), json(R"({"f:data": {"f:shared": {}}})"));
}

TEST(SemanticsServerSideApply, ListMapItemsMergeByKeyAndDropWhenOmitted) {
    QJsonObject live = apply(kDeployment, {}, json(kDeploymentConfig), "gitops");
    // A second manager adds a sidecar container; the first keeps applying only "web".
    live = apply(kDeployment, live,
                 json(R"({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"template": {"spec": {"containers": [{"name": "sidecar", "image": "envoy:1"}]}}}})"),
                 "mesh");
    QJsonArray containers = get(live, "spec.template.spec.containers").toArray();
    ASSERT_EQ(containers.size(), 2);
    EXPECT_EQ(at(containers, 0, "name").toString(), QStringLiteral("web"));
    EXPECT_EQ(at(containers, 1, "name").toString(), QStringLiteral("sidecar"));

    QJsonObject config = json(kDeploymentConfig);
    QJsonObject withEnv = json(R"({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.27", "env": [{"name": "A", "value": "1"}]}]}}}})");
    const QJsonObject out = apply(kDeployment, live, withEnv, "gitops", false, kT2);
    containers = get(out, "spec.template.spec.containers").toArray();
    ASSERT_EQ(containers.size(), 2); // the sidecar belongs to "mesh" and stays
    EXPECT_EQ(at(containers, 0, "image").toString(), QStringLiteral("nginx:1.27"));
    EXPECT_FALSE(
        at(containers, 0).toObject().contains(QStringLiteral("ports"))); // no longer applied by anyone
    EXPECT_EQ(at(containers, 0, "env", 0, "name").toString(), QStringLiteral("A"));
}

TEST(SemanticsServerSideApply, FinalizersAreASetOfValues) {
    const QJsonObject out = apply(kConfigMap, {}, json(R"({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "c", "finalizers": ["example.com/x"]}})"),
                                  "kubectl");
    EXPECT_EQ(fieldsOf(out, "kubectl").toObject(),
              json(R"({"f:metadata": {"f:finalizers": {"v:\"example.com/x\"": {}}}})"));
}

TEST(SemanticsServerSideApply, CustomResourceListsAreAtomic) {
    const QJsonObject out = apply(kWidget, {}, json(R"({"apiVersion": "example.com/v1", "kind": "Widget",
        "metadata": {"name": "w"}, "spec": {"items": [{"name": "a"}], "size": 1}})"),
                                  "kubectl");
    EXPECT_EQ(fieldsOf(out, "kubectl").toObject(), json(R"({"f:spec": {"f:items": {}, "f:size": {}}})"));
}

TEST(SemanticsServerSideApply, UnchangedReapplyKeepsTheEntryTime) {
    QJsonObject live = apply(kConfigMap, {}, json(R"({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "c"}, "data": {"a": "1"}})"),
                             "kubectl", false, kT1);
    live = apply(kConfigMap, live, json(R"({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "c"}, "data": {"a": "1"}})"),
                 "kubectl", false, kT2);
    EXPECT_EQ(get(live, "metadata.managedFields.0.time").toString(), kT1);
}

TEST(SemanticsServerSideApply, StatusIsNotAppliedThroughTheMainResource) {
    QJsonObject live = json(kDeploymentConfig);
    live.insert(QStringLiteral("status"), json(R"({"replicas": 2})"));
    QJsonObject config = json(kDeploymentConfig);
    config.insert(QStringLiteral("status"), json(R"({"replicas": 9})"));
    const QJsonObject out = apply(kDeployment, live, config, "kubectl");
    EXPECT_EQ(get(out, "status.replicas").toInt(), 2);
    EXPECT_FALSE(fieldsOf(out, "kubectl").toObject().contains(QStringLiteral("f:status")));
}

TEST(SemanticsManagedFields, UpdateOwnsWhatItChangedAndTakesItFromOthers) {
    QJsonObject created = json(R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c",
        "labels": {"app": "x"}}, "data": {"a": "1", "b": "2"}})");
    recordUpdate(kConfigMap, {}, created, QStringLiteral("kubectl-create"), QStringLiteral("Update"), kT1);
    EXPECT_EQ(
        fieldsOf(created, "kubectl-create", "Update").toObject(),
        json(
            R"({"f:data": {".": {}, "f:a": {}, "f:b": {}}, "f:metadata": {"f:labels": {".": {}, "f:app": {}}}})"));
    EXPECT_EQ(get(created, "metadata.managedFields.0.apiVersion").toString(), QStringLiteral("v1"));

    QJsonObject edited = created;
    QJsonObject data = at(edited, "data").toObject();
    data.insert(QStringLiteral("a"), QStringLiteral("10"));
    data.remove(QStringLiteral("b"));
    edited.insert(QStringLiteral("data"), data);
    recordUpdate(kConfigMap, created, edited, QStringLiteral("kubectl-edit"), QStringLiteral("Update"), kT2);
    EXPECT_EQ(fieldsOf(edited, "kubectl-edit", "Update").toObject(), json(R"({"f:data": {"f:a": {}}})"));
    EXPECT_EQ(fieldsOf(edited, "kubectl-create", "Update").toObject(),
              json(R"({"f:data": {}, "f:metadata": {"f:labels": {".": {}, "f:app": {}}}})"));
}

TEST(SemanticsManagedFields, ADeploymentUpdateOwnsDefaultsButNoAlwaysPresentParents) {
    QJsonObject created = json(kDeploymentConfig);
    applyDefaults(kDeployment, created);
    recordUpdate(kDeployment, {}, created, QStringLiteral("kubectl-create"), QStringLiteral("Update"), kT1);
    const QJsonObject fields = fieldsOf(created, "kubectl-create", "Update").toObject();
    const QJsonObject spec = at(fields, "f:spec").toObject();
    EXPECT_FALSE(spec.contains(QStringLiteral("."))); // spec exists in every Deployment
    EXPECT_TRUE(spec.contains(QStringLiteral("f:progressDeadlineSeconds")));
    EXPECT_EQ(at(spec, "f:strategy", "f:rollingUpdate").toObject(),
              json(R"({".": {}, "f:maxSurge": {}, "f:maxUnavailable": {}})"));
    const QJsonObject web =
        at(spec, "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}").toObject();
    EXPECT_TRUE(web.contains(QStringLiteral(".")));
    EXPECT_TRUE(web.contains(QStringLiteral("f:imagePullPolicy")));
    EXPECT_TRUE(web.contains(QStringLiteral("f:terminationMessagePath")));
}

TEST(SemanticsManagedFields, RequestsCanResetManagedFields) {
    QJsonObject live = apply(kConfigMap, {}, json(R"({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "c"}, "data": {"a": "1"}})"),
                             "kubectl");
    QJsonObject cleared = live;
    QJsonObject meta = at(cleared, "metadata").toObject();
    meta.insert(QStringLiteral("managedFields"), QJsonArray{QJsonObject()});
    cleared.insert(QStringLiteral("metadata"), meta);
    recordUpdate(kConfigMap, live, cleared, QStringLiteral("kubectl-edit"), QStringLiteral("Update"), kT2);
    EXPECT_FALSE(at(cleared, "metadata").toObject().contains(QStringLiteral("managedFields")));

    // Sending the stored list back unchanged (kubectl replace of a GET result) is an ordinary update.
    QJsonObject same = live;
    recordUpdate(kConfigMap, live, same, QStringLiteral("kubectl-replace"), QStringLiteral("Update"), kT2);
    EXPECT_EQ(get(same, "metadata.managedFields").toArray(), get(live, "metadata.managedFields").toArray());
}

TEST(SemanticsManagedFields, StatusUpdatesAreRecordedWithTheirSubresource) {
    QJsonObject live = json(kDeploymentConfig);
    recordUpdate(kDeployment, {}, live, QStringLiteral("kubectl-create"), QStringLiteral("Update"), kT1);
    QJsonObject withStatus = live;
    withStatus.insert(QStringLiteral("status"), json(R"({"replicas": 2, "observedGeneration": 1})"));
    recordUpdate(kDeployment, live, withStatus, QStringLiteral("kube-controller-manager"),
                 QStringLiteral("Update"), kT2, QStringLiteral("status"));
    const QJsonArray managed = get(withStatus, "metadata.managedFields").toArray();
    ASSERT_EQ(managed.size(), 2);
    EXPECT_EQ(at(managed, 1, "subresource").toString(), QStringLiteral("status"));
    EXPECT_EQ(at(managed, 1, "fieldsV1").toObject(),
              json(R"({"f:status": {"f:observedGeneration": {}, "f:replicas": {}}})"));
}

TEST(SemanticsManagedFields, DefaultManagerComesFromTheUserAgent) {
    EXPECT_EQ(defaultFieldManager(QStringLiteral("kubectl/v1.32.0 (linux/amd64) kubernetes/abc")),
              QStringLiteral("kubectl"));
    EXPECT_EQ(defaultFieldManager(QStringLiteral("driftdeck")), QStringLiteral("driftdeck"));
}

TEST(SemanticsServerSideApply, ServicePortsAreKeyedByPortAndProtocol) {
    const KindRef service{QString(), QStringLiteral("v1"), QStringLiteral("Service")};
    QJsonObject live =
        apply(service, {}, json(R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
        "spec": {"selector": {"app": "s"}, "ports": [{"name": "dns", "port": 53, "protocol": "UDP"}, {"name": "dns-tcp", "port": 53}]}})"),
              "gitops");
    const QJsonObject ports = at(fieldsOf(live, "gitops"), "f:spec", "f:ports").toObject();
    EXPECT_TRUE(ports.contains(QStringLiteral("k:{\"port\":53,\"protocol\":\"UDP\"}")));
    EXPECT_TRUE(ports.contains(QStringLiteral("k:{\"port\":53,\"protocol\":\"TCP\"}")));
    // Another manager changing the UDP port's name conflicts on exactly that item's field.
    const ApiError e =
        conflict(service, live, json(R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
        "spec": {"ports": [{"name": "renamed", "port": 53, "protocol": "UDP"}]}})"),
                 "other");
    EXPECT_EQ(at(e.details, "causes", 0, "field").toString(),
              QStringLiteral(".spec.ports[port=53,protocol=\"UDP\"].name"));
}

TEST(SemanticsServerSideApply, AListMapItemWithoutItsKeyIsRejected) {
    auto r = serverSideApply(
        kDeployment, {}, json(R"({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}})"),
        QStringLiteral("kubectl"), false, kT1);
    ASSERT_TRUE(std::holds_alternative<ApiError>(r));
    const ApiError e = std::get<ApiError>(r);
    EXPECT_EQ(e.code, 400);
    EXPECT_TRUE(e.message.endsWith(
        QStringLiteral(".spec.template.spec.containers: element 0: associative list with keys "
                       "has an element that omits key field \"name\" (and doesn't have "
                       "default value)")))
        << e.message.toStdString();
}
