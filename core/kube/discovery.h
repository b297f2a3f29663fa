#pragma once

#include "kube/resourceapi.h"
#include "model/error.h"
#include "model/resourcekey.h"

#include <QFuture>
#include <QList>
#include <QString>
#include <QUrl>

#include <chrono>
#include <memory>

namespace driftdeck::kube {

class ClusterClient;

// What the cluster serves: GroupVersionKind -> resource (plural), scope, verbs, preferred version.
// Answers come from memory, then from a disk cache under $XDG_CACHE_HOME/driftdeck/discovery/
// <host_port and path of the server URL> younger than the TTL, then from the server (/api, /apis and
// each group version, in parallel). A kind that is not known triggers one fresh discovery, so new
// CRDs are found; that it is still unknown is then remembered for `negativeTtl`, so asking again
// does not refetch everything each time.
// Nothing blocks: the requests run on the cluster's own thread through its ClusterClient and the
// answer is assembled as the replies arrive, so a hung cluster holds up only its own discovery.
// One fetch at a time per Discovery; whoever asks meanwhile waits for that fetch.
// The ClusterClient must outlive this object; destroying the Discovery does not wait.
class Discovery {
public:
    explicit Discovery(ClusterClient* client, QString cacheRoot = defaultCacheRoot(),
                       std::chrono::seconds ttl = std::chrono::minutes(10),
                       std::chrono::seconds negativeTtl = std::chrono::seconds(30));
    ~Discovery();
    Discovery(const Discovery&) = delete;
    Discovery& operator=(const Discovery&) = delete;

    static QString defaultCacheRoot();
    // <root>/<host_port and path of the server URL>/resources.json: clusters behind one host but
    // different paths (Rancher's /k8s/clusters/<id>) get caches of their own, as with kubectl.
    static QString cacheFilePath(const QString& cacheRoot, const QUrl& server);
    QString cacheFilePath() const;

    // An empty gvk.version means the group's preferred version.
    QFuture<Result<ResourceInfo>> resolve(const GroupVersionKind& gvk);
    QFuture<Result<QList<ResourceInfo>>> resources(bool refresh = false);

    // The same, waiting: for worker threads and tests; never call it on the cluster's own thread,
    // whose event loop has to deliver the replies.
    Result<ResourceInfo> resolveBlocking(const GroupVersionKind& gvk);
    Result<QList<ResourceInfo>> resourcesBlocking(bool refresh = false);

    // How many times the server was asked (for tests and diagnostics).
    int serverFetches() const;

    struct State;

private:
    std::shared_ptr<State> m_state;
};

} // namespace driftdeck::kube
