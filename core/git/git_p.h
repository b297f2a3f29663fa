#pragma once

// Internal helpers of the Git layer: libgit2 handle ownership, error translation, URL redaction.
// Not installed, not included outside core/git.

#include "git/gittypes.h"
#include "model/error.h"

#include <QLoggingCategory>
#include <QString>

#include <git2.h>
#include <memory>
#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcGit)

namespace driftdeck::git::detail {

template <typename T, void (*Free)(T*)>
struct FreeWith {
    void operator()(T* p) const {
        if (p)
            Free(p);
    }
};
template <typename T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, FreeWith<T, Free>>;

using RepositoryHandle = Handle<git_repository, git_repository_free>;
using ObjectHandle = Handle<git_object, git_object_free>;
using CommitHandle = Handle<git_commit, git_commit_free>;
using TreeHandle = Handle<git_tree, git_tree_free>;
using TreeEntryHandle = Handle<git_tree_entry, git_tree_entry_free>;
using ReferenceHandle = Handle<git_reference, git_reference_free>;
using RemoteHandle = Handle<git_remote, git_remote_free>;
using RevwalkHandle = Handle<git_revwalk, git_revwalk_free>;
using DiffHandle = Handle<git_diff, git_diff_free>;
using PatchHandle = Handle<git_patch, git_patch_free>;
using IndexHandle = Handle<git_index, git_index_free>;
using OdbHandle = Handle<git_odb, git_odb_free>;
using BlobHandle = Handle<git_blob, git_blob_free>;
using SignatureHandle = Handle<git_signature, git_signature_free>;
using StatusListHandle = Handle<git_status_list, git_status_list_free>;
using ConflictIteratorHandle = Handle<git_index_conflict_iterator, git_index_conflict_iterator_free>;

// How many times a tree read has built its set of symbolic links, for the test that a tree with
// many links is checked in linear time (once per read, not once per link).
qint64 linkSetBuilds();

// git_libgit2_init() once per process; libgit2 stays initialised until exit.
void ensureLibgit2();

// Removes "user:password@" (any userinfo) from every scheme://userinfo@host in `text`.
QString redactUrl(const QString& text);

// libgit2's last error message for `code`, credentials removed, or a fallback.
QString lastErrorText(int code);

// An Error from libgit2's last error, naming the repository and the fix.
Error libgit2Error(int code, const QString& action, const QString& repository, const QString& fix = {});

QString oidText(const git_oid* oid);
QString shortOid(const git_oid* oid);
QByteArray toPathBytes(const QString& path);

// Normalises a repository-relative path ("./a/b/", "/a/b" -> "a/b"); nullopt for "..".
std::optional<QString> normalisedRepoPath(const QString& path);

// State shared by libgit2's remote callbacks during one clone, fetch or push.
struct RemoteSession {
    RemoteSession(const RemoteOptions& options, QString displayUrl);
    const RemoteOptions& options;
    QString displayUrl;
    int credentialAttempts = 0;
    std::optional<Error> credentialFailure;
    QStringList pushRejections;

    bool cancelled() const { return options.cancel && options.cancel->load(); }
    void fill(git_remote_callbacks& callbacks);
    // Translates a failed transfer into the right Error: cancellation, credential problems,
    // or the network/remote error.
    Error failure(int code, const QString& action) const;
};

// Remote configuration read straight from the repository's config. libgit2 1.5 leaks memory on
// every git_remote_lookup()/git_remote_create() that applies url.*.insteadOf rewriting (a regex
// match whose data is not freed), so remotes are read from config and created with
// createRemote(), which skips that rewriting.
struct RemoteConfig {
    QString name;
    QByteArray url;     // as configured (may carry credentials: never show it)
    QByteArray pushUrl; // pushurl, else url
    QList<QByteArray> fetchRefspecs;
};
std::optional<RemoteConfig> remoteConfig(git_repository* repo, const QString& name);
// An in-memory remote for `url`, bound to `repo`, with no configured refspecs.
int createRemote(RemoteHandle& out, git_repository* repo, const QByteArray& url);

// Implemented in gitcredentials.cpp.
int acquireCredential(git_credential** out, const char* url, const char* usernameFromUrl,
                      unsigned int allowed, void* payload);

} // namespace driftdeck::git::detail
