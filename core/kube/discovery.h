#pragma once

#include "kube/resourceapi.h"
#include "model/error.h"
#include "model/resourcekey.h"

#include <QFuture>
#include <QList>
#include <QString>

#include <chrono>
#include <memory>

namespace driftdeck::kube {

class ClusterClient;

// What the cluster serves: GroupVersionKind -> resource (plural), scope, verbs, preferred version.
// Answers come from memory, then from a disk cache under $XDG_CACHE_HOME/driftdeck/discovery/
// <host_port> younger than the TTL, then from the server (/api, /apis and each group version, in
// parallel). A kind that is not known triggers one fresh discovery, so new CRDs are found.
// Work runs on a private thread pool and the cluster's thread: the caller's thread never waits.
// The ClusterClient must outlive this object.
class Discovery {
public:
    explicit Discovery(ClusterClient* client, QString cacheRoot = defaultCacheRoot(),
                       std::chrono::seconds ttl = std::chrono::minutes(10));
    ~Discovery();
    Discovery(const Discovery&) = delete;
    Discovery& operator=(const Discovery&) = delete;

    static QString defaultCacheRoot();
    QString cacheFilePath() const;

    // An empty gvk.version means the group's preferred version.
    QFuture<Result<ResourceInfo>> resolve(const GroupVersionKind& gvk);
    QFuture<Result<QList<ResourceInfo>>> resources(bool refresh = false);

    // The same, waiting: for worker threads and tests; never call it on the cluster's own thread.
    Result<ResourceInfo> resolveBlocking(const GroupVersionKind& gvk);
    Result<QList<ResourceInfo>> resourcesBlocking(bool refresh = false);

    // How many times the server was asked (for tests and diagnostics).
    int serverFetches() const;

    struct State;

private:
    std::shared_ptr<State> m_state;
};

} // namespace driftdeck::kube
