#pragma once

#include <QByteArray>
#include <QDir>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>

namespace driftdeck::test {

// Runs the event loop until `done()` holds or `timeout` passes; returns the last `done()`.
bool waitUntil(const std::function<bool()>& done,
               std::chrono::milliseconds timeout = std::chrono::seconds(5));

// ../shared beside the repository (corpus, seeds), from DRIFTDECK_SHARED_DIR or found upwards.
QDir sharedDir();
// The repository root, from DRIFTDECK_SOURCE_DIR.
QDir sourceDir();
// tests/data/<relative>
QString testDataPath(const QString& relative);

// Full path of kubectl on PATH, or empty.
QString kubectlPath();

struct ProcessResult {
    int exitCode = -1;
    bool timedOut = false;
    QByteArray out;
    QByteArray err;
};
// Runs a program without a shell, with an optional stdin, bounded by `timeout`.
ProcessResult runProcess(const QString& program, const QStringList& args, const QByteArray& input = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(60),
                         const QStringList& extraEnv = {});

QByteArray readFile(const QString& path);

} // namespace driftdeck::test

// Skips the current test with a clear message when kubectl is not installed.
#define DRIFTDECK_REQUIRE_KUBECTL()                                                                          \
    do {                                                                                                     \
        if (::driftdeck::test::kubectlPath().isEmpty())                                                      \
            GTEST_SKIP() << "kubectl is not on PATH: this test uses it as the referee";                      \
    } while (0)
