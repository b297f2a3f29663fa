#pragma once

#include "model/error.h"
#include "model/resourcekey.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <memory>

// One Kubernetes object, desired (from Git) or live (from a cluster): immutable and implicitly
// shared, so the live cache, the renderers, the diff and the UI hand it around without copying the
// JSON. Its canonical YAML lines and its hash are computed once, on first use, from any thread.
namespace driftdeck::kubeobj {

class Object {
public:
    Object() = default; // the null object: no key, empty JSON

    // Checks that `json` is an object (apiVersion, kind and metadata.name present and strings).
    static Result<Object> fromJson(QJsonObject json);
    // For JSON already known to be an object (a server's answer, a checked render).
    static Object fromTrustedJson(QJsonObject json);

    bool isNull() const { return !d; }
    const ResourceKey& key() const;
    GroupVersionKind gvk() const;
    QString apiVersion() const;
    QString uid() const;
    QString resourceVersion() const;
    QString namespaceName() const { return key().ns; }
    QString name() const { return key().name; }
    const QJsonObject& json() const;
    // metadata.annotations[name], or "".
    QString annotation(const QString& name) const;

    // Canonical YAML (core/yaml's writer), one entry a line, without line ends.
    const QStringList& yamlLines() const;
    // SHA-256 of the canonical JSON (keys sorted): equal objects have equal hashes.
    const QByteArray& hash() const;

    // A new object with other JSON (the key is read again from it).
    Object withJson(QJsonObject json) const { return fromTrustedJson(std::move(json)); }
    // A new object in namespace `ns` ("" removes metadata.namespace: cluster-scoped kinds).
    Object withNamespace(const QString& ns) const;

    // Same JSON (by hash when both were hashed already, else by value).
    bool operator==(const Object& other) const;

private:
    struct Data;
    explicit Object(std::shared_ptr<const Data> data)
        : d(std::move(data)) {}
    std::shared_ptr<const Data> d;
};

} // namespace driftdeck::kubeobj

Q_DECLARE_METATYPE(driftdeck::kubeobj::Object)
