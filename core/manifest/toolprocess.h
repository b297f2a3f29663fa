#pragma once

#include "model/error.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <atomic>
#include <chrono>

namespace driftdeck::manifest {

// One run of an external renderer (kustomize, kubectl, helm, a workspace command).
struct ToolInvocation {
    QString program; // a path or a name looked up on PATH
    QStringList arguments;
    QString workingDirectory;
    QStringList extraEnvironment; // "NAME=value" added to (or replacing in) the inherited environment
    std::chrono::milliseconds timeout = std::chrono::seconds(90);
    qint64 maxOutputBytes = 256 * 1024 * 1024;
    const std::atomic_bool* cancelled = nullptr;
    QString description; // "kustomize build for app 'x' (path p)", used in messages
};

// Runs the tool without a shell, in its own process group so that a timeout or a cancellation kills
// everything it started. Returns stdout. Failures: External (non-zero exit, could not start),
// Unavailable (timeout), Cancelled, TooLarge (output). stderr, trimmed and bounded, goes into
// Error::detail only: it may quote file contents, which never belong in a one-line message.
Result<QByteArray> runTool(const ToolInvocation& invocation);

// Bounded, trimmed tail-preserving excerpt of a tool's stderr for Error::detail.
QString boundedStderr(const QByteArray& err, qsizetype maxBytes = 4096);

// Full path of `name` on PATH, or empty.
QString findTool(const QString& name);

} // namespace driftdeck::manifest
