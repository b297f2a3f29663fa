#include "manifest/rendercache.h"

#include "manifest/renderer.h"

namespace driftdeck::manifest {

RenderCache::RenderCache(qsizetype capacity)
    : m_capacity(qMax<qsizetype>(1, capacity)) {}

RenderCache::Key RenderCache::keyOf(const QByteArray& treeId, const QByteArray& settingsHash) {
    return treeId + '|' + settingsHash;
}

Result<RenderResult> RenderCache::getOrRender(const QByteArray& treeId, const QByteArray& settingsHash,
                                              const RenderFunction& render) {
    const Key key = keyOf(treeId, settingsHash);
    {
        std::unique_lock lock(m_mutex);
        // Someone else is rendering this key: wait for them instead of rendering it again.
        if (m_inFlight.contains(key))
            ++m_stats.waits;
        m_renderFinished.wait(lock, [&] { return !m_inFlight.contains(key); });
        const auto found = m_entries.find(key);
        if (found != m_entries.end()) {
            m_lru.splice(m_lru.begin(), m_lru, found->position);
            ++m_stats.hits;
            return found->result;
        }
        ++m_stats.misses;
        m_inFlight.insert(key, 1);
    }

    Result<RenderResult> result = render();

    {
        std::lock_guard lock(m_mutex);
        m_inFlight.remove(key);
        if (result)
            insertLocked(key, result.value());
    }
    m_renderFinished.notify_all();
    return result;
}

void RenderCache::insertLocked(const Key& key, const RenderResult& result) {
    const auto found = m_entries.find(key);
    if (found != m_entries.end()) {
        found->result = result;
        m_lru.splice(m_lru.begin(), m_lru, found->position);
        return;
    }
    m_lru.push_front(key);
    m_entries.insert(key, Entry{result, m_lru.begin()});
    while (m_entries.size() > m_capacity) {
        m_entries.remove(m_lru.back());
        m_lru.pop_back();
        ++m_stats.evictions;
    }
}

bool RenderCache::contains(const QByteArray& treeId, const QByteArray& settingsHash) const {
    std::lock_guard lock(m_mutex);
    return m_entries.contains(keyOf(treeId, settingsHash));
}

qsizetype RenderCache::size() const {
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

RenderCache::Stats RenderCache::stats() const {
    std::lock_guard lock(m_mutex);
    return m_stats;
}

Result<RenderResult> renderCached(RenderCache& cache, const QByteArray& treeId,
                                  const RenderRequest& request) {
    return cache.getOrRender(treeId, settingsHash(request), [&request] { return renderManifests(request); });
}

void RenderCache::clear() {
    std::lock_guard lock(m_mutex);
    m_entries.clear();
    m_lru.clear();
}

} // namespace driftdeck::manifest
