#include "yaml/yamlcodec.h"
