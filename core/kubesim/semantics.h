#pragma once

// Object semantics of kubesim: what a real API server does to an object between decoding a request
// and storing it (defaulting, patching, server-side apply, managedFields, field validation, the
// generation rule). Everything here is pure: QJsonObject in, QJsonObject or ApiError out, no I/O,
// no clock (timestamps are passed in), no global state. Safe to call from any thread.
//
// NOTE for the serving half: `ResourceType` lives in the registry header; these functions take a
// small KindRef {group, version, kind} instead, so the two headers never clash. Whether a kind is
// built in (Deployment, Service, ...) or custom (served from a CRD) is decided here from
// group+kind: custom kinds get no defaults, no schema, atomic lists, and 415 for strategic merge.

#include "kubeobj/defaulting.h"
#include "kubeobj/kindref.h"
#include "kubesim/apierror.h"

#include <QByteArray>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace driftdeck::kubesim {

// The object-model pieces kubesim shares with the product live in core/kubeobj.
using kubeobj::hasStatusSubresource;
using kubeobj::isBuiltinKind;
using kubeobj::KindRef;

// ---- Defaulting ---------------------------------------------------------------------------------

using kubeobj::applyDefaults; // kubeobj/defaulting.h

// Hands out Service cluster IPs from 10.96.0.0/12 (10.96.0.1 is kept for the `kubernetes` Service)
// and node ports from 30000-32767. One per simulated cluster; not thread-safe.
class ServiceAddressAllocator {
public:
    // Marks an address/port as taken (e.g. when loading existing objects).
    void reserveClusterIP(const QString& ip);
    void reserveNodePort(int port);
    // Fills spec.clusterIP/clusterIPs (unless type ExternalName or clusterIP "None") and, for
    // NodePort/LoadBalancer, each port's nodePort where absent. A requested address or port that is
    // taken or out of range gives 422 Invalid (like the real server); nothing is reserved then.
    // On update pass the stored version as `previous`: what it holds stays its own, and node ports
    // it no longer uses (type changed back to ClusterIP) are released.
    std::optional<ApiError> allocate(QJsonObject& service, const QJsonObject& previous = {});
    // Returns the service's address and node ports to the pool (on delete).
    void release(const QJsonObject& service);

private:
    QString nextClusterIP();
    int nextNodePort();
    QSet<QString> m_ips;
    QSet<int> m_ports;
    quint32 m_nextIp = 10;
    int m_nextPort = 30000;
};

// ---- Patches ------------------------------------------------------------------------------------
// Each returns the patched object, or the ApiError the real server sends (400 for malformed
// patches, 422 for a failed json-patch `test` or a bad path, 415 for strategic merge on custom
// kinds). The caller keeps metadata it controls (uid, resourceVersion, ...) as it sees fit.

// RFC 7386 JSON merge patch (application/merge-patch+json).
std::variant<QJsonObject, ApiError> mergePatch(const KindRef& kind, const QJsonObject& live,
                                               const QByteArray& patchJson);
// RFC 6902 JSON patch (application/json-patch+json): add, remove, replace, move, copy, test,
// "-" as the end of an array, ~0 and ~1 escapes.
std::variant<QJsonObject, ApiError> jsonPatch(const KindRef& kind, const QJsonObject& live,
                                              const QByteArray& patchJson);
// Kubernetes strategic merge patch (application/strategic-merge-patch+json) with the list merge
// keys of the built-in types and the $patch, $retainKeys, $setElementOrder/<list>,
// $deleteFromPrimitiveList/<list> directives.
std::variant<QJsonObject, ApiError> strategicMergePatch(const KindRef& kind, const QJsonObject& live,
                                                        const QByteArray& patchJson);

// ---- Server-side apply and managedFields ----------------------------------------------------------

// Applies `applied` (the request body, already parsed from YAML/JSON) for `manager`. `live` is empty
// when the object does not exist yet. Returns the merged object with metadata.managedFields updated
// (an Apply entry for `manager`, other managers' entries trimmed of fields that moved), or 409
// Conflict in the real message shape when another manager owns a field with a different value and
// !force. Defaults are NOT applied: the caller runs applyDefaults() on the result afterwards (so
// defaulted fields are not owned by the applier, as on a real server). `timestamp` is RFC 3339
// ("2026-11-22T00:47:37Z").
std::variant<QJsonObject, ApiError> serverSideApply(const KindRef& kind, const QJsonObject& live,
                                                    const QJsonObject& applied, const QString& manager,
                                                    bool force, const QString& timestamp);

// Records an Update (create, PUT, non-apply PATCH) in newObj's metadata.managedFields: `manager`
// gains every field whose value differs between oldObj and newObj (all fields on create, when
// oldObj is empty), other managers lose them. Call it after defaulting, as the real server does
// (an Update manager owns the defaults it caused). `subresource` is e.g. "status" or "scale".
void recordUpdate(const KindRef& kind, const QJsonObject& oldObj, QJsonObject& newObj, const QString& manager,
                  const QString& operation, const QString& timestamp, const QString& subresource = {});

// The manager the real server uses when ?fieldManager= is absent: the User-Agent up to the first
// "/" ("kubectl/v1.32.0 (linux/amd64) ..." gives "kubectl"), truncated to 128 characters.
QString defaultFieldManager(const QString& userAgent);

// ---- Validation and the generation rule -----------------------------------------------------------

// Fields a built-in kind does not know, as paths like "spec.template.spec.containers[0].imagePullPolcy"
// (for ?fieldValidation=Strict → 400 `strict decoding error: unknown field "<path>"`, Warn → a
// Warning header). Empty for custom kinds and for kinds without a schema here.
QStringList unknownFields(const KindRef& kind, const QJsonObject& obj);

// Checks the rules a real server enforces with 422 Invalid that clients hit in practice: metadata
// name is a DNS subdomain/label, containers have name and image, Deployment/ReplicaSet/StatefulSet/
// DaemonSet selector is present and matches the template labels, Service ports are in range.
// Returns the 422 ApiError with details.causes, or nothing when valid.
std::optional<ApiError> validateObject(const KindRef& kind, const QJsonObject& obj);

// True when metadata.generation must be bumped: something outside metadata and status changed
// (for CRDs too; the real server bumps CRs on any non-metadata non-status change when the status
// subresource is enabled). Kinds without spec (ConfigMap, Secret, ServiceAccount, RBAC) do have a
// generation in the real server, but it never changes after creation: returns false for them.
bool specChanged(const KindRef& kind, const QJsonObject& oldObj, const QJsonObject& newObj);

// True when objects of this kind carry metadata.generation (the server sets 1 on create and bumps
// it when specChanged()): workloads, HPA, Ingress, NetworkPolicy, PDB, CRDs and every custom
// resource; not Pods (in 1.32), Services, ConfigMaps, Secrets, Namespaces, RBAC.
bool tracksGeneration(const KindRef& kind);

// What an update through the main resource or /status may change, as on a real server: a main
// resource update keeps oldObj's status (for kinds with a status subresource); a /status update
// keeps everything but status from oldObj. `subresource` is "" or "status". Call before recordUpdate.
void restrictToSubresource(const KindRef& kind, const QJsonObject& oldObj, QJsonObject& newObj,
                           const QString& subresource);

} // namespace driftdeck::kubesim
