#include "history/historyschema_p.h"
#include "history/historysql_p.h"

#include <QSqlQuery>
#include <QStringList>

namespace driftdeck::history::detail {
namespace {

struct Migration {
    int toVersion;
    const char* what;
    QStringList statements;
};

// Append only: a released step is never edited, a change is a new step.
QList<Migration> migrations() {
    return {
        {1,
         "create the operations and resource tables",
         {
             QStringLiteral("CREATE TABLE operations ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " operation_id TEXT NOT NULL UNIQUE,"
                            " started_at INTEGER NOT NULL," // ms since the epoch, UTC
                            " finished_at INTEGER,"         // NULL while running
                            " os_user TEXT NOT NULL,"
                            " kind TEXT NOT NULL,"
                            " application TEXT NOT NULL,"
                            " cluster TEXT NOT NULL,"
                            " revision TEXT NOT NULL,"
                            " revision_label TEXT NOT NULL,"
                            " options TEXT NOT NULL," // compact JSON
                            " outcome TEXT NOT NULL,"
                            " error TEXT NOT NULL)"),
             QStringLiteral("CREATE TABLE resource_outcomes ("
                            " operation INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE,"
                            " position INTEGER NOT NULL,"
                            " resource_group TEXT NOT NULL,"
                            " kind TEXT NOT NULL,"
                            " namespace TEXT NOT NULL,"
                            " name TEXT NOT NULL,"
                            " action TEXT NOT NULL,"
                            " status TEXT NOT NULL,"
                            " message TEXT NOT NULL,"
                            " PRIMARY KEY (operation, position))"),
         }},
        {2,
         "add application state (rollback pins, paused auto-sync), the truncation count and the paging "
         "indexes",
         {
             QStringLiteral("ALTER TABLE operations ADD COLUMN resources_omitted INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral("CREATE TABLE app_state ("
                            " application TEXT PRIMARY KEY,"
                            " pinned_revision TEXT NOT NULL,"
                            " auto_sync_paused INTEGER NOT NULL,"
                            " reason TEXT NOT NULL,"
                            " since INTEGER)"),
             QStringLiteral("CREATE INDEX operations_by_time ON operations (started_at DESC, id DESC)"),
             QStringLiteral("CREATE INDEX operations_by_application"
                            " ON operations (application, started_at DESC, id DESC)"),
             QStringLiteral(
                 "CREATE INDEX operations_by_cluster ON operations (cluster, started_at DESC, id DESC)"),
         }},
    };
}

// A file that SQLite can read but that holds someone else's tables must not be written to.
Status checkIsOurs(QSqlDatabase& db, const QString& path) {
    Result<QSqlQuery> tables =
        run(db, path, QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"), {},
            QStringLiteral("the history was not opened"));
    if (!tables)
        return tables.error();
    if (tables->next() && tables->value(0).toLongLong() > 0)
        return Error::make(
            Error::Code::Invalid,
            QStringLiteral("%1 is an SQLite file but not a Driftdeck history (it has tables and "
                           "no schema version); the history was not opened. Point Driftdeck at "
                           "another file or move this one aside")
                .arg(path));
    return success();
}

} // namespace

Result<int> schemaVersion(QSqlDatabase& db, const QString& path) {
    Result<QSqlQuery> query = run(db, path, QStringLiteral("PRAGMA user_version"), {},
                                  QStringLiteral("the history was not opened"));
    if (!query)
        return query.error();
    if (!query->next())
        return Error::make(Error::Code::Internal,
                           QStringLiteral("history database %1 did not report its schema version").arg(path));
    return query->value(0).toInt();
}

Status migrate(QSqlDatabase& db, const QString& path) {
    Result<int> version = schemaVersion(db, path);
    if (!version)
        return version.error();
    if (*version > kSchemaVersion)
        return Error::make(
            Error::Code::Invalid,
            QStringLiteral("history database %1 has schema version %2, newer than this Driftdeck "
                           "understands (%3); it was left untouched and nothing is recorded. "
                           "Use the newer Driftdeck, or move the file aside to start a new "
                           "history")
                .arg(path)
                .arg(*version)
                .arg(kSchemaVersion));
    if (*version < 0)
        return Error::make(
            Error::Code::Invalid,
            QStringLiteral("history database %1 has an invalid schema version %2; move it aside "
                           "to start a new history")
                .arg(path)
                .arg(*version));
    if (*version == 0) {
        if (Status ours = checkIsOurs(db, path); !ours)
            return ours;
    }
    const QString consequence = QStringLiteral("the history could not be upgraded and nothing is recorded");
    for (const Migration& step : migrations()) {
        if (step.toVersion <= *version)
            continue;
        if (Status begun = beginWrite(db, path, consequence); !begun)
            return begun;
        // Another Driftdeck may have upgraded the file between our first look and the write lock.
        Result<int> current = schemaVersion(db, path);
        if (!current || *current >= step.toVersion) {
            rollback(db);
            if (!current)
                return current.error();
            continue;
        }
        for (const QString& statement : step.statements) {
            if (Status done = exec(db, path, statement, consequence); !done) {
                rollback(db);
                return done;
            }
        }
        // PRAGMA takes no bound parameters; the number is ours.
        const QString setVersion = QStringLiteral("PRAGMA user_version = %1").arg(step.toVersion);
        if (Status done = exec(db, path, setVersion, consequence); !done) {
            rollback(db);
            return done;
        }
        if (Status committed = commit(db, path, consequence); !committed)
            return committed;
        qCInfo(lcHistory) << "history database" << path << "upgraded to schema version" << step.toVersion
                          << "(" << step.what << ")";
    }
    return success();
}

} // namespace driftdeck::history::detail
