#include "gittestrepo.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace driftdeck::test {

namespace {

QString& fakeHome() {
    static QString home;
    return home;
}

QStringList gitEnvironment() {
    return {QStringLiteral("HOME=") + fakeHome(),
            QStringLiteral("XDG_CONFIG_HOME=") + fakeHome() + QStringLiteral("/.config"),
            QStringLiteral("GIT_CONFIG_NOSYSTEM=1"),
            QStringLiteral("GIT_AUTHOR_NAME=Ada Author"),
            QStringLiteral("GIT_AUTHOR_EMAIL=ada@example.com"),
            QStringLiteral("GIT_COMMITTER_NAME=Ada Author"),
            QStringLiteral("GIT_COMMITTER_EMAIL=ada@example.com"),
            QStringLiteral("GIT_TERMINAL_PROMPT=0")};
}

} // namespace

void isolateGitEnvironment() {
    if (!fakeHome().isEmpty())
        return;
    static QTemporaryDir home;
    fakeHome() = home.path();
    qputenv("HOME", home.path().toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", (home.path() + QStringLiteral("/.config")).toLocal8Bit());
    qputenv("XDG_CACHE_HOME", (home.path() + QStringLiteral("/.cache")).toLocal8Bit());
    qputenv("GIT_CONFIG_NOSYSTEM", "1");
}

GitTestRepo::GitTestRepo() {
    isolateGitEnvironment();
    if (!m_tmp.isValid())
        return;
    git(root(), {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("--bare"), QStringLiteral("-b"),
                 QStringLiteral("main"), remotePath()});
    git(root(), {QStringLiteral("clone"), QStringLiteral("-q"), remotePath(), workPath()});
    gitWork({QStringLiteral("checkout"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("main")});
    gitWork({QStringLiteral("config"), QStringLiteral("user.name"), QStringLiteral("Ada Author")});
    gitWork({QStringLiteral("config"), QStringLiteral("user.email"), QStringLiteral("ada@example.com")});
    m_valid = !::testing::Test::HasFailure();
}

QString GitTestRepo::git(const QString& dir, const QStringList& args, const QByteArray& input) {
    const ProcessResult result =
        runProcess(QStringLiteral("git"), QStringList{QStringLiteral("-C"), dir} + args, input,
                   std::chrono::seconds(60), gitEnvironment());
    EXPECT_EQ(result.exitCode, 0) << "git " << args.join(QLatin1Char(' ')).toStdString()
                                  << " failed: " << result.err.toStdString();
    return QString::fromUtf8(result.out).trimmed();
}

void GitTestRepo::write(const QString& relative, const QByteArray& content) {
    const QString path = workPath() + QLatin1Char('/') + relative;
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate)) << path.toStdString();
    file.write(content);
}

void GitTestRepo::remove(const QString& relative) {
    QFile::remove(workPath() + QLatin1Char('/') + relative);
}

QString GitTestRepo::commitAll(const QString& message) {
    gitWork({QStringLiteral("add"), QStringLiteral("-A")});
    gitWork({QStringLiteral("commit"), QStringLiteral("-q"), QStringLiteral("-m"), message});
    return workRev(QStringLiteral("HEAD"));
}

void GitTestRepo::push(const QString& branch) {
    gitWork({QStringLiteral("push"), QStringLiteral("-q"), QStringLiteral("origin"), branch});
}

QString GitTestRepo::cloneAnother(const QString& name) {
    const QString path = root() + QLatin1Char('/') + name;
    git(root(), {QStringLiteral("clone"), QStringLiteral("-q"), remotePath(), path});
    git(path, {QStringLiteral("config"), QStringLiteral("user.name"), QStringLiteral("Bob Other")});
    git(path, {QStringLiteral("config"), QStringLiteral("user.email"), QStringLiteral("bob@example.com")});
    return path;
}

} // namespace driftdeck::test
