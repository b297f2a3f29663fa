#pragma once

#include <QLoggingCategory>

// driftdeck.sync: one line per object handled (key, status, message) and per run; never content.
Q_DECLARE_LOGGING_CATEGORY(lcSync)
