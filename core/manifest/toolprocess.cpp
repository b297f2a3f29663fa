#include "manifest/toolprocess.h"

#include "manifest/manifestlog.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include <signal.h>
#include <unistd.h>

namespace driftdeck::manifest {

using namespace Qt::StringLiterals;

namespace {

constexpr int PollMilliseconds = 50;

void killGroup(QProcess& process) {
    const qint64 pid = process.processId();
    if (pid > 0)
        ::kill(-pid_t(pid), SIGKILL); // the whole group: helm plugins, shells a command spawned
    process.kill();
    process.waitForFinished(5000);
}

QProcessEnvironment environmentFor(const ToolInvocation& invocation) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString& entry : invocation.extraEnvironment) {
        const qsizetype equals = entry.indexOf(u'=');
        if (equals <= 0)
            continue;
        environment.insert(entry.left(equals), entry.mid(equals + 1));
    }
    return environment;
}

} // namespace

QString boundedStderr(const QByteArray& err, qsizetype maxBytes) {
    QByteArray trimmed = err.trimmed();
    if (trimmed.size() > maxBytes) {
        // The end of stderr usually holds the actual error; keep it.
        trimmed = "[...]\n" + trimmed.right(maxBytes);
    }
    return QString::fromUtf8(trimmed);
}

QString findTool(const QString& name) {
    return QStandardPaths::findExecutable(name);
}

Result<QByteArray> runTool(const ToolInvocation& invocation) {
    QProcess process;
    process.setProgram(invocation.program);
    process.setArguments(invocation.arguments);
    process.setWorkingDirectory(invocation.workingDirectory);
    process.setProcessEnvironment(environmentFor(invocation));
    process.setStandardInputFile(QProcess::nullDevice());
    process.setChildProcessModifier([] { ::setsid(); });

    qCDebug(lcManifest) << "running" << invocation.program << "in" << invocation.workingDirectory;
    process.start();
    if (!process.waitForStarted(10000)) {
        return Error::make(Error::Code::External,
                           u"could not start %1 for %2: %3"_s.arg(invocation.program, invocation.description,
                                                                  process.errorString()));
    }

    QByteArray out;
    QByteArray err;
    QDeadlineTimer deadline(invocation.timeout);
    while (process.state() != QProcess::NotRunning) {
        process.waitForFinished(PollMilliseconds);
        // Drain while waiting so a chatty tool never blocks on a full pipe.
        out += process.readAllStandardOutput();
        err += process.readAllStandardError();
        if (err.size() > 64 * 1024)
            err = err.right(32 * 1024);
        if (process.state() == QProcess::NotRunning)
            break;
        if (invocation.cancelled && invocation.cancelled->load()) {
            killGroup(process);
            return Error::make(Error::Code::Cancelled, u"%1 was cancelled"_s.arg(invocation.description));
        }
        if (deadline.hasExpired()) {
            killGroup(process);
            const qint64 seconds = invocation.timeout.count() / 1000;
            return Error::make(Error::Code::Unavailable,
                               u"%1 did not finish within %2 s and was stopped; raise the renderer's "
                               u"timeoutSeconds if it legitimately needs longer"_s.arg(
                                   invocation.description, QString::number(seconds)),
                               boundedStderr(err));
        }
        if (out.size() > invocation.maxOutputBytes) {
            killGroup(process);
            return Error::make(
                Error::Code::TooLarge,
                u"%1 printed more than %2 MiB and was stopped"_s.arg(
                    invocation.description, QString::number(invocation.maxOutputBytes / (1024 * 1024))));
        }
    }
    out += process.readAllStandardOutput();
    err += process.readAllStandardError();

    if (process.exitStatus() != QProcess::NormalExit) {
        return Error::make(Error::Code::External, u"%1 crashed"_s.arg(invocation.description),
                           boundedStderr(err));
    }
    if (process.exitCode() != 0) {
        return Error::make(Error::Code::External,
                           u"%1 failed with exit code %2; see the details for its output"_s.arg(
                               invocation.description, QString::number(process.exitCode())),
                           boundedStderr(err));
    }
    return out;
}

} // namespace driftdeck::manifest
