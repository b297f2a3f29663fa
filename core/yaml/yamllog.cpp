#include "yaml/yamllog.h"

Q_LOGGING_CATEGORY(lcYaml, "driftdeck.yaml", QtWarningMsg)
