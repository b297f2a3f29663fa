#pragma once

#include "model/error.h"

#include <QByteArray>
#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

// The YAML boundary. yaml-cpp never leaves this folder: the rest of Driftdeck sees QJsonValue.
// Reading follows what kubectl does (sigs.k8s.io/yaml: YAML 1.1 scalars, merge keys, duplicate
// keys rejected); writing produces the canonical YAML used in diffs.
//
// What that means, as kubectl 1.32 confirmed it (tests/data/yaml/cases):
// - y, Y, yes, on, true ... are true and n, N, no, off, false ... are false, as values and as keys
//   (`on: x` has the key "true"); quoted scalars stay strings.
// - 0x1F, 0o17, 017, 0b101, 1_000 and +12 are integers; 1e3 and 1.0 are floats, and a whole float
//   within int64 becomes an integer (1e3 reads as 1000); beyond int64 a number is a double.
// - Timestamps and 1:30 stay strings; .inf and .nan are errors (JSON has no such numbers).
// - Non-string keys become strings ("1", "true", "1.5"; float keys in Go's float32 spelling);
//   null keys and keys beyond int64 are errors, as in kubectl.
// - `<<` merges a map or a list of maps: merged keys replace earlier ones, later keys win.
// - A stream is cut at lines starting with `---`, as kubectl does; `--- x` is an error.
namespace driftdeck::yaml {

// One document of a stream, with where it starts (1-based line) so an object keeps its source.
struct Document {
    QJsonValue value;
    int index = 0;    // position among the stream's non-empty documents, from 0
    int line = 1;     // line of the document's first content
    int lastLine = 1; // last line before the next `---` (or the end), trailing comments included
    // With ParseOptions::recordLines: JSON pointer (RFC 6901, "" for the whole document) -> the
    // 1-based line where that value was written: a map entry's key line, a list item's first line.
    // Values that came from a merge key or inside an alias are not recorded (they were written
    // elsewhere); a later duplicate key (allowDuplicateKeys) records its own line. (`= {}` keeps
    // `Document{value, index, line}` free of -Wmissing-field-initializers.)
    QHash<QString, int> pointerLines = {};
};

// Where reading may knowingly differ from kubectl's client-side conversion.
struct ParseOptions {
    // kubectl's client-side conversion keeps the last of two equal keys; the API server's strict
    // field validation rejects them. A duplicate in Git is a mistake, so it is an error by default.
    bool allowDuplicateKeys = false;
    // JSON has no .inf/.nan and kubectl rejects them; allow them only to read our own output back.
    bool allowNonFiniteNumbers = false;

    // Limits for hostile input; an error names the limit it hit. Aliases are limited as kubectl
    // limits them ("excessive aliasing"), whatever these say.
    // A stream: Helm's largest charts (CRD bundles included) render to a few MiB.
    qsizetype maxStreamBytes = 32 * 1024 * 1024;
    // One document: the API server refuses request bodies over 3 MiB, so a larger object could
    // never be applied.
    qsizetype maxDocumentBytes = 3 * 1024 * 1024;
    // Documents in a stream: a few hundred is a large application; 10,000 also covers a
    // directory-sized List of generated objects, and keeps a stream of `---` lines cheap.
    int maxDocuments = 10'000;
    // Nesting of maps and lists in one document. Real manifests stay below 50; kubectl stops at
    // 10,000, but yaml-cpp's own guard stops block maps near 500 levels with a bare "bad file", so
    // the limit sits below that and the error says what happened.
    int maxDepth = 400;

    // Fill Document::pointerLines (costs a string per value; off for rendering).
    bool recordLines = false;
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

// One JSON pointer per line of toYaml(value) with its final line break removed (the lines of
// kubeobj::Object::yamlLines()): the value the line writes — a key's line gives the key's value,
// "- " gives the item, "- key: x" the item's key; continuation lines of a literal block belong to
// the value they continue.
QStringList canonicalLinePointers(const QJsonValue& value);

// "/" + the segment escaped as RFC 6901 wants ("~" -> "~0", "/" -> "~1").
QString pointerSegment(const QString& key);

// Several documents joined by "---" lines.
QByteArray toYamlStream(const QList<QJsonValue>& documents);

} // namespace driftdeck::yaml
