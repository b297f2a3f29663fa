#pragma once

#include "manifest/desiredobject.h"
#include "model/error.h"

#include <QByteArray>
#include <QHash>

#include <condition_variable>
#include <functional>
#include <list>
#include <mutex>

namespace driftdeck::manifest {

// Render results by (tree id of the application path, renderer settings hash). Git trees are
// content-addressed, so an equal key means equal input and the result can be reused: an unchanged
// path is never rendered twice. In-memory LRU, safe to use from several threads; two threads asking
// for the same missing key render it once (the second waits for the first). Failures are not
// cached: a timeout or a missing tool may be gone by the next refresh.
class RenderCache {
public:
    struct Stats {
        qint64 hits = 0;
        qint64 misses = 0; // renders started
        qint64 evictions = 0;
        qint64 waits = 0; // requests that found the same key being rendered and waited for it
    };

    explicit RenderCache(qsizetype capacity = 512);

    using RenderFunction = std::function<Result<RenderResult>()>;
    Result<RenderResult> getOrRender(const QByteArray& treeId, const QByteArray& settingsHash,
                                     const RenderFunction& render);

    bool contains(const QByteArray& treeId, const QByteArray& settingsHash) const;
    qsizetype size() const;
    qsizetype capacity() const { return m_capacity; }
    Stats stats() const;
    void clear();

private:
    using Key = QByteArray;
    using Lru = std::list<Key>; // most recently used first
    struct Entry {
        RenderResult result;
        Lru::iterator position;
    };

    static Key keyOf(const QByteArray& treeId, const QByteArray& settingsHash);
    void insertLocked(const Key& key, const RenderResult& result);

    const qsizetype m_capacity;
    mutable std::mutex m_mutex;
    std::condition_variable m_renderFinished;
    QHash<Key, Entry> m_entries;
    Lru m_lru;
    QHash<Key, int> m_inFlight;
    Stats m_stats;
};

struct RenderRequest;

// Renders through the cache: `treeId` is the Git tree id of the application path at the revision.
Result<RenderResult> renderCached(RenderCache& cache, const QByteArray& treeId, const RenderRequest& request);

} // namespace driftdeck::manifest
