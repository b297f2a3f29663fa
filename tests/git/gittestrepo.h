#pragma once

// Builds throw-away Git repositories with the git CLI: a bare "remote" and a working clone of it,
// with a private HOME so the user's Git configuration never leaks into a test.

#include "testsupport.h"

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <gtest/gtest.h>

namespace driftdeck::test {

// Call before the first libgit2 use in the process: libgit2 reads HOME once when it starts.
void isolateGitEnvironment();

class GitTestRepo {
public:
    GitTestRepo();

    bool valid() const { return m_valid; }
    QString root() const { return m_tmp.path(); }
    QString remotePath() const { return root() + QStringLiteral("/remote.git"); }
    QString remoteUrl() const { return QStringLiteral("file://") + remotePath(); }
    QString workPath() const { return root() + QStringLiteral("/work"); }
    QString cacheRoot() const { return root() + QStringLiteral("/cache"); }

    // Runs git in `dir`; returns trimmed stdout, records a test failure on a non-zero exit.
    QString git(const QString& dir, const QStringList& args, const QByteArray& input = {});
    QString gitWork(const QStringList& args) { return git(workPath(), args); }

    void write(const QString& relative, const QByteArray& content);
    void remove(const QString& relative);
    // git add -A && git commit; returns the new commit id.
    QString commitAll(const QString& message);
    void push(const QString& branch = QStringLiteral("main"));
    QString remoteRev(const QString& rev) { return git(remotePath(), {QStringLiteral("rev-parse"), rev}); }
    QString workRev(const QString& rev) { return gitWork({QStringLiteral("rev-parse"), rev}); }

    // A second, independent clone of the remote (another operator's machine).
    QString cloneAnother(const QString& name);

private:
    QTemporaryDir m_tmp;
    bool m_valid = false;
};

} // namespace driftdeck::test
