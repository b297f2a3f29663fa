#pragma once

#include "manifest/desiredobject.h"
#include "model/error.h"

#include <QIODevice>
#include <QString>

#include <functional>

namespace driftdeck::cli {

using ObjectSink = std::function<void(const manifest::DesiredObject&)>;

// Batches are cut at `---` lines once they reach this size, so memory follows the largest document,
// not the whole input.
inline constexpr qsizetype kObjectStreamBatchBytes = 4 * 1024 * 1024;
// One document (a `kubectl get -o yaml` List is one) may not be larger than this.
inline constexpr qsizetype kMaxDocumentBytes = 256 * 1024 * 1024;

// Reads a YAML or JSON stream from `device` batch by batch and hands every Kubernetes object to
// `sink` in stream order, `kind: List` flattened (manifest::appendObjects). Errors are the parser's,
// naming `fileName` and the line in the whole stream; none echoes the input's content.
Status readObjectStream(QIODevice& device, const QString& fileName, const ObjectSink& sink,
                        qsizetype batchBytes = kObjectStreamBatchBytes);

// Opens `path` (`-` for standard input) and reads it with readObjectStream; a file that cannot be
// opened gives an error naming it.
Status readObjectFile(const QString& path, const ObjectSink& sink);

} // namespace driftdeck::cli
