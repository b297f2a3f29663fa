#pragma once

#include "yaml/yamlcodec.h"

#include <QJsonValue>
#include <QString>

#include <string>
#include <yaml-cpp/mark.h>

namespace YAML {
class Parser;
}

// One YAML document to QJsonValue with kubectl's conversions: YAML 1.1 scalars, merge keys,
// non-string keys turned into strings, duplicate keys rejected.
namespace driftdeck::yaml::detail {

// Thrown from inside the event handler to the reader, which turns it into an Error; it never
// leaves this library.
struct ReadFailure {
    YAML::Mark mark;
    QString reason;
    bool withColumn = true;
};

struct DocumentValue {
    QJsonValue value;  // null for an empty document
    int firstLine = 0; // 0-based line of the first content within `source`
};

// Reads the parser's next document. `source` is the text the parser reads (quoted scalars are
// checked against it). Throws ReadFailure for what kubectl rejects and YAML::Exception for
// syntax errors.
DocumentValue readDocument(YAML::Parser& parser, const std::string& source, const ParseOptions& options);

} // namespace driftdeck::yaml::detail
