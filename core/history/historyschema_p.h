#pragma once

#include "model/error.h"

#include <QSqlDatabase>
#include <QString>

namespace driftdeck::history::detail {

// The schema version lives in SQLite's header (PRAGMA user_version). Version 0 is an empty file.
// A file of a newer version is refused, never downgraded: an older Driftdeck must not rewrite
// what a newer one wrote.
inline constexpr int kSchemaVersion = 2;

Result<int> schemaVersion(QSqlDatabase& db, const QString& path);

// Brings the file to kSchemaVersion, one step per transaction (each step and its version number
// commit together, so an interrupted upgrade resumes from the last finished step).
Status migrate(QSqlDatabase& db, const QString& path);

} // namespace driftdeck::history::detail
