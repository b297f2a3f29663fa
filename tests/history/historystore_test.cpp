// The store's contract with its callers: records come back as they went in, pages are newest
// first and filtered, application state survives, and no call waits on the disk.

#include "historytestsupport.h"

#include <QDir>
#include <QSemaphore>
#include <QThread>
#include <QUuid>

#include <atomic>

using namespace driftdeck;
using namespace driftdeck::history;
using driftdeck::test::awaitResult;
using driftdeck::test::sampleRecord;

namespace {

class HistoryStoreTest : public driftdeck::test::HistoryTest {
protected:
    void SetUp() override {
        HistoryTest::SetUp();
        Status opened = awaitResult(store.open());
        ASSERT_TRUE(opened.ok()) << opened.error().message.toStdString();
    }
    HistoryStore store;
};

ResourceOutcome resource(const QString& name, const QString& status, const QString& message = {}) {
    return {QStringLiteral("apps"),
            QStringLiteral("Deployment"),
            QStringLiteral("shop"),
            name,
            QStringLiteral("apply"),
            status,
            message};
}

TEST_F(HistoryStoreTest, DefaultPathFollowsXdgDataHome) {
    EXPECT_EQ(HistoryStore::defaultPath(), databasePath());
    EXPECT_TRUE(QFileInfo::exists(databasePath())) << "open() with no path creates the default file";
    qunsetenv("XDG_DATA_HOME");
    EXPECT_EQ(HistoryStore::defaultPath(),
              QDir::homePath() + QStringLiteral("/.local/share/driftdeck/history.sqlite"));
    qputenv("XDG_DATA_HOME", "relative/dir");
    EXPECT_EQ(HistoryStore::defaultPath(),
              QDir::homePath() + QStringLiteral("/.local/share/driftdeck/history.sqlite"))
        << "a relative XDG_DATA_HOME is ignored, as the XDG specification says";
}

TEST_F(HistoryStoreTest, RecordAndUpdateRoundTrip) {
    OperationRecord running = sampleRecord();
    running.operationId = QStringLiteral("op-1");
    running.resources = {resource(QStringLiteral("cart"), QStringLiteral("Running"))};
    Result<qint64> id = awaitResult(store.record(running));
    ASSERT_TRUE(id.ok()) << id.error().message.toStdString();
    EXPECT_GT(*id, 0);

    OperationRecord expected = running;
    expected.id = *id;
    Result<OperationRecord> stored = awaitResult(store.operation(*id));
    ASSERT_TRUE(stored.ok()) << stored.error().message.toStdString();
    EXPECT_EQ(*stored, expected);
    EXPECT_FALSE(stored->finishedAt.isValid());

    OperationRecord finished = expected;
    finished.finishedAt = running.startedAt.addSecs(42);
    finished.outcome = QStringLiteral("PartiallySucceeded");
    finished.error = QStringLiteral("1 of 3 resources failed");
    finished.resources = {resource(QStringLiteral("cart"), QStringLiteral("Synced")),
                          resource(QStringLiteral("checkout"), QStringLiteral("Failed"),
                                   QStringLiteral("admission webhook denied")),
                          {QString(), QStringLiteral("ConfigMap"), QStringLiteral("shop"),
                           QStringLiteral("old"), QStringLiteral("prune"), QStringLiteral("Pruned"),
                           QString()}};
    Status updated = awaitResult(store.update(finished));
    ASSERT_TRUE(updated.ok()) << updated.error().message.toStdString();
    stored = awaitResult(store.operation(*id));
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(*stored, finished);
    EXPECT_EQ(stored->finishedAt.toMSecsSinceEpoch() - stored->startedAt.toMSecsSinceEpoch(), 42000);

    // A bare update (id, outcome, finish time) changes those and keeps the rest.
    OperationRecord bare;
    bare.id = *id;
    bare.outcome = QStringLiteral("Failed");
    bare.finishedAt = finished.finishedAt.addSecs(1);
    Status updatedAgain = awaitResult(store.update(bare));
    ASSERT_TRUE(updatedAgain.ok()) << updatedAgain.error().message.toStdString();
    OperationRecord expectedAfterBare = finished;
    expectedAfterBare.outcome = bare.outcome;
    expectedAfterBare.finishedAt = bare.finishedAt;
    expectedAfterBare.error.clear();
    EXPECT_EQ(*awaitResult(store.operation(*id)), expectedAfterBare);
}

TEST_F(HistoryStoreTest, FillsInUserOperationIdAndStartTime) {
    OperationRecord bare;
    bare.kind = QStringLiteral("revert");
    bare.application = QStringLiteral("web");
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    Result<qint64> id = awaitResult(store.record(bare));
    ASSERT_TRUE(id.ok()) << id.error().message.toStdString();
    Result<OperationRecord> stored = awaitResult(store.operation(*id));
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->user, currentOsUser());
    EXPECT_FALSE(stored->user.isEmpty());
    EXPECT_FALSE(QUuid::fromString(stored->operationId).isNull()) << stored->operationId.toStdString();
    EXPECT_EQ(stored->outcome, QStringLiteral("Running"));
    EXPECT_GE(stored->startedAt, before);
}

