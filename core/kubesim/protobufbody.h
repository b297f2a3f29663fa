#pragma once

#include "kubesim/apierror.h"

#include <QByteArray>
#include <QJsonObject>

#include <variant>

namespace driftdeck::kubesim {

// kubectl's typed commands (`kubectl create namespace|configmap|secret|serviceaccount`) send
// application/vnd.kubernetes.protobuf bodies and do not fall back to JSON. This reads the envelope
// ("k8s\0" + runtime.Unknown) and the few simple kinds those commands create; any other kind gets
// 415 with a hint to use a manifest (kubectl create/apply -f sends JSON).
std::variant<QJsonObject, ApiError> decodeProtobufObject(const QByteArray& body);

} // namespace driftdeck::kubesim
