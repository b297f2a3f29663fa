#pragma once

// Value types of the Git layer. They hold no libgit2 handles, so they are cheap to copy and safe
// to send across threads (queued signals, QFuture results).

#include "model/appspec.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace driftdeck::git {

// Where a credential comes from — never the secret itself, so a reference may be stored in a
// workspace file, logged and copied freely. The secret is read only at the moment libgit2 asks.
struct CredentialRef {
    enum class Kind {
        None,             // anonymous, or whatever the URL allows (file://, local paths)
        TokenEnv,         // https token in the environment variable `source`
        TokenFile,        // https token in the file `source` (first line, trimmed; a leading ~/ is $HOME)
        CredentialHelper, // `git credential fill`: the user's configured credential helper
        SshAgent,         // ssh keys from the running ssh-agent
        SshKeyFile,       // ssh private key file `source` (public key `source`.pub if present; ~/ is $HOME)
    };
    Kind kind = Kind::None;
    QString source;
    // https user for tokens (default "x-access-token"); ssh user (default: from the URL, else "git").
    QString username;
    // SshKeyFile: name of an environment variable holding the key's passphrase (optional).
    QString passphraseEnv;
};

// The Git layer's form of a workspace repository's credential reference (model/appspec.h).
CredentialRef credentialRefOf(const CredentialsRef& ref);

// Progress of a clone, fetch or push, as libgit2 reports it.
struct TransferProgress {
    enum class Phase { Receiving, Indexing, Pushing };
    Phase phase = Phase::Receiving;
    quint64 totalObjects = 0;
    quint64 receivedObjects = 0;
    quint64 indexedObjects = 0;
    quint64 receivedBytes = 0;
};
using ProgressCallback = std::function<void(const TransferProgress&)>;

// How to talk to a repository's remote. `cancel` is checked in libgit2's progress callbacks
// (a set flag aborts the transfer, reported as Error::Code::Cancelled).
struct RemoteOptions {
    CredentialRef credentials;
    ProgressCallback progress;
    const std::atomic_bool* cancel = nullptr;
};

// A revision resolved to a commit, and a path of it to a tree.
struct ResolvedRevision {
    QString revision; // as asked: "main", "v1.2", "origin/main", "HEAD", "3f2a9c1"
    QString commitId; // full hex id
    QString refName;  // full ref name when `revision` named a ref, else empty
    QString path;     // "" is the repository root
    QString treeId;   // tree id of `path` at the commit: the render cache key
};

// Limits that keep a hostile or mistaken repository from exhausting memory or disk.
struct ReadLimits {
    qint64 maxFileSize = 10 * 1024 * 1024;
    int maxFileCount = 20000;
    qint64 maxTotalSize = 512 * 1024 * 1024;
    // Blame: commits followed back along first parents before the walk stops. Lines older than
    // that are given to the commit where it stopped, marked depthLimited. libgit2's blame costs a
    // tree lookup per commit and a diff per change of the file, so an unbounded walk of a long
    // history could hold the Git thread for minutes (and it cannot be cancelled once started).
    int maxBlameDepth = 5000;
};

struct TreeFile {
    enum class Kind { File, Executable, Symlink };
    QString path; // relative to the read path, '/'-separated
    Kind kind = Kind::File;
    QByteArray content;    // file bytes (empty for symlinks and in materialised snapshots)
    QString symlinkTarget; // Symlink: the link's target as stored in Git (relative)
    QString blobId;
    qint64 size = 0;
};

// The files under one path at one commit.
struct TreeSnapshot {
    QString commitId;
    QString path;
    QString treeId;
    QList<TreeFile> files;         // sorted by path
    QStringList skippedSubmodules; // gitlink entries, relative to `path`; never followed
    QString directory;             // set by materialise(): where the files were written
};

struct CommitInfo {
    QString id;
    QStringList parentIds;
    QString authorName;
    QString authorEmail;
    QDateTime authorTime;
    QString committerName;
    QString committerEmail;
    QDateTime commitTime;
    QString summary;          // first paragraph of the message, on one line
    QString body;             // the rest of the message
    QStringList changedFiles; // repository-relative paths under the asked path, vs. the first parent
};

struct FileChange {
    enum class Status { Added, Modified, Deleted, Renamed, TypeChanged };
    Status status = Status::Modified;
    QString oldPath;
    QString newPath;
    bool binary = false;
    bool contentOmitted = false; // a side was larger than the read limit: contents and patch empty
    QByteArray oldContent;
    QByteArray newContent;
    QString patch; // unified diff of this file ("diff --git ..." header included)
};

// What one commit changed under a path, against its first parent (or the empty tree).
struct CommitDiff {
    QString commitId;
    QString parentId; // empty for a root commit
    QString path;
    QList<FileChange> files;
};

// A run of consecutive lines of a file that blame gives to one commit.
struct BlameHunk {
    int startLine = 0; // 1-based, in the file at the blamed revision
    int lineCount = 0;
    QString commitId; // the commit that last changed these lines
    QString authorName;
    QString authorEmail;
    QDateTime authorTime;
    QString summary;      // first paragraph of the commit message, on one line
    QString originalPath; // the file's path in that commit (differs when the file was renamed since)
    int originalStartLine = 0;
    // The walk stopped at ReadLimits::maxBlameDepth: these lines are at least as old as
    // `commitId`, which may not be the commit that wrote them.
    bool depthLimited = false;
};

// One line of a blamed file.
struct BlameLine {
    int line = 0; // 1-based
    QString commitId;
    QString authorName;
    QString authorEmail;
    QDateTime authorTime;
    QString summary;
    bool depthLimited = false;
};

// One entry per line of the file, in order, from blame's hunks (which cover the file without gaps).
QList<BlameLine> blameLines(const QList<BlameHunk>& hunks);

struct RevertRequest {
    QString commit; // revision of the commit to revert
    QString branch; // branch that receives the revert commit (short name, e.g. "main")
    // Author and committer; when empty, user.name / user.email from the repository's config.
    QString authorName;
    QString authorEmail;
    bool push = true; // push the branch to `remote` afterwards
    QString remote = QStringLiteral("origin");
};

struct RevertResult {
    QString revertCommitId;
    QString previousTip; // the branch's commit before the revert
    QString branch;
    QString message;
    QStringList changedFiles;
    bool workTreeUpdated = false; // a non-bare repository whose HEAD is `branch` was checked out
    bool pushed = false;
    QString pushNote; // why it was not pushed, or where it went
};

// A commit written straight into the object database: its tree is exactly `files` (every file of
// the commit, not a change set), its parent the branch's tip (none when the branch is new). For
// repositories Driftdeck builds itself (the demo fleet); a work tree, if any, is not touched.
struct SnapshotCommit {
    QString branch = QStringLiteral("main"); // short name
    QList<QPair<QString, QByteArray>> files; // '/'-separated repository paths and their contents
    QString message;
    QString authorName;
    QString authorEmail;
    QDateTime time; // author and committer time (and its UTC offset); must be valid
};

// The version of the libgit2 library linked in ("1.5.1"), for the About box and bug reports.
QString libgit2Version();

} // namespace driftdeck::git

Q_DECLARE_METATYPE(driftdeck::git::TransferProgress)
