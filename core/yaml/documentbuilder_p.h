#pragma once

#include "yaml/yamlcodec.h"

#include <QHash>
#include <QJsonValue>
#include <QString>

#include <string>
#include <yaml-cpp/mark.h>

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
    // With ParseOptions::recordLines: JSON pointer -> 0-based line within `source`.
    QHash<QString, int> pointerLines;
};

// Reads the first document of `source`: with the simple block scanner when the text allows it
// (and `allowSimple`), else with yaml-cpp. Throws ReadFailure for what kubectl rejects and
// YAML::Exception for syntax errors.
DocumentValue readDocument(const std::string& source, const ParseOptions& options, bool allowSimple = true);

} // namespace driftdeck::yaml::detail
