#include "workspace/workspacelog.h"

Q_LOGGING_CATEGORY(lcWorkspace, "driftdeck.workspace", QtWarningMsg)
