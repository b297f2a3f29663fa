#pragma once

#include "history/historytypes.h"
#include "model/error.h"

#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace driftdeck::history::detail {

// One SQLite connection and everything done with it. Lives on the history thread and is only
// ever touched there: a QSqlDatabase connection belongs to the thread that made it.
class HistoryDatabase {
public:
    explicit HistoryDatabase(QString connectionName);
    ~HistoryDatabase();
    HistoryDatabase(const HistoryDatabase&) = delete;
    HistoryDatabase& operator=(const HistoryDatabase&) = delete;

    // Creates the folder and the file, switches to WAL, applies the migrations. On failure the
    // connection stays closed and later calls repeat why.
    Status open(const QString& path);
    void close();

    Result<qint64> insert(OperationRecord record);
    Status update(OperationRecord record);
    Result<HistoryPage> page(const HistoryQuery& query);
    Result<OperationRecord> operation(qint64 id);
    Result<AppState> appState(const QString& application);
    Result<QList<AppState>> appStates();
    Status setAppState(AppState state);

private:
    // Open, or opened again now when the last open() failed only because the file was locked (the
    // lock may be gone; the retry costs at most the busy timeout, on this thread).
    bool ready();
    // Not open: an error that says why (the failed open, or that open() was never called).
    Error notOpen(const QString& consequence) const;
    Status writeResources(qint64 operation, const QList<ResourceOutcome>& resources,
                          const QString& consequence);
    Result<QList<ResourceOutcome>> readResources(qint64 operation, const QString& consequence);

    QString m_connectionName;
    QSqlDatabase m_db; // a handle of the connection named above; reset before it is removed
    QString m_path;
    bool m_open = false;
    std::optional<Error> m_openFailure;
};

} // namespace driftdeck::history::detail
