#pragma once

#include "history/historytypes.h"
#include "model/error.h"

#include <QFuture>
#include <QObject>

#include <memory>

class QThread;

namespace driftdeck::history {

// The record of every sync, rollback, revert, pause and resume, in an SQLite file.
//
// Every call returns at once with a future; the work runs on the store's own thread, which alone
// creates, uses and closes the SQLite connection (a QSqlDatabase connection belongs to one
// thread). Calls run in the order they were made, so record() followed by update() with the same
// operationId needs no waiting in between. A locked file fails a call after a short busy timeout
// (2 s) with an error that names the file (an open() that met the lock is retried by the next
// call); a damaged or newer-version file fails open() and every later call with an error that
// names the file and the fix. The caller goes on either way: the history never holds up a sync.
class HistoryStore : public QObject {
    Q_OBJECT
public:
    explicit HistoryStore(QObject* parent = nullptr);
    // Runs the calls already made (each bounded by the busy timeout), closes the file and stops
    // the thread.
    ~HistoryStore() override;

    // $XDG_DATA_HOME/driftdeck/history.sqlite, with ~/.local/share when XDG_DATA_HOME is unset
    // or not absolute.
    static QString defaultPath();

    // Opens (creating folders and file) and upgrades the schema. `path` empty: defaultPath().
    // Opening again closes the previous file first.
    QFuture<Status> open(const QString& path = {});
    QFuture<Status> close();

    // Stores a new record (its `id` is ignored); returns the new id. Empty user, operationId, outcome and
    // startedAt are filled in (OS user, a new UUID, Running, now). Free text is redacted and capped.
    QFuture<Result<qint64>> record(const OperationRecord& record);
    // Finishes a record, found by id, or by operationId when id is 0: finishedAt, outcome and
    // error replace the stored ones; revision, revision label, options and resources replace
    // them when given (not empty). Kind, application, cluster, user and start never change.
    QFuture<Status> update(const OperationRecord& record);

    // Newest first (by start time), filtered and paged.
    QFuture<Result<HistoryPage>> operations(const HistoryQuery& query = {});
    QFuture<Result<OperationRecord>> operation(qint64 id);

    // The application's state; never stored yet: not pinned and not paused.
    QFuture<Result<AppState>> appState(const QString& application);
    QFuture<Result<QList<AppState>>> appStates();
    QFuture<Status> setAppState(const AppState& state);

    // The thread every database call runs on (for assertions and tests).
    QThread* databaseThread() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace driftdeck::history
