#include "history/historydatabase_p.h"
#include "history/historysanitize_p.h"
#include "history/historyschema_p.h"
#include "history/historysql_p.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace driftdeck::history::detail {
namespace {

// Small: a sync must never wait long on a file another process holds; it gets a clear error.
constexpr int kBusyTimeoutMs = 2000;

const QString kOperationColumns = QStringLiteral(
    "id, operation_id, started_at, finished_at, os_user, kind, application, cluster, revision, "
    "revision_label, options, outcome, error, resources_omitted");

QVariant timeValue(const QDateTime& time) {
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QDateTime timeFrom(const QVariant& value) {
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QString optionsText(const QJsonObject& options) {
    return QString::fromUtf8(QJsonDocument(options).toJson(QJsonDocument::Compact));
}

OperationRecord recordFrom(const QSqlQuery& row) {
    OperationRecord record;
    record.id = row.value(0).toLongLong();
    record.operationId = row.value(1).toString();
    record.startedAt = timeFrom(row.value(2));
    record.finishedAt = timeFrom(row.value(3));
    record.user = row.value(4).toString();
    record.kind = row.value(5).toString();
    record.application = row.value(6).toString();
    record.cluster = row.value(7).toString();
    record.revision = row.value(8).toString();
    record.revisionLabel = row.value(9).toString();
    // A file edited by hand may hold anything here; what does not parse reads as no options.
    record.options = QJsonDocument::fromJson(row.value(10).toString().toUtf8()).object();
    record.outcome = row.value(11).toString();
    record.error = row.value(12).toString();
    record.resourcesOmitted = row.value(13).toLongLong();
    return record;
}

Status validateOutcome(const OperationRecord& record) {
    if (!isKnownOutcome(record.outcome))
        return Error::make(
            Error::Code::Invalid,
            QStringLiteral("a history record needs an outcome of Succeeded, Failed, Cancelled, "
                           "PartiallySucceeded or Running, not \"%1\"")
                .arg(record.outcome.left(64)));
    return success();
}

Status validate(const OperationRecord& record) {
    if (!isKnownKind(record.kind))
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("a history record needs a kind of sync, rollback, revert, pause or "
                                          "resume, not \"%1\"")
                               .arg(record.kind.left(64)));
    return validateOutcome(record);
}

} // namespace

HistoryDatabase::HistoryDatabase(QString connectionName)
    : m_connectionName(std::move(connectionName)) {}

HistoryDatabase::~HistoryDatabase() {
    close();
}

Error HistoryDatabase::notOpen(const QString& consequence) const {
    if (m_openFailure)
        return Error::make(m_openFailure->code, m_openFailure->message, m_openFailure->detail);
    return Error::make(Error::Code::Invalid,
                       QStringLiteral("the history database is not open; %1").arg(consequence));
}

bool HistoryDatabase::ready() {
    if (m_open)
        return true;
    if (m_openFailure && m_openFailure->context.retryable && !m_path.isEmpty())
        return open(m_path).ok();
    return false;
}

Status HistoryDatabase::open(const QString& path) {
    close();
    m_path = QFileInfo(path).absoluteFilePath();
    const QString consequence = QStringLiteral("the history was not opened and nothing is recorded");
    auto fail = [this](Error error) {
        qCWarning(lcHistory).noquote() << error.message;
        close();
        m_openFailure = error;
        return Status(std::move(error));
    };
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return fail(
            Error::make(Error::Code::NotFound,
                        QStringLiteral("the Qt SQLite driver is not installed, so the history database "
                                       "%1 cannot be opened; install libqt6sql6-sqlite")
                            .arg(m_path)));
    const QString folder = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(folder))
        return fail(
            Error::make(Error::Code::Forbidden,
                        QStringLiteral("cannot create the folder %1 for the history database; %2. Check "
                                       "its permissions or choose another place")
                            .arg(folder, consequence)));
    if (QFileInfo(m_path).isDir())
        return fail(
            Error::make(Error::Code::Invalid,
                        QStringLiteral("history database %1 is a folder, not a file; %2. Move it aside")
                            .arg(m_path, consequence)));

    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(m_path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    if (!m_db.open())
        return fail(sqlError(m_path, m_db.lastError(), consequence));
    // SQLite opens lazily: a damaged file or a held lock shows on the first statement that reads.
    for (const QString& pragma :
         {QStringLiteral("PRAGMA busy_timeout = %1").arg(kBusyTimeoutMs),
          QStringLiteral("PRAGMA foreign_keys = ON"), QStringLiteral("PRAGMA journal_mode = WAL"),
          QStringLiteral("PRAGMA synchronous = NORMAL")}) {
        if (Status done = exec(m_db, m_path, pragma, consequence); !done)
            return fail(done.error());
    }
    if (Status migrated = migrate(m_db, m_path); !migrated)
        return fail(migrated.error());
    m_open = true;
    m_openFailure.reset();
    return success();
}

void HistoryDatabase::close() {
    m_open = false;
    m_openFailure.reset();
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

Result<qint64> HistoryDatabase::insert(OperationRecord record) {
    const QString consequence = QStringLiteral("the operation was not recorded");
    if (!ready())
        return notOpen(consequence);
    if (record.outcome.isEmpty())
        record.outcome = outcomes::running;
    if (Status valid = validate(record); !valid)
        return valid.error();
    if (!record.startedAt.isValid())
        record.startedAt = QDateTime::currentDateTimeUtc();
    if (record.user.isEmpty())
        record.user = currentOsUser();
    if (record.operationId.isEmpty())
        record.operationId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    record = sanitised(std::move(record));

    if (Status begun = beginWrite(m_db, m_path, consequence); !begun)
        return begun.error();
    Result<QSqlQuery> inserted =
        run(m_db, m_path,
            QStringLiteral("INSERT INTO operations (operation_id, started_at, finished_at, os_user, kind, "
                           "application, cluster, revision, revision_label, options, outcome, error, "
                           "resources_omitted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {record.operationId, timeValue(record.startedAt), timeValue(record.finishedAt), record.user,
             record.kind, record.application, record.cluster, record.revision, record.revisionLabel,
             optionsText(record.options), record.outcome, record.error, record.resourcesOmitted},
            consequence);
    if (!inserted) {
        rollback(m_db);
        return inserted.error();
    }
    const qint64 id = inserted->lastInsertId().toLongLong();
    if (Status written = writeResources(id, record.resources, consequence); !written) {
        rollback(m_db);
        return written.error();
    }
    if (Status committed = commit(m_db, m_path, consequence); !committed)
        return committed.error();
    return id;
}

Status HistoryDatabase::update(OperationRecord record) {
    const QString consequence = QStringLiteral("the end of the operation was not recorded");
    if (!ready())
        return notOpen(consequence);
    // The kind, the application, the cluster, the user and the start never change.
    if (Status valid = validateOutcome(record); !valid)
        return valid;
    if (record.id <= 0 && record.operationId.isEmpty())
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("a history record to update needs its id or its operation id"));
    record = sanitised(std::move(record));

    if (Status begun = beginWrite(m_db, m_path, consequence); !begun)
        return begun;
    qint64 id = record.id;
    if (id <= 0) {
        Result<QSqlQuery> found =
            run(m_db, m_path, QStringLiteral("SELECT id FROM operations WHERE operation_id = ?"),
                {record.operationId}, consequence);
        if (!found) {
            rollback(m_db);
            return found.error();
        }
        id = found->next() ? found->value(0).toLongLong() : 0;
    }
    // What the update leaves empty keeps its stored value; the end of an operation always
    // replaces outcome, error and finish time.
    QStringList assignments{QStringLiteral("finished_at = ?"), QStringLiteral("outcome = ?"),
                            QStringLiteral("error = ?")};
    QVariantList values{timeValue(record.finishedAt), record.outcome, record.error};
    auto replaceIfGiven = [&](bool given, const char* column, const QVariant& value) {
        if (!given)
            return;
        assignments.append(QString::fromLatin1(column) + QStringLiteral(" = ?"));
        values.append(value);
    };
    replaceIfGiven(!record.revision.isEmpty(), "revision", record.revision);
    replaceIfGiven(!record.revisionLabel.isEmpty(), "revision_label", record.revisionLabel);
    replaceIfGiven(!record.options.isEmpty(), "options", optionsText(record.options));
    const bool replaceResources = !record.resources.isEmpty() || record.resourcesOmitted > 0;
    replaceIfGiven(replaceResources, "resources_omitted", record.resourcesOmitted);
    values.append(id);
    Result<QSqlQuery> updated =
        run(m_db, m_path,
            QStringLiteral("UPDATE operations SET ") + assignments.join(QStringLiteral(", ")) +
                QStringLiteral(" WHERE id = ?"),
            values, consequence);
    if (!updated) {
        rollback(m_db);
        return updated.error();
    }
    if (updated->numRowsAffected() != 1) {
        rollback(m_db);
        return Error::make(
            Error::Code::NotFound,
            QStringLiteral("history database %1 has no operation %2 to update; %3")
                .arg(m_path, record.id > 0 ? QString::number(record.id) : record.operationId, consequence));
    }
    if (!replaceResources)
        return commit(m_db, m_path, consequence);
    Result<QSqlQuery> cleared = run(
        m_db, m_path, QStringLiteral("DELETE FROM resource_outcomes WHERE operation = ?"), {id}, consequence);
    if (!cleared) {
        rollback(m_db);
        return cleared.error();
    }
    if (Status written = writeResources(id, record.resources, consequence); !written) {
        rollback(m_db);
        return written;
    }
    return commit(m_db, m_path, consequence);
}

Status HistoryDatabase::writeResources(qint64 operation, const QList<ResourceOutcome>& resources,
                                       const QString& consequence) {
    if (resources.isEmpty())
        return success();
    QSqlQuery query(m_db);
    if (!query.prepare(
            QStringLiteral("INSERT INTO resource_outcomes (operation, position, resource_group, kind, "
                           "namespace, name, action, status, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")))
        return sqlError(m_path, query.lastError(), consequence);
    for (qsizetype i = 0; i < resources.size(); ++i) {
        const ResourceOutcome& r = resources[i];
        const QVariantList values{operation, qint64(i), r.group,  r.kind,   r.ns,
                                  r.name,    r.action,  r.status, r.message};
        for (int column = 0; column < values.size(); ++column)
            query.bindValue(column, bindable(values[column]));
        if (!query.exec())
            return sqlError(m_path, query.lastError(), consequence);
    }
    return success();
}

Result<QList<ResourceOutcome>> HistoryDatabase::readResources(qint64 operation, const QString& consequence) {
    Result<QSqlQuery> rows =
        run(m_db, m_path,
            QStringLiteral("SELECT resource_group, kind, namespace, name, action, status, "
                           "message FROM resource_outcomes WHERE operation = ? "
                           "ORDER BY position LIMIT ?"),
            {operation, HistoryLimits::maxResources}, consequence);
    if (!rows)
        return rows.error();
    QList<ResourceOutcome> resources;
    while (rows->next()) {
        resources.append({rows->value(0).toString(), rows->value(1).toString(), rows->value(2).toString(),
                          rows->value(3).toString(), rows->value(4).toString(), rows->value(5).toString(),
                          rows->value(6).toString()});
    }
    return resources;
}

Result<HistoryPage> HistoryDatabase::page(const HistoryQuery& query) {
    const QString consequence = QStringLiteral("the history could not be read");
    if (!ready())
        return notOpen(consequence);
    HistoryPage page;
    page.offset = std::max(0, query.offset);
    page.limit = std::clamp(query.limit, 1, HistoryQuery::maxLimit);
    QStringList conditions;
    QVariantList bindings;
    for (const auto& [column, value] : {std::pair{QStringLiteral("application"), query.application},
                                        std::pair{QStringLiteral("cluster"), query.cluster},
                                        std::pair{QStringLiteral("kind"), query.kind}}) {
        if (value.isEmpty())
            continue;
        conditions.append(column + QStringLiteral(" = ?"));
        bindings.append(value);
    }
    const QString where = conditions.isEmpty()
                              ? QString()
                              : QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    // One read transaction: the count and the page come from the same snapshot.
    if (Status begun = exec(m_db, m_path, QStringLiteral("BEGIN"), consequence); !begun)
        return begun.error();
    auto readAll = [&]() -> Status {
        Result<QSqlQuery> counted = run(
            m_db, m_path, QStringLiteral("SELECT count(*) FROM operations") + where, bindings, consequence);
        if (!counted)
            return counted.error();
        page.totalCount = counted->next() ? counted->value(0).toLongLong() : 0;
        Result<QSqlQuery> rows =
            run(m_db, m_path,
                QStringLiteral("SELECT ") + kOperationColumns + QStringLiteral(" FROM operations") + where +
                    QStringLiteral(" ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?"),
                bindings + QVariantList{page.limit, page.offset}, consequence);
        if (!rows)
            return rows.error();
        while (rows->next())
            page.operations.append(recordFrom(*rows));
        if (!query.includeResources)
            return success();
        for (OperationRecord& record : page.operations) {
            Result<QList<ResourceOutcome>> resources = readResources(record.id, consequence);
            if (!resources)
                return resources.error();
            record.resources = std::move(resources).value();
        }
        return success();
    };
    Status read = readAll();
    rollback(m_db); // ends the read transaction; nothing was written
    if (!read)
        return read.error();
    return page;
}

Result<OperationRecord> HistoryDatabase::operation(qint64 id) {
    const QString consequence = QStringLiteral("the operation could not be read");
    if (!ready())
        return notOpen(consequence);
    if (Status begun = exec(m_db, m_path, QStringLiteral("BEGIN"), consequence); !begun)
        return begun.error();
    auto readOne = [&]() -> Result<OperationRecord> {
        Result<QSqlQuery> row = run(m_db, m_path,
                                    QStringLiteral("SELECT ") + kOperationColumns +
                                        QStringLiteral(" FROM operations WHERE id = ?"),
                                    {id}, consequence);
        if (!row)
            return row.error();
        if (!row->next())
            return Error::make(Error::Code::NotFound,
                               QStringLiteral("history database %1 has no operation %2").arg(m_path).arg(id));
        OperationRecord record = recordFrom(*row);
        Result<QList<ResourceOutcome>> resources = readResources(id, consequence);
        if (!resources)
            return resources.error();
        record.resources = std::move(resources).value();
        return record;
    };
    Result<OperationRecord> record = readOne();
    rollback(m_db);
    return record;
}

} // namespace driftdeck::history::detail
