// The render cache: an unchanged path (same tree id, same settings) is never rendered twice.
#include "manifest/rendercache.h"
#include "manifest/renderer.h"
#include "manifesttestsupport.h"

#include <QTemporaryDir>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent>

#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <latch>
#include <thread>

using namespace driftdeck;
using namespace driftdeck::manifest;
using namespace Qt::StringLiterals;

namespace {

struct App {
    QString name;
    QByteArray treeId;
    RenderRequest request;
};

// One refresh as the engine does it: every application through the cache, counting real renders.
void refresh(RenderCache& cache, const QList<App>& apps, std::atomic_int& renders) {
    for (const App& app : apps) {
        const Result<RenderResult> result = cache.getOrRender(app.treeId, settingsHash(app.request), [&] {
            ++renders;
            return renderManifests(app.request);
        });
        ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
        ASSERT_EQ(result->objects.size(), 1);
    }
}

} // namespace

TEST(RenderCacheTest, UnchangedPathsAreNotRenderedAgainOnTheNextRefresh) {
    QTemporaryDir dir;
    QList<App> apps;
    for (const QString& name : {u"web"_s, u"api"_s, u"db"_s}) {
        const QString root = dir.filePath(name);
        ASSERT_TRUE(
            test::writeFile(root, u"cm.yaml"_s,
                            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name.toUtf8() + "\n"));
        apps.append({name, "tree-" + name.toUtf8(), test::requestFor(root, RendererSpec::Type::Plain, name)});
    }
    RenderCache cache;
    std::atomic_int renders{0};
    refresh(cache, apps, renders);
    EXPECT_EQ(renders, 3);
    refresh(cache, apps, renders);
    EXPECT_EQ(renders, 3) << "second refresh with unchanged trees must not render";
    EXPECT_EQ(cache.stats().hits, 3);

    // A commit changes one path: only that application renders again.
    apps[1].treeId = "tree-api-2";
    refresh(cache, apps, renders);
    EXPECT_EQ(renders, 4);

    // Changing renderer settings is a new key too.
    apps[0].request.spec.recurse = true;
    refresh(cache, apps, renders);
    EXPECT_EQ(renders, 5);
}

TEST(RenderCacheTest, SettingsHashSeesEverySetting) {
    RenderRequest base = test::requestFor(u"/x"_s, RendererSpec::Type::Helm);
    const QByteArray original = settingsHash(base);
    EXPECT_EQ(settingsHash(base), original);
    RenderRequest changed = base;
    changed.directory = u"/elsewhere"_s; // the directory is a temporary copy: not part of the key
    EXPECT_EQ(settingsHash(changed), original);
    changed = base;
    changed.spec.helm.parameters = {u"a=b"_s};
    EXPECT_NE(settingsHash(changed), original);
    changed = base;
    changed.spec.helm.valuesObject = QJsonObject{{u"a"_s, 1}};
    EXPECT_NE(settingsHash(changed), original);
    changed = base;
    changed.spec.include = {u"ab"_s};
    RenderRequest other = base;
    other.spec.include = {u"a"_s, u"b"_s};
    EXPECT_NE(settingsHash(changed), settingsHash(other));
    changed = base;
    changed.spec.type = RendererSpec::Type::Plain;
    EXPECT_NE(settingsHash(changed), original);
}

TEST(RenderCacheTest, FailuresAreNotCached) {
    RenderCache cache;
    int calls = 0;
    auto failing = [&]() -> Result<RenderResult> {
        ++calls;
        return Error::make(Error::Code::Unavailable, u"timed out"_s);
    };
    EXPECT_FALSE(cache.getOrRender("t", "s", failing).ok());
    EXPECT_FALSE(cache.getOrRender("t", "s", failing).ok());
    EXPECT_EQ(calls, 2);
    EXPECT_FALSE(cache.contains("t", "s"));
}

TEST(RenderCacheTest, LeastRecentlyUsedIsEvicted) {
    RenderCache cache(2);
    auto make = [](const QString& name) {
        return [name]() -> Result<RenderResult> {
            RenderResult result;
            result.warnings.append(name);
            return result;
        };
    };
    ASSERT_TRUE(cache.getOrRender("a", "s", make(u"a"_s)).ok());
    ASSERT_TRUE(cache.getOrRender("b", "s", make(u"b"_s)).ok());
    ASSERT_TRUE(cache.getOrRender("a", "s", make(u"a"_s)).ok()); // a becomes most recent
    ASSERT_TRUE(cache.getOrRender("c", "s", make(u"c"_s)).ok()); // evicts b
    EXPECT_TRUE(cache.contains("a", "s"));
    EXPECT_FALSE(cache.contains("b", "s"));
    EXPECT_TRUE(cache.contains("c", "s"));
    EXPECT_EQ(cache.size(), 2);
    EXPECT_EQ(cache.stats().evictions, 1);
}

TEST(RenderCacheTest, ConcurrentRequestsForOneKeyRenderOnce) {
    constexpr int kThreads = 4;
    RenderCache cache;
    std::atomic_int renders{0};
    std::latch started(kThreads);
    // The render is held until every other thread is inside getOrRender waiting for it, so the
    // in-flight wait is exercised on every run, not only when the scheduler happens to overlap them.
    auto heldRender = [&]() -> Result<RenderResult> {
        ++renders;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (cache.stats().waits < kThreads - 1 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield(); // polls a condition; the bound only stops a broken cache hanging
        const bool othersWaiting = cache.stats().waits == kThreads - 1;
        RenderResult result;
        result.warnings.append(othersWaiting ? u"done"_s : u"the other threads never waited"_s);
        return result;
    };
    QList<QFuture<bool>> futures;
    QThreadPool pool;
    pool.setMaxThreadCount(kThreads);
    for (int i = 0; i < kThreads; ++i) {
        futures.append(QtConcurrent::run(&pool, [&] {
            started.arrive_and_wait();
            const Result<RenderResult> result = cache.getOrRender("tree", "settings", heldRender);
            return result.ok() && result->warnings == QStringList{u"done"_s};
        }));
    }
    for (QFuture<bool>& future : futures)
        EXPECT_TRUE(future.result());
    EXPECT_EQ(renders, 1);
    EXPECT_EQ(cache.stats().waits, kThreads - 1);
    EXPECT_EQ(cache.stats().hits, kThreads - 1);
    EXPECT_EQ(cache.stats().misses, 1);
}

TEST(RenderCacheTest, RenderCachedUsesTheApplicationsSettings) {
    QTemporaryDir dir;
    ASSERT_TRUE(
        test::writeFile(dir.path(), u"cm.yaml"_s, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"));
    AppSpec app;
    app.name = u"web"_s;
    app.path = u"apps/web"_s;
    app.ns = u"web"_s;
    app.renderer.type = RendererSpec::Type::Plain;
    const RenderRequest request = RenderRequest::forApplication(app, dir.path());
    EXPECT_EQ(request.label(), u"app 'web' (path apps/web)"_s);
    RenderCache cache;
    ASSERT_TRUE(renderCached(cache, "tree-1", request).ok());
    // The working copy may be gone on the next refresh: the tree id alone says nothing changed.
    const RenderRequest elsewhere = RenderRequest::forApplication(app, dir.filePath(u"removed"_s));
    const Result<RenderResult> cached = renderCached(cache, "tree-1", elsewhere);
    ASSERT_TRUE(cached.ok());
    EXPECT_EQ(cached->objects.size(), 1);
    EXPECT_EQ(cache.stats().misses, 1);
    EXPECT_EQ(cache.stats().hits, 1);
}
