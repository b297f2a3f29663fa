#pragma once

#include "history/historystore.h"
#include "testsupport.h"

#include <QFuture>
#include <QSqlDatabase>
#include <QTemporaryDir>

#include <gtest/gtest.h>

namespace driftdeck::test {

// Waits for a store call (bounded: a locked file answers within its busy timeout) and hands back
// its result; a future that ended without one reads as an Internal error.
template <typename T>
Result<T> awaitResult(const QFuture<Result<T>>& future) {
    if (!waitUntil([&] { return future.isFinished(); }, std::chrono::seconds(60)))
        return Error::make(Error::Code::Internal, QStringLiteral("the history call did not finish in 60 s"));
    if (future.resultCount() == 0)
        return Error::make(Error::Code::Internal, QStringLiteral("the history call ended without a result"));
    return future.result();
}

// Every test gets its own XDG_DATA_HOME, so nothing touches the user's real history.
class HistoryTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;
    QString databasePath() const { return dataHome.path() + QStringLiteral("/driftdeck/history.sqlite"); }

    QTemporaryDir dataHome;
    QByteArray savedDataHome;
    bool hadDataHome = false;
};

history::OperationRecord sampleRecord(const QString& application = QStringLiteral("web"),
                                      const QString& kind = QStringLiteral("sync"));

// The test's own SQLite connection to a history file, on the test thread: to build old files by
// hand, to hold a lock, to look at what the store wrote.
class RawSqlite {
public:
    explicit RawSqlite(const QString& path);
    ~RawSqlite();
    RawSqlite(const RawSqlite&) = delete;
    RawSqlite& operator=(const RawSqlite&) = delete;

    bool ok() const { return m_ok; }
    // Runs one statement; ADD_FAILURE with the driver's text when it fails.
    bool exec(const QString& sql);
    // The first column of the first row of `sql`.
    QVariant scalar(const QString& sql);
    QStringList names(const QString& type); // tables or indexes in sqlite_master

private:
    QString m_connection;
    bool m_ok = false;
};

// Every byte of the history files in `folder` (database, WAL, shared memory).
QByteArray allFileBytes(const QString& folder);

} // namespace driftdeck::test
