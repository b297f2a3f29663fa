// What the store does with the file itself: it upgrades an old schema keeping the records, refuses
// a newer one, names a damaged or locked file and the fix, and keeps working once the lock is gone.

#include "historytestsupport.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>

using namespace driftdeck;
using namespace driftdeck::history;
using driftdeck::test::awaitResult;
using driftdeck::test::RawSqlite;
using driftdeck::test::sampleRecord;

namespace {

class HistoryFileTest : public driftdeck::test::HistoryTest {
protected:
    void SetUp() override {
        HistoryTest::SetUp();
        ASSERT_TRUE(QDir().mkpath(QFileInfo(databasePath()).absolutePath()));
    }
    HistoryStore store;
};

// Schema version 1 as the first release wrote it, kept here by hand on purpose: the test must
// not build the old file with the code under test.
void writeVersion1(RawSqlite& raw) {
    raw.exec(QStringLiteral(
        "CREATE TABLE operations (id INTEGER PRIMARY KEY AUTOINCREMENT, operation_id TEXT NOT NULL UNIQUE,"
        " started_at INTEGER NOT NULL, finished_at INTEGER, os_user TEXT NOT NULL, kind TEXT NOT NULL,"
        " application TEXT NOT NULL, cluster TEXT NOT NULL, revision TEXT NOT NULL,"
        " revision_label TEXT NOT NULL, options TEXT NOT NULL, outcome TEXT NOT NULL, error TEXT NOT NULL)"));
    raw.exec(QStringLiteral(
        "CREATE TABLE resource_outcomes (operation INTEGER NOT NULL REFERENCES operations(id) ON DELETE "
        "CASCADE, position INTEGER NOT NULL, resource_group TEXT NOT NULL, kind TEXT NOT NULL, namespace "
        "TEXT "
        "NOT NULL, name TEXT NOT NULL, action TEXT NOT NULL, status TEXT NOT NULL, message TEXT NOT NULL,"
        " PRIMARY KEY (operation, position))"));
    // 2026-11-30T09:00:00Z and an hour later, in ms since the epoch.
    raw.exec(QStringLiteral(
        "INSERT INTO operations VALUES (1, 'old-1', 1796029200000, 1796029260000, 'bob', 'sync', 'web',"
        " 'prod', 'aaaa', 'main', '{\"prune\":true}', 'Succeeded', '')"));
    raw.exec(QStringLiteral(
        "INSERT INTO operations VALUES (2, 'old-2', 1796032800000, NULL, 'bob', 'rollback', 'web', 'prod',"
        " 'bbbb', 'v1.2', '{}', 'Failed', 'apply failed')"));
    raw.exec(
        QStringLiteral("INSERT INTO resource_outcomes VALUES (1, 0, 'apps', 'Deployment', 'shop', 'cart',"
                       " 'apply', 'Synced', '')"));
    raw.exec(QStringLiteral("INSERT INTO resource_outcomes VALUES (1, 1, '', 'Service', 'shop', 'cart',"
                            " 'apply', 'Synced', 'configured')"));
    raw.exec(QStringLiteral("PRAGMA user_version = 1"));
}

TEST_F(HistoryFileTest, NewFileGetsTheCurrentSchemaInWalMode) {
    ASSERT_TRUE(awaitResult(store.open(databasePath())).ok());
    ASSERT_TRUE(awaitResult(store.record(sampleRecord())).ok());
    RawSqlite raw(databasePath());
    EXPECT_EQ(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 2);
    EXPECT_EQ(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
    EXPECT_EQ(raw.names(QStringLiteral("table")).filter(QStringLiteral("app_state")).size(), 1);
}

TEST_F(HistoryFileTest, Version1FileIsMigratedWithItsRecordsKept) {
    {
        RawSqlite raw(databasePath());
        ASSERT_TRUE(raw.ok());
        writeVersion1(raw);
        EXPECT_FALSE(raw.names(QStringLiteral("table")).contains(QStringLiteral("app_state")));
    }
    Status opened = awaitResult(store.open(databasePath()));
    ASSERT_TRUE(opened.ok()) << opened.error().message.toStdString();

    HistoryQuery query;
    query.includeResources = true;
    Result<HistoryPage> page = awaitResult(store.operations(query));
    ASSERT_TRUE(page.ok()) << page.error().message.toStdString();
    ASSERT_EQ(page->totalCount, 2);
    const OperationRecord& rollback = page->operations[0];
    const OperationRecord& sync = page->operations[1];
    EXPECT_EQ(rollback.operationId, QStringLiteral("old-2"));
    EXPECT_EQ(rollback.kind, QStringLiteral("rollback"));
    EXPECT_EQ(rollback.revisionLabel, QStringLiteral("v1.2"));
    EXPECT_EQ(rollback.error, QStringLiteral("apply failed"));
    EXPECT_FALSE(rollback.finishedAt.isValid());
    EXPECT_EQ(sync.operationId, QStringLiteral("old-1"));
    EXPECT_EQ(sync.startedAt, QDateTime::fromString(QStringLiteral("2026-11-30T09:00:00Z"), Qt::ISODate));
    EXPECT_EQ(sync.options.value(QStringLiteral("prune")).toBool(), true);
    EXPECT_EQ(sync.resourcesOmitted, 0) << "the column added by version 2 has its default";
    ASSERT_EQ(sync.resources.size(), 2);
    EXPECT_EQ(sync.resources[1].kind, QStringLiteral("Service"));
    EXPECT_EQ(sync.resources[1].message, QStringLiteral("configured"));

    // What version 2 added works on the upgraded file.
    AppState paused{QStringLiteral("web"), QStringLiteral("bbbb"), true, QStringLiteral("rollback"), {}};
    ASSERT_TRUE(awaitResult(store.setAppState(paused)).ok());
    EXPECT_TRUE(awaitResult(store.appState(QStringLiteral("web")))->autoSyncPaused);
    Result<qint64> added = awaitResult(store.record(sampleRecord()));
    ASSERT_TRUE(added.ok());
    EXPECT_EQ(*added, 3);

    RawSqlite raw(databasePath());
    EXPECT_EQ(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 2);
    const QStringList indexes = raw.names(QStringLiteral("index"));
    EXPECT_TRUE(indexes.contains(QStringLiteral("operations_by_application")))
        << indexes.join(u' ').toStdString();
    EXPECT_TRUE(indexes.contains(QStringLiteral("operations_by_cluster")));
}

TEST_F(HistoryFileTest, NewerSchemaIsRefusedAndLeftUntouched) {
    {
        RawSqlite raw(databasePath());
        raw.exec(QStringLiteral("CREATE TABLE operations_v9 (x TEXT)"));
        raw.exec(QStringLiteral("PRAGMA user_version = 9"));
    }
    Status opened = awaitResult(store.open(databasePath()));
    ASSERT_FALSE(opened.ok());
    const QString message = opened.error().message;
    EXPECT_TRUE(message.contains(databasePath())) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("schema version 9"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("newer"))) << message.toStdString();

    // Every later call says the same, at once.
    Result<qint64> recorded = awaitResult(store.record(sampleRecord()));
    ASSERT_FALSE(recorded.ok());
    EXPECT_EQ(recorded.error().message, message);

    RawSqlite raw(databasePath());
    EXPECT_EQ(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 9);
    EXPECT_EQ(raw.names(QStringLiteral("table")), QStringList{QStringLiteral("operations_v9")});
}

TEST_F(HistoryFileTest, SomeoneElsesDatabaseIsNotWritten) {
    {
        RawSqlite raw(databasePath());
        raw.exec(QStringLiteral("CREATE TABLE customers (name TEXT)"));
    }
    Status opened = awaitResult(store.open(databasePath()));
    ASSERT_FALSE(opened.ok());
    EXPECT_TRUE(opened.error().message.contains(QStringLiteral("not a Driftdeck history")))
        << opened.error().message.toStdString();
    RawSqlite raw(databasePath());
    EXPECT_EQ(raw.names(QStringLiteral("table")), QStringList{QStringLiteral("customers")});
}

TEST_F(HistoryFileTest, DamagedFileNamesTheFileAndTheFix) {
    QByteArray garbage(64 * 1024, Qt::Uninitialized);
    QRandomGenerator random(20261130);
    for (char& byte : garbage)
        byte = static_cast<char>(random.bounded(256));
    {
        QFile file(databasePath());
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(garbage);
    }
    Status opened = awaitResult(store.open(databasePath()));
    ASSERT_FALSE(opened.ok());
    const Error error = opened.error();
    EXPECT_EQ(error.code, Error::Code::Invalid);
    EXPECT_TRUE(error.message.contains(databasePath())) << error.message.toStdString();
    EXPECT_TRUE(error.message.contains(QStringLiteral("damaged"))) << error.message.toStdString();
    EXPECT_TRUE(error.message.contains(QStringLiteral("Move it aside"))) << error.message.toStdString();

    EXPECT_EQ(awaitResult(store.operations()).error().message, error.message);
    EXPECT_EQ(driftdeck::test::readFile(databasePath()), garbage) << "a damaged file is never rewritten";

    // The fix the message names works.
    ASSERT_TRUE(QFile::rename(databasePath(), databasePath() + QStringLiteral(".damaged")));
    ASSERT_TRUE(awaitResult(store.open(databasePath())).ok());
    EXPECT_TRUE(awaitResult(store.record(sampleRecord())).ok());
}

TEST_F(HistoryFileTest, LockedFileFailsWritesClearlyAndRecoversWhenReleased) {
    ASSERT_TRUE(awaitResult(store.open(databasePath())).ok());
    ASSERT_TRUE(awaitResult(store.record(sampleRecord())).ok());

    auto locker = std::make_unique<RawSqlite>(databasePath());
    ASSERT_TRUE(locker->exec(QStringLiteral("BEGIN EXCLUSIVE")));
    OperationRecord second = sampleRecord(QStringLiteral("api"));
    Result<qint64> blocked = awaitResult(store.record(second));
    ASSERT_FALSE(blocked.ok());
    EXPECT_EQ(blocked.error().code, Error::Code::Unavailable);
    EXPECT_TRUE(blocked.error().context.retryable);
    const QString message = blocked.error().message;
    EXPECT_TRUE(message.contains(databasePath())) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("locked by another process"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("not recorded"))) << message.toStdString();
    // In WAL mode a writer does not stop readers: the history stays readable.
    Result<HistoryPage> readable = awaitResult(store.operations());
    ASSERT_TRUE(readable.ok()) << readable.error().message.toStdString();
    EXPECT_EQ(readable->totalCount, 1);

