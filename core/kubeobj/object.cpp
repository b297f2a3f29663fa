#include "kubeobj/object.h"

#include "yaml/yamlcodec.h"

#include <QCryptographicHash>
#include <QJsonDocument>

#include <mutex>

namespace driftdeck::kubeobj {

struct Object::Data {
    QJsonObject json;
    ResourceKey key;
    mutable std::once_flag linesOnce;
    mutable QStringList lines;
    mutable std::once_flag hashOnce;
    mutable QByteArray hash;
};

namespace {

const ResourceKey& nullKey() {
    static const ResourceKey key;
    return key;
}

const QJsonObject& nullJson() {
    static const QJsonObject json;
    return json;
}

QString metadataString(const QJsonObject& json, QLatin1String field) {
    return json.value(QLatin1String("metadata")).toObject().value(field).toString();
}

} // namespace

Result<Object> Object::fromJson(QJsonObject json) {
    const auto isString = [&](const QJsonValue& v) { return v.isString() && !v.toString().isEmpty(); };
    if (!isString(json.value(QLatin1String("apiVersion"))) || !isString(json.value(QLatin1String("kind"))))
        return Error::make(
            Error::Code::Invalid,
            QStringLiteral("not a Kubernetes object: apiVersion and kind must be non-empty strings"));
    const QJsonValue meta = json.value(QLatin1String("metadata"));
    if (!meta.isObject() || !isString(meta.toObject().value(QLatin1String("name"))))
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("%1 has no metadata.name: every object needs a name")
                               .arg(json.value(QLatin1String("kind")).toString()));
    return fromTrustedJson(std::move(json));
}

Object Object::fromTrustedJson(QJsonObject json) {
    auto data = std::make_shared<Data>();
    data->key = ResourceKey::fromObject(json);
    data->json = std::move(json);
    return Object(std::move(data));
}

const ResourceKey& Object::key() const {
    return d ? d->key : nullKey();
}

GroupVersionKind Object::gvk() const {
    return GroupVersionKind::fromObject(json());
}

QString Object::apiVersion() const {
    return json().value(QLatin1String("apiVersion")).toString();
}

QString Object::uid() const {
    return metadataString(json(), QLatin1String("uid"));
}

QString Object::resourceVersion() const {
    return metadataString(json(), QLatin1String("resourceVersion"));
}

const QJsonObject& Object::json() const {
    return d ? d->json : nullJson();
}

QString Object::annotation(const QString& name) const {
    return json()
        .value(QLatin1String("metadata"))
        .toObject()
        .value(QLatin1String("annotations"))
        .toObject()
        .value(name)
        .toString();
}

const QStringList& Object::yamlLines() const {
    static const QStringList none;
    if (!d)
        return none;
    std::call_once(d->linesOnce, [this] {
        QString text = QString::fromUtf8(yaml::toYaml(d->json));
        if (text.endsWith(QLatin1Char('\n')))
            text.chop(1);
        d->lines = text.split(QLatin1Char('\n'));
    });
    return d->lines;
}

const QByteArray& Object::hash() const {
    static const QByteArray none;
    if (!d)
        return none;
    std::call_once(d->hashOnce, [this] {
        // QJsonObject keeps its keys sorted, so the compact form is canonical.
        d->hash = QCryptographicHash::hash(QJsonDocument(d->json).toJson(QJsonDocument::Compact),
                                           QCryptographicHash::Sha256);
    });
    return d->hash;
}

Object Object::withNamespace(const QString& ns) const {
    QJsonObject json = this->json();
    QJsonObject meta = json.value(QLatin1String("metadata")).toObject();
    if (ns.isEmpty())
        meta.remove(QStringLiteral("namespace"));
    else
        meta.insert(QStringLiteral("namespace"), ns);
    json.insert(QStringLiteral("metadata"), meta);
    return fromTrustedJson(std::move(json));
}

bool Object::operator==(const Object& other) const {
    if (d == other.d)
        return true;
    if (!d || !other.d)
        return false;
    return json() == other.json();
}

} // namespace driftdeck::kubeobj
