#pragma once

#include "kubeobj/kindref.h"

#include <QJsonObject>

namespace driftdeck::kubeobj {

// Fills in what a real API server defaults for this kind (pod specs wherever they appear,
// Deployment/StatefulSet/DaemonSet/Job/CronJob/Service/Secret/Namespace/PVC fields). Idempotent.
// Service clusterIP/nodePort allocation is not done here (kubesim's ServiceAddressAllocator).
// Secrets: stringData is folded into data (base64) and removed. kubesim serves objects with it; the
// diff uses it to know the defaults inside values an apply replaces whole (atomic structs and lists).
void applyDefaults(const KindRef& kind, QJsonObject& obj);

} // namespace driftdeck::kubeobj
