#pragma once

#include "history/historytypes.h"

namespace driftdeck::history::detail {

// Defence in depth before anything reaches the file: callers pass text that is already safe, but
// every free-text field still goes through the shared credential redactor, and every field is
// capped so a runaway error message or a huge sync cannot bloat the database.
QString safeText(const QString& text, int maxLength = HistoryLimits::maxTextLength);
// String values redacted (and any value under a credential-like key replaced), recursively; too
// large a whole is replaced by a note.
QJsonObject safeOptions(const QJsonObject& options);
OperationRecord sanitised(OperationRecord record);
AppState sanitised(AppState state);

} // namespace driftdeck::history::detail