TEST_F(HistoryStoreTest, UpdateByOperationIdNeedsNoRoundTrip) {
    // The engine records the start and the end without waiting for the id in between: calls run
    // in order on the history thread.
    OperationRecord start = sampleRecord();
    start.operationId = QStringLiteral("job-77");
    OperationRecord end = start;
    end.outcome = QStringLiteral("Succeeded");
    end.finishedAt = start.startedAt.addSecs(5);
    QFuture<Result<qint64>> recorded = store.record(start);
    QFuture<Status> updated = store.update(end);
    Status done = awaitResult(updated);
    ASSERT_TRUE(done.ok()) << done.error().message.toStdString();
    Result<qint64> id = awaitResult(recorded);
    ASSERT_TRUE(id.ok());
    Result<OperationRecord> stored = awaitResult(store.operation(*id));
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->outcome, QStringLiteral("Succeeded"));
    EXPECT_EQ(stored->finishedAt, end.finishedAt);
}

TEST_F(HistoryStoreTest, RefusesWhatItCannotStore) {
    OperationRecord unknownKind = sampleRecord(QStringLiteral("web"), QStringLiteral("deploy"));
    Result<qint64> refused = awaitResult(store.record(unknownKind));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, Error::Code::Invalid);
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("deploy")));

    OperationRecord missing = sampleRecord();
    missing.id = 999;
    Status notFound = awaitResult(store.update(missing));
    ASSERT_FALSE(notFound.ok());
    EXPECT_EQ(notFound.error().code, Error::Code::NotFound);
    EXPECT_TRUE(notFound.error().message.contains(QStringLiteral("999")));

    OperationRecord twice = sampleRecord();
    twice.operationId = QStringLiteral("same");
    ASSERT_TRUE(awaitResult(store.record(twice)).ok());
    Result<qint64> duplicate = awaitResult(store.record(twice));
    ASSERT_FALSE(duplicate.ok());
    EXPECT_EQ(duplicate.error().code, Error::Code::Conflict);

    EXPECT_EQ(awaitResult(store.operation(12345)).error().code, Error::Code::NotFound);
}

