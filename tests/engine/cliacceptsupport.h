#pragma once

// What the CLI acceptance tests share: one application "shop" (Deployment, Service, ConfigMap and a
// Secret) in the fleet's repository, its live objects read back, and the Secret's spellings that
// must never appear in any output, log or history record.
#include "clifleetsupport.h"

#include <QJsonObject>
#include <QStringList>

namespace driftdeck::engine::test {

inline const QString kSecretValue = QStringLiteral("Acc3ptance-S3cret-Value-42");
inline const QString kRotatedSecretValue = QStringLiteral("rotated-by-hand-S3cret-77");

// The plain and base64 spellings of both Secret values.
QStringList secretSpellings();

// apps/shop/secret.yaml: Secret shop-secret with data.password = `value` (base64 as YAML has it).
void writeShopSecret(driftdeck::test::GitTestRepo& repo, const QString& value);

// The live object at an API path of cluster `client` (GET); empty when it does not exist.
QJsonObject liveObject(kube::ClusterClient* client, const QString& path);
// Shop's objects in the fleet's namespace (TestFleet::ns()).
inline QString shopConfigPath(const TestFleet& fleet) {
    return fleet.corePath(QStringLiteral("configmaps/shop-config"));
}
inline QString shopDeploymentPath(const TestFleet& fleet) {
    return fleet.appsPath(QStringLiteral("deployments/shop"));
}
inline QString shopServicePath(const TestFleet& fleet) {
    return fleet.corePath(QStringLiteral("services/shop"));
}
inline QString shopSecretPath(const TestFleet& fleet) {
    return fleet.corePath(QStringLiteral("secrets/shop-secret"));
}

// data.greeting of shop-config on the fleet's first cluster.
QString greetingOf(TestFleet& fleet);

// A ConfigMap in namespace `ns`, applied as `manager`; with a tracking id of `trackedBy` if set.
bool applyConfigMap(kube::ClusterClient* client, const QString& ns, const QString& name,
                    const QString& greeting, const QString& manager, const QString& trackedBy = {});

// In `diff -o json` output: the changes (JSON pointers) of object kind/name, with its state first.
QStringList diffEntry(const QString& diffJson, const QString& kind, const QString& name);

} // namespace driftdeck::engine::test
