#include "clifleetsupport.h"

#include "gittestrepo.h"
#include "workspace/workspace.h"

#include <QDir>
#include <QFile>
#include <QMutex>
#include <QStandardPaths>

#include <pwd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace driftdeck::engine::test {

namespace {

QMutex& logMutex() {
    static QMutex mutex;
    return mutex;
}
QString& logText() {
    static QString text;
    return text;
}
QtMessageHandler& previousHandler() {
    static QtMessageHandler handler = nullptr;
    return handler;
}

void captureMessage(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    {
        QMutexLocker lock(&logMutex());
        logText() += QString::fromUtf8(context.category ? context.category : "") + u": "_s + message + u'\n';
    }
    if (previousHandler())
        previousHandler()(type, context, message);
}

const QList<QByteArray> kXdgVariables{"XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"};

} // namespace

LogCapture::LogCapture() {
    QMutexLocker lock(&logMutex());
    logText().clear();
    previousHandler() = qInstallMessageHandler(captureMessage);
}

LogCapture::~LogCapture() {
    qInstallMessageHandler(previousHandler());
}

QString LogCapture::text() const {
    QMutexLocker lock(&logMutex());
    return logText();
}

XdgSandbox::XdgSandbox() {
    // The Git test repositories point HOME and XDG_CACHE_HOME elsewhere the first time one is made:
    // let that happen first, so it never overrides this sandbox.
    driftdeck::test::isolateGitEnvironment();
    for (const QByteArray& name : kXdgVariables) {
        m_saved.insert(name, qEnvironmentVariableIsSet(name.constData())
                                 ? std::optional<QByteArray>(qgetenv(name.constData()))
                                 : std::nullopt);
        const QString dir = m_dir.filePath(QString::fromLatin1(name).toLower());
        QDir().mkpath(dir);
        qputenv(name.constData(), QFile::encodeName(dir));
    }
}

XdgSandbox::~XdgSandbox() {
    for (auto it = m_saved.cbegin(); it != m_saved.cend(); ++it) {
        if (it.value())
            qputenv(it.key().constData(), *it.value());
        else
            qunsetenv(it.key().constData());
    }
}

QString XdgSandbox::historyPath() const {
    return m_dir.filePath(u"xdg_data_home/driftdeck/history.sqlite"_s);
}

bool CliFleet::writeWorkspace(const QList<AppSpec>& apps) {
    return workspace::saveWorkspace(fleet.workspace(apps), workspacePath()).ok();
}

CliRun runVerb(CliVerb verb, const QStringList& arguments) {
    CliRun run;
    QTextStream out(&run.out);
    QTextStream err(&run.err);
    run.exitCode = verb(arguments, out, err);
    out.flush();
    err.flush();
    return run;
}

CliRun CliFleet::run(CliVerb verb, const QStringList& arguments) const {
    return runVerb(verb,
                   QStringList{u"--workspace"_s, workspacePath(), u"--kubeconfig"_s, fleet.kubeconfigPath()} +
                       arguments);
}

QString findHelm() {
    // The test repositories point HOME elsewhere: the realkube cache is under the account's home.
    const passwd* account = ::getpwuid(::getuid());
    const QString home = account ? QFile::decodeName(account->pw_dir) : QDir::homePath();
    const QString root = home + u"/.cache/driftdeck/realkube/helm/"_s;
    QFile current(root + u"current"_s);
    if (current.open(QIODevice::ReadOnly)) {
        const QString version = QString::fromUtf8(current.readAll()).trimmed();
        const QString binary = root + version + u"/bin/helm"_s;
        if (!version.isEmpty() && QFile::exists(root + version + u"/complete"_s) &&
            QFileInfo(binary).isExecutable())
            return binary;
    }
    return QStandardPaths::findExecutable(u"helm"_s);
}

} // namespace driftdeck::engine::test
