#pragma once

#include "model/error.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

Q_DECLARE_LOGGING_CATEGORY(lcHistory)

namespace driftdeck::history::detail {

// The SQLite result codes the store words differently (sqlite3.h primary codes; extended codes are
// reduced to these by their low byte).
enum class SqliteFailure { Locked, Damaged, Full, NoAccess, Constraint, Other };
SqliteFailure classify(const QSqlError& error);

// An operator-facing error for a failed statement. `consequence` says what did not happen ("the
// operation was not recorded"); a locked or damaged file names the file and what to do about it.
Error sqlError(const QString& path, const QSqlError& error, const QString& consequence);

// Qt binds a null QString as SQL NULL; the text columns are NOT NULL and an empty string is meant.
QVariant bindable(const QVariant& value);

// Prepares and runs `sql` with positional `bindings`; the failure is worded by sqlError.
Result<QSqlQuery> run(QSqlDatabase& db, const QString& path, const QString& sql, const QVariantList& bindings,
                      const QString& consequence);
Status exec(QSqlDatabase& db, const QString& path, const QString& sql, const QString& consequence);

// BEGIN IMMEDIATE: takes the write lock up front, so a locked file fails at once (after the busy
// timeout) instead of half way through a transaction that has read already.
Status beginWrite(QSqlDatabase& db, const QString& path, const QString& consequence);
Status commit(QSqlDatabase& db, const QString& path, const QString& consequence);
void rollback(QSqlDatabase& db);

} // namespace driftdeck::history::detail
