#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QLatin1String>
#include <QList>
#include <QMetaType>
#include <QString>

namespace driftdeck::history {

// What one operation did to one resource. Free text (`message`) is redacted and capped before it
// is written (see HistoryLimits).
struct ResourceOutcome {
    QString group;
    QString kind;
    QString ns;
    QString name;
    QString action; // e.g. "apply", "prune", "skip"
    QString status; // e.g. "Synced", "Failed", "Pruned"
    QString message;
    bool operator==(const ResourceOutcome&) const = default;
};

// One sync, rollback, revert, pause or resume, as the history database keeps it.
struct OperationRecord {
    qint64 id = 0; // given by the database; 0 before record()
    QDateTime startedAt;
    QDateTime finishedAt; // invalid while the operation runs
    QString user;         // the OS user who asked; record() fills it in when empty
    QString kind;         // one of the kinds below
    QString application;
    QString cluster;
    QString revision;      // the commit id
    QString revisionLabel; // the branch or tag as the operator asked for it
    QJsonObject options;   // prune, dry run, selected resources...: string values are redacted
    QString outcome;       // one of the outcomes below
    QString error;
    QList<ResourceOutcome> resources;
    // Resources beyond HistoryLimits::maxResources that were not stored (the note of truncation).
    qint64 resourcesOmitted = 0;
    QString operationId; // the engine's job id; record() makes one up when empty; unique

    bool operator==(const OperationRecord&) const = default;
};

// The standing decision of the operator about one application: a rollback pins the application to
// a revision and pauses its auto-sync until the operator resumes.
struct AppState {
    QString application;
    QString pinnedRevision; // empty: follows the revision of its spec
    bool autoSyncPaused = false;
    QString reason; // free text ("rolled back to 1a2b3c by alice"); redacted and capped
    QDateTime since;

    bool operator==(const AppState&) const = default;
};

struct HistoryQuery {
    static constexpr int defaultLimit = 50;
    static constexpr int maxLimit = 500;

    QString application; // empty: any
    QString cluster;     // empty: any
    QString kind;        // empty: any
    int offset = 0;
    int limit = defaultLimit;      // clamped to 1..maxLimit
    bool includeResources = false; // a list view rarely needs them; operation(id) always has them
};

// One page of operations, newest first.
struct HistoryPage {
    QList<OperationRecord> operations;
    qint64 totalCount = 0; // how many records match the query, on all pages
    int offset = 0;
    int limit = 0; // after clamping
};

struct HistoryLimits {
    static constexpr int maxTextLength = 4096; // characters per free-text field (error, message, reason)
    static constexpr int maxResources = 10000; // resource outcomes kept per record
    static constexpr int maxOptionsBytes = 64 * 1024; // compact JSON of the options
};

namespace kinds {
inline constexpr QLatin1String sync("sync");
inline constexpr QLatin1String rollback("rollback");
inline constexpr QLatin1String revert("revert");
inline constexpr QLatin1String resume("resume");
inline constexpr QLatin1String pause("pause");
} // namespace kinds

namespace outcomes {
inline constexpr QLatin1String succeeded("Succeeded");
inline constexpr QLatin1String failed("Failed");
inline constexpr QLatin1String cancelled("Cancelled");
inline constexpr QLatin1String partiallySucceeded("PartiallySucceeded");
inline constexpr QLatin1String running("Running");
} // namespace outcomes

bool isKnownKind(const QString& kind);
bool isKnownOutcome(const QString& outcome);

// The OS user running Driftdeck: $USER, then $LOGNAME, then the password database; "unknown" when
// none of them says.
QString currentOsUser();

} // namespace driftdeck::history

Q_DECLARE_METATYPE(driftdeck::history::ResourceOutcome)
Q_DECLARE_METATYPE(driftdeck::history::OperationRecord)
Q_DECLARE_METATYPE(driftdeck::history::AppState)
Q_DECLARE_METATYPE(driftdeck::history::HistoryPage)
