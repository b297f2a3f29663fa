// The application-state half of HistoryDatabase: rollback pins and paused auto-sync, one row per
// application, kept across restarts.
#include "history/historydatabase_p.h"
#include "history/historysanitize_p.h"
#include "history/historysql_p.h"

#include <QSqlQuery>

namespace driftdeck::history::detail {
namespace {

// The number of applications a workspace holds is small; this bounds a hand-edited file.
constexpr int kMaxAppStates = 100000;

AppState stateFrom(const QSqlQuery& row) {
    AppState state;
    state.application = row.value(0).toString();
    state.pinnedRevision = row.value(1).toString();
    state.autoSyncPaused = row.value(2).toLongLong() != 0;
    state.reason = row.value(3).toString();
    state.since = row.value(4).isNull() ? QDateTime()
                                        : QDateTime::fromMSecsSinceEpoch(row.value(4).toLongLong(), Qt::UTC);
    return state;
}

const QString kStateColumns = QStringLiteral("application, pinned_revision, auto_sync_paused, reason, since");

} // namespace

Result<AppState> HistoryDatabase::appState(const QString& application) {
    const QString consequence =
        QStringLiteral("the state of application %1 could not be read").arg(application);
    if (!ready())
        return notOpen(consequence);
    Result<QSqlQuery> row = run(m_db, m_path,
                                QStringLiteral("SELECT ") + kStateColumns +
                                    QStringLiteral(" FROM app_state WHERE application = ?"),
                                {application}, consequence);
    if (!row)
        return row.error();
    if (!row->next()) {
        AppState state; // never pinned, never paused
        state.application = application;
        return state;
    }
    return stateFrom(*row);
}

Result<QList<AppState>> HistoryDatabase::appStates() {
    const QString consequence = QStringLiteral("the application states could not be read");
    if (!ready())
        return notOpen(consequence);
    Result<QSqlQuery> rows = run(m_db, m_path,
                                 QStringLiteral("SELECT ") + kStateColumns +
                                     QStringLiteral(" FROM app_state ORDER BY application LIMIT ?"),
                                 {kMaxAppStates}, consequence);
    if (!rows)
        return rows.error();
    QList<AppState> states;
    while (rows->next())
        states.append(stateFrom(*rows));
    return states;
}

Status HistoryDatabase::setAppState(AppState state) {
    const QString consequence =
        QStringLiteral("the state of application %1 was not saved").arg(state.application.left(256));
    if (!ready())
        return notOpen(consequence);
    if (state.application.isEmpty())
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("an application state needs the application's name"));
    if (!state.since.isValid())
        state.since = QDateTime::currentDateTimeUtc();
    state = sanitised(std::move(state));
    // One statement: atomic without an explicit transaction; the busy timeout still bounds it.
    Result<QSqlQuery> written = run(m_db, m_path,
                                    QStringLiteral("INSERT OR REPLACE INTO app_state (") + kStateColumns +
                                        QStringLiteral(") VALUES (?, ?, ?, ?, ?)"),
                                    {state.application, state.pinnedRevision, state.autoSyncPaused ? 1 : 0,
                                     state.reason, state.since.toMSecsSinceEpoch()},
                                    consequence);
    if (!written)
        return written.error();
    return success();
}

} // namespace driftdeck::history::detail
