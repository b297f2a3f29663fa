#pragma once

#include "model/error.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

// The demo repository's content and history as shipped in resources/demo (compiled in as Qt
// resources), and building the repository from it.
namespace driftdeck::demo::detail {

// Where the shipped content is: resources/demo compiled into the library.
QString resourceRoot();

struct HistoryCommit {
    QString directory; // under <content root>/commits
    QString authorName;
    QString authorEmail;
    QDateTime date;
    QString message;
    QStringList remove; // repository paths deleted by this commit
    bool bad = false;
};

struct History {
    QString branch;
    QList<HistoryCommit> commits;
    const HistoryCommit* badCommit() const;
};

// Reads <contentRoot>/history.yaml; checks that every directory exists and exactly one commit is bad.
Result<History> readHistory(const QString& contentRoot);

// SHA-256 over every file under `contentRoot` (paths and bytes, in path order), hex: tells whether
// an existing demo was built from this content.
QByteArray contentHash(const QString& contentRoot);

struct RepositoryFacts {
    QString headCommitId;
    QString badCommitId;
    QString badCommitSummary;
    int commitCount = 0;
};

// Creates the bare repository at `path` (which must not exist) with the history's commits.
Result<RepositoryFacts> buildRepository(const History& history, const QString& contentRoot,
                                        const QString& path);

// An existing demo repository: its head, and the bad commit found by its summary (it stays in the
// history after a revert). Fails when the repository is damaged or the bad commit is gone.
Result<RepositoryFacts> inspectRepository(const History& history, const QString& path);

} // namespace driftdeck::demo::detail