TEST_F(HistoryStoreTest, PagesAreNewestFirstAndFiltered) {
    // 9 records a minute apart: applications alternate web/api, clusters cycle a/b/c, every
    // third is a rollback.
    QList<qint64> ids;
    for (int i = 0; i < 9; ++i) {
        OperationRecord r = sampleRecord(i % 2 ? QStringLiteral("api") : QStringLiteral("web"),
                                         i % 3 == 2 ? QStringLiteral("rollback") : QStringLiteral("sync"));
        r.cluster = QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}[i % 3];
        r.startedAt = r.startedAt.addSecs(60 * i);
        r.resources = {resource(QStringLiteral("r%1").arg(i), QStringLiteral("Synced"))};
        Result<qint64> id = awaitResult(store.record(r));
        ASSERT_TRUE(id.ok());
        ids.append(*id);
    }
    auto idsOf = [](const HistoryPage& page) {
        QList<qint64> out;
        for (const OperationRecord& r : page.operations)
            out.append(r.id);
        return out;
    };
    HistoryQuery query;
    query.limit = 4;
    Result<HistoryPage> first = awaitResult(store.operations(query));
    ASSERT_TRUE(first.ok()) << first.error().message.toStdString();
    EXPECT_EQ(first->totalCount, 9);
    EXPECT_EQ(idsOf(*first), (QList<qint64>{ids[8], ids[7], ids[6], ids[5]}));
    EXPECT_TRUE(first->operations[0].resources.isEmpty()) << "resources only when asked for";
    query.offset = 8;
    query.includeResources = true;
    Result<HistoryPage> last = awaitResult(store.operations(query));
    ASSERT_TRUE(last.ok());
    EXPECT_EQ(idsOf(*last), QList<qint64>{ids[0]});
    ASSERT_EQ(last->operations[0].resources.size(), 1);
    EXPECT_EQ(last->operations[0].resources[0].name, QStringLiteral("r0"));

    HistoryQuery web;
    web.application = QStringLiteral("web");
    Result<HistoryPage> webPage = awaitResult(store.operations(web));
    ASSERT_TRUE(webPage.ok());
    EXPECT_EQ(idsOf(*webPage), (QList<qint64>{ids[8], ids[6], ids[4], ids[2], ids[0]}));

    HistoryQuery rollbacksOnC;
    rollbacksOnC.kind = QStringLiteral("rollback");
    rollbacksOnC.cluster = QStringLiteral("c");
    Result<HistoryPage> rollbacks = awaitResult(store.operations(rollbacksOnC));
    ASSERT_TRUE(rollbacks.ok());
    EXPECT_EQ(idsOf(*rollbacks), (QList<qint64>{ids[8], ids[5], ids[2]}));
    EXPECT_EQ(rollbacks->totalCount, 3);

    HistoryQuery hostile;
    hostile.application = QStringLiteral("web' OR '1'='1");
    EXPECT_EQ(awaitResult(store.operations(hostile))->totalCount, 0);

    HistoryQuery clamped;
    clamped.limit = 100000;
    clamped.offset = -5;
    Result<HistoryPage> all = awaitResult(store.operations(clamped));
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->limit, HistoryQuery::maxLimit);
    EXPECT_EQ(all->offset, 0);
    EXPECT_EQ(all->operations.size(), 9);
    clamped.limit = 0;
    EXPECT_EQ(awaitResult(store.operations(clamped))->operations.size(), 1);
}

TEST_F(HistoryStoreTest, ApplicationStateIsPinnedPausedAndResumed) {
    Result<AppState> fresh = awaitResult(store.appState(QStringLiteral("web")));
    ASSERT_TRUE(fresh.ok()) << fresh.error().message.toStdString();
    EXPECT_EQ(fresh->application, QStringLiteral("web"));
    EXPECT_TRUE(fresh->pinnedRevision.isEmpty());
    EXPECT_FALSE(fresh->autoSyncPaused);

    AppState rolledBack;
    rolledBack.application = QStringLiteral("web");
    rolledBack.pinnedRevision = QStringLiteral("1f3c9a0b");
    rolledBack.autoSyncPaused = true;
    rolledBack.reason = QStringLiteral("rolled back to 1f3c9a0b by alice");
    rolledBack.since = QDateTime::fromString(QStringLiteral("2026-11-30T11:00:00Z"), Qt::ISODate);
    ASSERT_TRUE(awaitResult(store.setAppState(rolledBack)).ok());
    AppState other;
    other.application = QStringLiteral("api");
    other.autoSyncPaused = true;
    ASSERT_TRUE(awaitResult(store.setAppState(other)).ok());

    Result<AppState> pinned = awaitResult(store.appState(QStringLiteral("web")));
    ASSERT_TRUE(pinned.ok());
    EXPECT_EQ(*pinned, rolledBack);
    Result<QList<AppState>> all = awaitResult(store.appStates());
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 2);
    EXPECT_EQ(all->at(0).application, QStringLiteral("api"));
    EXPECT_TRUE(all->at(0).since.isValid()) << "an unset time becomes the time of the change";

    AppState resumed;
    resumed.application = QStringLiteral("web");
    resumed.since = rolledBack.since.addSecs(600);
    ASSERT_TRUE(awaitResult(store.setAppState(resumed)).ok());
    // The state outlives the store: a restart finds the application resumed.
    ASSERT_TRUE(awaitResult(store.close()).ok());
    HistoryStore reopened;
    ASSERT_TRUE(awaitResult(reopened.open(databasePath())).ok());
    Result<AppState> after = awaitResult(reopened.appState(QStringLiteral("web")));
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(*after, resumed);

    EXPECT_EQ(awaitResult(reopened.setAppState(AppState{})).error().code, Error::Code::Invalid);
}

