#pragma once

#include "kubesim/resourcetype.h"

#include <QJsonObject>
#include <QList>

// meta.k8s.io/v1 Table, which `kubectl get` asks for (Accept: application/json;as=Table;...): the
// server decides the columns. Name and Age for every type, plus the columns kubectl users expect for
// the common workload kinds.
namespace driftdeck::kubesim {

bool wantsTable(const QByteArray& acceptHeader);
QJsonObject toTable(const ResourceType& type, const QList<QJsonObject>& objects,
                    const QJsonObject& listMetadata);
// "5s", "3m", "2d4h": the server-side AGE cell.
QString humanAge(const QString& creationTimestamp);

} // namespace driftdeck::kubesim
