#include "kubesim/admission.h"

#include "kubesim/semantics.h"

#include <QDateTime>

// Every call goes to the object semantics (semantics.h). What stays local: the status rule for
// custom resources with a status subresource (semantics only knows built-in kinds' subresources)
// and treating /scale writes like main-resource writes.
namespace driftdeck::kubesim::admission {
namespace {

KindRef kindOf(const ResourceType& type) {
    return KindRef{type.group, type.version, type.kind};
}

} // namespace

QString now() {
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

void applyDefaults(const ResourceType& type, QJsonObject& obj) {
    kubesim::applyDefaults(kindOf(type), obj);
}

std::optional<ApiError> validate(const ResourceType& type, const QJsonObject& obj) {
    return validateObject(kindOf(type), obj);
}

QStringList unknownFields(const ResourceType& type, const QJsonObject& obj) {
    return kubesim::unknownFields(kindOf(type), obj);
}

bool tracksGeneration(const ResourceType& type) {
    return kubesim::tracksGeneration(kindOf(type));
}

bool specChanged(const ResourceType& type, const QJsonObject& oldObj, const QJsonObject& newObj) {
    return kubesim::specChanged(kindOf(type), oldObj, newObj);
}

void restrictToSubresource(const ResourceType& type, const QJsonObject& oldObj, QJsonObject& newObj,
                           const QString& subresource) {
    const QString effective = subresource == QLatin1String("status") ? subresource : QString();
    if (isBuiltinKind(kindOf(type))) {
        kubesim::restrictToSubresource(kindOf(type), oldObj, newObj, effective);
        return;
    }
    if (!type.hasStatus)
        return;
    const QString status = QStringLiteral("status");
    if (effective == status) {
        const QJsonValue newStatus = newObj.value(status);
        QJsonObject kept = oldObj;
        kept.insert(QStringLiteral("metadata"), newObj.value(QStringLiteral("metadata")));
        if (newStatus.isUndefined())
            kept.remove(status);
        else
            kept.insert(status, newStatus);
        newObj = kept;
    } else if (oldObj.contains(status)) {
        newObj.insert(status, oldObj.value(status));
    } else {
        newObj.remove(status);
    }
}

void recordUpdate(const ResourceType& type, const QJsonObject& oldObj, QJsonObject& newObj,
                  const QString& manager, const QString& operation, const QString& subresource) {
    kubesim::recordUpdate(kindOf(type), oldObj, newObj, manager, operation, now(), subresource);
}

std::variant<QJsonObject, ApiError> patch(PatchType patchType, const ResourceType& type,
                                          const QJsonObject& live, const QByteArray& body) {
    switch (patchType) {
    case PatchType::Merge:
        return mergePatch(kindOf(type), live, body);
    case PatchType::Json:
        return jsonPatch(kindOf(type), live, body);
    case PatchType::Strategic:
        return strategicMergePatch(kindOf(type), live, body);
    }
    return live;
}

std::variant<QJsonObject, ApiError> apply(const ResourceType& type, const QJsonObject& live,
                                          const QJsonObject& applied, const QString& manager, bool force) {
    return serverSideApply(kindOf(type), live, applied, manager, force, now());
}

QString defaultFieldManager(const QString& userAgent) {
    return kubesim::defaultFieldManager(userAgent);
}

} // namespace driftdeck::kubesim::admission
