#pragma once

#include "kube/resourceapi.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <chrono>
#include <optional>

// The documents of discovery: APIResourceLists from the server and the cache file on disk.
namespace driftdeck::kube::discoverydocs {

struct Snapshot {
    QList<ResourceInfo> resources;
    QHash<QString, QString> preferred; // group -> version
    QDateTime fetched;
};

// Resources of one APIResourceList; subresources ("pods/log") are not kinds of their own.
void addResources(const QJsonObject& list, const QString& group, const QString& version,
                  QList<ResourceInfo>& out);

// The cache file when it is younger than `ttl` (and not from the future); nothing when it is
// missing, stale, larger than kMaxCacheBytes or not what writeCache() writes.
std::optional<Snapshot> readCache(const QString& file, std::chrono::seconds ttl);
void writeCache(const QString& file, const Snapshot& snapshot); // atomically; failures are logged

// Tens of thousands of kinds would stay far below this.
constexpr qint64 kMaxCacheBytes = 16 * 1024 * 1024;

} // namespace driftdeck::kube::discoverydocs
