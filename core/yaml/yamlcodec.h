#pragma once

#include "model/error.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

// The YAML boundary. yaml-cpp never leaves this folder: the rest of Driftdeck sees QJsonValue.
// Reading follows what kubectl does (sigs.k8s.io/yaml: YAML 1.1 scalars, merge keys, duplicate
// keys rejected); writing produces the canonical YAML used in diffs.
namespace driftdeck::yaml {

// One document of a stream, with where it starts (1-based line) so an object keeps its source.
struct Document {
    QJsonValue value;
    int index = 0; // position among the stream's non-empty documents, from 0
    int line = 1;  // line of the document's first content
};

// Where reading may knowingly differ from kubectl's client-side conversion.
struct ParseOptions {
    // kubectl's client-side conversion keeps the last of two equal keys; the API server's strict
    // field validation rejects them. A duplicate in Git is a mistake, so it is an error by default.
    bool allowDuplicateKeys = false;
    // JSON has no .inf/.nan and kubectl rejects them; allow them only to read our own output back.
    bool allowNonFiniteNumbers = false;
};

// Reads a multi-document stream. Empty documents (only comments, `---` alone, `null`) are skipped.
// An error names `fileName` (when given), the 1-based line and column, and never echoes content.
Result<QList<Document>> parseStream(const QByteArray& text, const QString& fileName = {});
Result<QList<Document>> parseStream(const QByteArray& text, const QString& fileName,
                                    const ParseOptions& options);

// Reads exactly one document; an empty stream gives a null value; two or more is an error.
Result<QJsonValue> parseDocument(const QByteArray& text, const QString& fileName = {});
Result<QJsonValue> parseDocument(const QByteArray& text, const QString& fileName,
                                 const ParseOptions& options);

// Canonical YAML: keys sorted, block style, two-space indent, strings quoted only when they would
// otherwise read back as another type, multi-line strings as literal blocks. Parsing the output
// gives back the same JSON value.
QByteArray toYaml(const QJsonValue& value);

// Several documents joined by "---" lines.
QByteArray toYamlStream(const QList<QJsonValue>& documents);

} // namespace driftdeck::yaml
