#pragma once

#include <QJsonValue>

namespace driftdeck::kubeobj {

// RFC 7386 merge of `patch` into `target` (null deletes, objects merge, everything else replaces).
QJsonValue mergeJson(const QJsonValue& target, const QJsonValue& patch);

} // namespace driftdeck::kubeobj