TEST_F(HistoryStoreTest, ClosedStoreAnswersWithAnError) {
    ASSERT_TRUE(awaitResult(store.close()).ok());
    Result<qint64> refused = awaitResult(store.record(sampleRecord()));
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(refused.error().message.contains(QStringLiteral("not open")))
        << refused.error().message.toStdString();
    EXPECT_FALSE(awaitResult(store.operations()).ok());
}

TEST_F(HistoryStoreTest, CallsReturnBeforeTheWorkAndRunOnTheHistoryThread) {
    // Hold the history thread so nothing it is asked can finish before the calls return.
    QSemaphore held, release;
    auto* anchor = new QObject;
    anchor->moveToThread(store.databaseThread());
    QMetaObject::invokeMethod(
        anchor,
        [&held, &release] {
            held.release();
            release.acquire();
        },
        Qt::QueuedConnection);
    ASSERT_TRUE(held.tryAcquire(1, 60000));

    QFuture<Result<qint64>> recorded = store.record(sampleRecord());
    QFuture<Result<HistoryPage>> listed = store.operations();
    QFuture<Status> stated = store.setAppState(AppState{QStringLiteral("web"), {}, true, {}, {}});
    EXPECT_FALSE(recorded.isFinished());
    EXPECT_FALSE(listed.isFinished());
    EXPECT_FALSE(stated.isFinished());
    std::atomic<QThread*> ranOn{nullptr};
    QFuture<bool> observed = recorded.then(QtFuture::Launch::Sync, [&ranOn](Result<qint64> result) {
        ranOn = QThread::currentThread();
        return result.ok();
    });
    release.release();

    ASSERT_TRUE(driftdeck::test::waitUntil([&] { return observed.isFinished(); }, std::chrono::seconds(60)));
    EXPECT_TRUE(observed.result());
    EXPECT_EQ(ranOn.load(), store.databaseThread());
    EXPECT_NE(ranOn.load(), QThread::currentThread());
    EXPECT_EQ(awaitResult(listed)->totalCount, 1);
    EXPECT_TRUE(awaitResult(stated).ok());
    anchor->deleteLater();
}

TEST_F(HistoryStoreTest, DestroyingTheStoreFinishesCallsAlreadyMade) {
    auto* shortLived = new HistoryStore;
    const QString path = dataHome.path() + QStringLiteral("/other/history.sqlite");
    QFuture<Status> opened = shortLived->open(path);
    QFuture<Result<qint64>> recorded = shortLived->record(sampleRecord());
    delete shortLived;
    ASSERT_TRUE(opened.isFinished());
    ASSERT_TRUE(recorded.isFinished());
    ASSERT_TRUE(recorded.result().ok()) << recorded.result().error().message.toStdString();
    HistoryStore reader;
    ASSERT_TRUE(awaitResult(reader.open(path)).ok());
    EXPECT_EQ(awaitResult(reader.operations())->totalCount, 1);
}

} // namespace
