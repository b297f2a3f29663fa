#include "testsupport.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>

namespace driftdeck::test {

bool waitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    QDeadlineTimer deadline(timeout);
    while (!done()) {
        if (deadline.hasExpired())
            return done();
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QThread::msleep(1);
    }
    return true;
}

QDir sourceDir() {
    const QByteArray env = qgetenv("DRIFTDECK_SOURCE_DIR");
    if (!env.isEmpty())
        return QDir(QString::fromLocal8Bit(env));
    return QDir(QStringLiteral(DRIFTDECK_TEST_SOURCE_DIR));
}

QDir sharedDir() {
    const QByteArray env = qgetenv("DRIFTDECK_SHARED_DIR");
    if (!env.isEmpty() && QDir(QString::fromLocal8Bit(env)).exists())
        return QDir(QString::fromLocal8Bit(env));
    QDir dir = sourceDir();
    for (int i = 0; i < 4; ++i) {
        if (dir.exists(QStringLiteral("shared/corpus")))
            return QDir(dir.filePath(QStringLiteral("shared")));
        if (!dir.cdUp())
            break;
    }
    return QDir(sourceDir().filePath(QStringLiteral("../shared")));
}

QString testDataPath(const QString& relative) {
    return sourceDir().filePath(QStringLiteral("tests/data/") + relative);
}

QString kubectlPath() {
    return QStandardPaths::findExecutable(QStringLiteral("kubectl"));
}

ProcessResult runProcess(const QString& program, const QStringList& args, const QByteArray& input,
                         std::chrono::milliseconds timeout, const QStringList& extraEnv) {
    ProcessResult result;
    QProcess process;
    if (!extraEnv.isEmpty()) {
        // Replace, not append: with a name twice in the environment, which one wins is up to the child.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString& entry : extraEnv) {
            const qsizetype equals = entry.indexOf(QLatin1Char('='));
            env.insert(entry.left(equals), equals < 0 ? QString() : entry.mid(equals + 1));
        }
        process.setProcessEnvironment(env);
    }
    process.start(program, args);
    if (!process.waitForStarted(5000)) {
        result.err = process.errorString().toUtf8();
        return result;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(int(timeout.count()))) {
        result.timedOut = true;
        process.kill();
        process.waitForFinished(2000);
    }
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return result;
}

QByteArray readFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace driftdeck::test