    ASSERT_TRUE(locker->exec(QStringLiteral("ROLLBACK")));
    locker.reset();
    Result<qint64> after = awaitResult(store.record(second));
    ASSERT_TRUE(after.ok()) << after.error().message.toStdString();
    EXPECT_EQ(awaitResult(store.operations())->totalCount, 2);
}

TEST_F(HistoryFileTest, OpeningALockedFileFailsClearlyAndTheNextCallOpensIt) {
    // A file another program holds exclusively before it was ever in WAL mode: even reading waits.
    auto locker = std::make_unique<RawSqlite>(databasePath());
    writeVersion1(*locker);
    ASSERT_TRUE(locker->exec(QStringLiteral("BEGIN EXCLUSIVE")));
    ASSERT_TRUE(locker->exec(QStringLiteral("DELETE FROM resource_outcomes WHERE operation = 2")));
    Status opened = awaitResult(store.open(databasePath()));
    ASSERT_FALSE(opened.ok());
    EXPECT_TRUE(opened.error().message.contains(QStringLiteral("locked by another process")))
        << opened.error().message.toStdString();
    EXPECT_TRUE(opened.error().message.contains(databasePath()));

    ASSERT_TRUE(locker->exec(QStringLiteral("COMMIT")));
    locker.reset();
    // Failed only for the lock: the next call opens the file again by itself.
    Result<HistoryPage> page = awaitResult(store.operations());
    ASSERT_TRUE(page.ok()) << page.error().message.toStdString();
    EXPECT_EQ(page->totalCount, 2);
    RawSqlite raw(databasePath());
    EXPECT_EQ(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 2);
}

TEST_F(HistoryFileTest, AFolderWhereTheFileShouldBeIsReported) {
    ASSERT_TRUE(QDir().mkpath(databasePath()));
    Status opened = awaitResult(store.open(databasePath()));
    ASSERT_FALSE(opened.ok());
    EXPECT_TRUE(opened.error().message.contains(QStringLiteral("is a folder")))
        << opened.error().message.toStdString();
}

} // namespace
