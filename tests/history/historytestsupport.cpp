#include "historytestsupport.h"

#include <QDir>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

namespace driftdeck::test {

void HistoryTest::SetUp() {
    ASSERT_TRUE(dataHome.isValid());
    hadDataHome = qEnvironmentVariableIsSet("XDG_DATA_HOME");
    savedDataHome = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_DATA_HOME", QFile::encodeName(dataHome.path()));
}

void HistoryTest::TearDown() {
    if (hadDataHome)
        qputenv("XDG_DATA_HOME", savedDataHome);
    else
        qunsetenv("XDG_DATA_HOME");
}

history::OperationRecord sampleRecord(const QString& application, const QString& kind) {
    history::OperationRecord record;
    record.startedAt = QDateTime::fromString(QStringLiteral("2026-11-30T10:00:00.250Z"), Qt::ISODateWithMs);
    record.user = QStringLiteral("alice");
    record.kind = kind;
    record.application = application;
    record.cluster = QStringLiteral("prod-eu");
    record.revision = QStringLiteral("1f3c9a0b7d2e4f5a6b7c8d9e0f1a2b3c4d5e6f70");
    record.revisionLabel = QStringLiteral("main");
    record.options.insert(QStringLiteral("prune"), true);
    record.options.insert(QStringLiteral("dryRun"), false);
    record.outcome = QStringLiteral("Running");
    return record;
}

RawSqlite::RawSqlite(const QString& path) {
    static std::atomic<int> next{1};
    m_connection = QStringLiteral("history-test-raw-%1").arg(next.fetch_add(1));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(path);
    // The test's connection must never wait: it holds locks, it does not contend for them.
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
    m_ok = db.open();
    if (!m_ok)
        ADD_FAILURE() << "cannot open " << path.toStdString() << ": " << db.lastError().text().toStdString();
}

RawSqlite::~RawSqlite() {
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

bool RawSqlite::exec(const QString& sql) {
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (query.exec(sql))
        return true;
    ADD_FAILURE() << sql.toStdString() << ": " << query.lastError().text().toStdString();
    return false;
}

QVariant RawSqlite::scalar(const QString& sql) {
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (!query.exec(sql) || !query.next()) {
        ADD_FAILURE() << sql.toStdString() << ": " << query.lastError().text().toStdString();
        return {};
    }
    return query.value(0);
}

QStringList RawSqlite::names(const QString& type) {
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(QStringLiteral("SELECT name FROM sqlite_master WHERE type = ? ORDER BY name"));
    query.addBindValue(type);
    QStringList names;
    if (!query.exec()) {
        ADD_FAILURE() << query.lastError().text().toStdString();
        return names;
    }
    while (query.next())
        names.append(query.value(0).toString());
    return names;
}

QByteArray allFileBytes(const QString& folder) {
    QByteArray bytes;
    const QStringList files = QDir(folder).entryList(QDir::Files);
    for (const QString& name : files) {
        QFile file(QDir(folder).filePath(name));
        if (file.open(QIODevice::ReadOnly))
            bytes += file.readAll();
    }
    return bytes;
}

} // namespace driftdeck::test
