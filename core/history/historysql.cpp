#include "history/historysql_p.h"

#include <QSqlError>

Q_LOGGING_CATEGORY(lcHistory, "driftdeck.history", QtWarningMsg)

namespace driftdeck::history::detail {

SqliteFailure classify(const QSqlError& error) {
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok) & 0xff;
    if (!ok)
        return SqliteFailure::Other;
    switch (code) {
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
        return SqliteFailure::Locked;
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
        return SqliteFailure::Damaged;
    case 13: // SQLITE_FULL
        return SqliteFailure::Full;
    case 8:  // SQLITE_READONLY
    case 14: // SQLITE_CANTOPEN
    case 23: // SQLITE_AUTH
        return SqliteFailure::NoAccess;
    case 19: // SQLITE_CONSTRAINT
        return SqliteFailure::Constraint;
    default:
        return SqliteFailure::Other;
    }
}

Error sqlError(const QString& path, const QSqlError& error, const QString& consequence) {
    // The driver's text is SQLite's own message; values are always bound, never part of the SQL,
    // so it cannot carry a recorded string.
    const QString driverText = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    switch (classify(error)) {
    case SqliteFailure::Locked:
        return Error::make(Error::Code::Unavailable,
                           QStringLiteral("history database %1 is locked by another process (another "
                                          "Driftdeck or an sqlite3 shell holding a write transaction); %2. "
                                          "Close that process or let it finish, then try again")
                               .arg(path, consequence),
                           driverText);
    case SqliteFailure::Damaged:
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("history database %1 is damaged or not an SQLite file (%2); %3. "
                                          "Move it aside (mv '%1' '%1.damaged') and Driftdeck starts a new "
                                          "history there")
                               .arg(path, driverText, consequence),
                           driverText);
    case SqliteFailure::Full:
        return Error::make(Error::Code::Unavailable,
                           QStringLiteral("history database %1: the disk is full; %2. Free some space")
                               .arg(path, consequence),
                           driverText);
    case SqliteFailure::NoAccess:
        return Error::make(Error::Code::Forbidden,
                           QStringLiteral("history database %1 cannot be opened for writing (%2); %3. Check "
                                          "the permissions of the file and of its folder")
                               .arg(path, driverText, consequence),
                           driverText);
    case SqliteFailure::Constraint:
        return Error::make(Error::Code::Conflict,
                           QStringLiteral("history database %1 refused the change (%2); %3")
                               .arg(path, driverText, consequence),
                           driverText);
    case SqliteFailure::Other:
        break;
    }
    return Error::make(
        Error::Code::External,
        QStringLiteral("history database %1 failed (%2); %3").arg(path, driverText, consequence), driverText);
}

QVariant bindable(const QVariant& value) {
    if (value.metaType() == QMetaType::fromType<QString>() && value.toString().isNull())
        return QString(QStringLiteral(""));
    return value;
}

Result<QSqlQuery> run(QSqlDatabase& db, const QString& path, const QString& sql, const QVariantList& bindings,
                      const QString& consequence) {
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return sqlError(path, query.lastError(), consequence);
    for (const QVariant& value : bindings)
        query.addBindValue(bindable(value));
    if (!query.exec())
        return sqlError(path, query.lastError(), consequence);
    return query;
}

Status exec(QSqlDatabase& db, const QString& path, const QString& sql, const QString& consequence) {
    QSqlQuery query(db);
    if (!query.exec(sql))
        return sqlError(path, query.lastError(), consequence);
    return success();
}

Status beginWrite(QSqlDatabase& db, const QString& path, const QString& consequence) {
    return exec(db, path, QStringLiteral("BEGIN IMMEDIATE"), consequence);
}

Status commit(QSqlDatabase& db, const QString& path, const QString& consequence) {
    Status committed = exec(db, path, QStringLiteral("COMMIT"), consequence);
    if (!committed)
        rollback(db);
    return committed;
}

void rollback(QSqlDatabase& db) {
    QSqlQuery query(db);
    // Fails harmlessly when SQLite already rolled back (after SQLITE_FULL, for example).
    query.exec(QStringLiteral("ROLLBACK"));
}

} // namespace driftdeck::history::detail
