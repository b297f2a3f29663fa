#include "diff/drift.h"
#include "diff/lineowners.h"
#include "yaml/yamlcodec.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace Qt::StringLiterals;

namespace {

const char* const kLive = R"(
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web, owner: ops}
  annotations:
    deployment.kubernetes.io/revision: "2"
    note: |
      first line
      second line
  managedFields:
  - manager: driftdeck
    operation: Apply
    apiVersion: apps/v1
    time: "2026-11-30T10:00:00Z"
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata: {f:labels: {f:app: {}}}
      f:spec:
        f:replicas: {}
        f:template:
          f:spec:
            f:containers:
              'k:{"name":"web"}': {.: {}, f:image: {}, f:name: {}, f:args: {}}
  - manager: kube-controller-manager
    operation: Update
    apiVersion: apps/v1
    time: "2026-11-30T10:00:05Z"
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata: {f:annotations: {.: {}, f:deployment.kubernetes.io/revision: {}}}
  - manager: kubectl-label
    operation: Update
    apiVersion: apps/v1
    time: "2026-11-30T11:00:00Z"
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata: {f:labels: {f:owner: {}}, f:annotations: {f:note: {}}}
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.27
        args: [--port=80, --verbose]
        imagePullPolicy: IfNotPresent
)";

QString ownerAt(const QStringList& lines, const QList<diff::LineOwner>& owners, const QString& text) {
    for (qsizetype i = 0; i < lines.size(); ++i)
        if (lines.at(i).trimmed() == text || (text.endsWith(u':') && lines.at(i).trimmed().startsWith(text)))
            return owners.at(i).isNull() ? u"-"_s : owners.at(i).manager + u' ' + owners.at(i).operation;
    return u"<no such line: "_s + text + u'>';
}

TEST(LineOwners, EachLiveLineNamesTheManagerThatWroteIt) {
    const auto parsed = yaml::parseDocument(kLive);
    ASSERT_TRUE(parsed.ok()) << parsed.error().toString().toStdString();
    const QJsonObject full = parsed->toObject();
    const diff::SecretMasker masker;
    const kubeobj::Object shown = kubeobj::Object::fromTrustedJson(diff::normalizedForDisplay(full, masker));
    const QList<diff::LineOwner> owners =
        diff::lineOwners(shown, full.value(u"metadata"_s).toObject().value(u"managedFields"_s).toArray());
    const QStringList& lines = shown.yamlLines();
    ASSERT_EQ(owners.size(), lines.size());

    EXPECT_EQ(ownerAt(lines, owners, u"replicas: 2"_s), u"driftdeck Apply"_s);
    EXPECT_EQ(ownerAt(lines, owners, u"app: web"_s), u"driftdeck Apply"_s);
    EXPECT_EQ(ownerAt(lines, owners, u"owner: ops"_s), u"kubectl-label Update"_s);
    EXPECT_EQ(ownerAt(lines, owners, u"deployment.kubernetes.io/revision:"_s),
              u"kube-controller-manager Update"_s);
    EXPECT_EQ(ownerAt(lines, owners, u"image: nginx:1.27"_s), u"driftdeck Apply"_s);
    EXPECT_EQ(ownerAt(lines, owners, u"- --verbose"_s), u"driftdeck Apply"_s)
        << "atomic list items belong to the list";
    EXPECT_EQ(ownerAt(lines, owners, u"imagePullPolicy: IfNotPresent"_s), u"-"_s) << "a server default";
    EXPECT_EQ(ownerAt(lines, owners, u"- args:"_s), u"driftdeck Apply"_s) << "the list-map item's first line";
    EXPECT_EQ(ownerAt(lines, owners, u"template:"_s), u"-"_s) << "a parent nobody owns as a whole";
    // A block scalar's lines belong to its key.
    EXPECT_EQ(ownerAt(lines, owners, u"second line"_s), u"kubectl-label Update"_s);
    const qsizetype replicas = lines.indexOf(u"  replicas: 2"_s);
    ASSERT_GE(replicas, 0);
    EXPECT_EQ(owners.at(replicas).time, QDateTime::fromString(u"2026-11-30T10:00:00Z"_s, Qt::ISODate));
}

TEST(LineOwners, NoManagedFieldsMeansNoOwners) {
    const kubeobj::Object object =
        kubeobj::Object::fromTrustedJson(QJsonObject{{u"apiVersion"_s, u"v1"_s},
                                                     {u"kind"_s, u"ConfigMap"_s},
                                                     {u"metadata"_s, QJsonObject{{u"name"_s, u"c"_s}}}});
    const auto owners = diff::lineOwners(object, {});
    ASSERT_EQ(owners.size(), object.yamlLines().size());
    for (const diff::LineOwner& owner : owners)
        EXPECT_TRUE(owner.isNull());
}

} // namespace
