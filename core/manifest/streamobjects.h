#pragma once

#include "manifest/desiredobject.h"
#include "model/error.h"
#include "yaml/yamlcodec.h"

#include <functional>

namespace driftdeck::manifest {

using SourceOf = std::function<DesiredObject::Source(const yaml::Document&)>;

// Turns the documents of one file (or one tool's output) into desired objects. `kind: List` and any
// other *List kind carrying `items` is flattened, every item keeping its document's source. A
// document that is not a Kubernetes object (not a mapping, no apiVersion, kind or metadata.name) is
// an error naming `where` (file:line) and the application.
Status appendObjects(const QList<yaml::Document>& documents, const SourceOf& sourceOf,
                     const QString& appLabel, RenderResult& result);

// Parses a YAML stream named `fileName` and appends its objects with {fileName, index, line} sources.
Status appendStream(const QByteArray& text, const QString& fileName, const QString& appLabel,
                    RenderResult& result);

// Adds a warning for every ResourceKey that appears more than once, naming both sources.
void warnAboutDuplicates(RenderResult& result);

// "file:line" or "file" when the line is unknown.
QString describeSource(const DesiredObject::Source& source);

} // namespace driftdeck::manifest
