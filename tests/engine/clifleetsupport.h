#pragma once

// The CLI's workspace verbs run in-process over a TestFleet: a workspace file naming the fleet's
// clusters and repository, XDG data/cache/config directories of the test's own (so the history
// database and Git cache are fresh and nothing of the user's is read), and every Qt message of
// the process captured (for the "no Secret in any log" checks).
#include "enginetestsupport.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QTemporaryDir>
#include <QTextStream>

#include <optional>

namespace driftdeck::engine::test {

struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
    std::string describe() const {
        return QString(QStringLiteral("exit ") + QString::number(exitCode) + QLatin1Char('\n') + out + err)
            .toStdString();
    }
};

using CliVerb = int (*)(const QStringList&, QTextStream&, QTextStream&);

// Runs a verb in-process with exactly these arguments.
CliRun runVerb(CliVerb verb, const QStringList& arguments);

// Every Qt message of the process (any thread) while an instance lives; the previous handler still
// receives them.
class LogCapture {
public:
    LogCapture();
    ~LogCapture();
    QString text() const;
};

// XDG_DATA_HOME, XDG_CACHE_HOME and XDG_CONFIG_HOME point into a temporary directory for the
// lifetime of the object; the old values come back afterwards.
class XdgSandbox {
public:
    XdgSandbox();
    ~XdgSandbox();
    bool valid() const { return m_dir.isValid(); }
    QString historyPath() const; // where the CLI's engine keeps its history database
    QString path(const QString& relative) const { return m_dir.filePath(relative); }

private:
    QTemporaryDir m_dir;
    QHash<QByteArray, std::optional<QByteArray>> m_saved;
};

class CliFleet {
public:
    // Writes the workspace file for `apps` (the fleet's clusters and its repository "fleet").
    bool writeWorkspace(const QList<AppSpec>& apps);
    // Runs a verb with --workspace and --kubeconfig of this fleet (plus `arguments`).
    CliRun run(CliVerb verb, const QStringList& arguments) const;
    QString workspacePath() const { return xdg.path(QStringLiteral("workspace.yaml")); }

    XdgSandbox xdg; // first: everything after it sees the sandboxed environment
    TestFleet fleet;
};

// The helm binary the realkube build made (tests/realkube/build.sh), or one on PATH; empty if none.
QString findHelm();

} // namespace driftdeck::engine::test
