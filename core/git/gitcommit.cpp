#include "git/gitrepository_p.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

// Creating repositories and writing commits from file snapshots: how Driftdeck builds repositories
// of its own (the demo fleet) without a git binary and without a work tree.
namespace driftdeck::git {

using namespace detail;

namespace {

// Relative, '/'-separated, no empty, "." or ".." parts: what a tree entry path may be.
bool isPlainRelativePath(const QString& path) {
    if (path.isEmpty() || path.startsWith(QLatin1Char('/')) || path.contains(QLatin1Char('\\')))
        return false;
    for (const QString& part : path.split(QLatin1Char('/'))) {
        if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String("..") ||
            part == QLatin1String(".git"))
            return false;
    }
    return true;
}

} // namespace

Result<GitRepository> GitRepository::init(const QString& directory, bool bare, const QString& initialBranch) {
    ensureLibgit2();
    if (directory.isEmpty())
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("cannot create a repository: no directory given"));
    git_repository* existing = nullptr;
    if (git_repository_open_ext(&existing, directory.toUtf8().constData(), GIT_REPOSITORY_OPEN_NO_SEARCH,
                                nullptr) == 0) {
        git_repository_free(existing);
        return Error::make(Error::Code::Conflict,
                           QStringLiteral("cannot create a repository at %1: one exists there already "
                                          "(open it instead, or remove it first)")
                               .arg(directory));
    }
    if (!QDir().mkpath(directory))
        return Error::make(
            Error::Code::Invalid,
            QStringLiteral("cannot create the directory %1 (check its parent's permissions)").arg(directory));
    const QByteArray head = QStringLiteral("refs/heads/%1").arg(initialBranch).toUtf8();
    git_repository_init_options options = GIT_REPOSITORY_INIT_OPTIONS_INIT;
    options.flags = GIT_REPOSITORY_INIT_MKPATH;
    if (bare)
        options.flags |= GIT_REPOSITORY_INIT_BARE;
    options.initial_head = head.constData();
    git_repository* raw = nullptr;
    if (const int rc = git_repository_init_ext(&raw, directory.toUtf8().constData(), &options); rc != 0)
        return libgit2Error(rc, QStringLiteral("create a repository"), directory,
                            QStringLiteral("check that the directory is writable"));
    git_repository_free(raw);
    return open(directory);
}

Result<QString> GitRepository::commitSnapshot(const SnapshotCommit& commit) {
    if (Status present = d->checkPresent(); !present.ok())
        return present.error();
    git_repository* repo = d->repo.get();
    const QString branchRef = QStringLiteral("refs/heads/") + commit.branch;
    if (commit.branch.isEmpty() || !git_reference_is_valid_name(branchRef.toUtf8().constData()))
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("cannot commit to branch '%1' of %2: not a valid branch name")
                               .arg(commit.branch, d->name));
    if (!commit.time.isValid() || commit.authorName.isEmpty() || commit.authorEmail.isEmpty())
        return Error::make(
            Error::Code::Invalid,
            QStringLiteral("cannot commit to %1: the commit needs an author name, e-mail and time")
                .arg(d->name));
    QSet<QString> seen;
    for (const auto& [path, content] : commit.files) {
        Q_UNUSED(content);
        if (!isPlainRelativePath(path))
            return Error::make(
                Error::Code::Invalid,
                QStringLiteral("cannot commit '%1' to %2: a file path must be relative, without "
                               "'.', '..' or '.git' parts")
                    .arg(path, d->name));
        if (seen.contains(path))
            return Error::make(
                Error::Code::Invalid,
                QStringLiteral("cannot commit to %1: '%2' is listed twice").arg(d->name, path));
        seen.insert(path);
    }

    // An in-memory index builds the tree, nested directories included.
    git_index* rawIndex = nullptr;
    if (const int rc = git_index_new(&rawIndex); rc != 0)
        return d->error(rc, QStringLiteral("prepare a commit"));
    IndexHandle index(rawIndex);
    for (const auto& [path, content] : commit.files) {
        git_index_entry entry{};
        const QByteArray pathBytes = path.toUtf8();
        entry.path = pathBytes.constData();
        entry.mode = GIT_FILEMODE_BLOB;
        if (const int rc = git_blob_create_from_buffer(&entry.id, repo, content.constData(),
                                                       static_cast<size_t>(content.size()));
            rc != 0)
            return d->error(rc, QStringLiteral("store ") + path);
        if (const int rc = git_index_add(index.get(), &entry); rc != 0)
            return d->error(rc, QStringLiteral("stage ") + path);
    }
    git_oid treeId;
    if (const int rc = git_index_write_tree_to(&treeId, index.get(), repo); rc != 0)
        return d->error(rc, QStringLiteral("write the tree of a commit"));
    git_tree* rawTree = nullptr;
    if (const int rc = git_tree_lookup(&rawTree, repo, &treeId); rc != 0)
        return d->error(rc, QStringLiteral("read back the tree of a commit"));
    TreeHandle tree(rawTree);

    CommitHandle parent;
    git_oid parentId;
    const bool hasParent = git_reference_name_to_id(&parentId, repo, branchRef.toUtf8().constData()) == 0;
    if (hasParent) {
        git_commit* rawParent = nullptr;
        if (const int rc = git_commit_lookup(&rawParent, repo, &parentId); rc != 0)
            return d->error(rc, QStringLiteral("read the tip of ") + commit.branch);
        parent.reset(rawParent);
    }

    git_signature* rawSignature = nullptr;
    const int offsetMinutes = commit.time.offsetFromUtc() / 60;
    if (const int rc = git_signature_new(
            &rawSignature, commit.authorName.toUtf8().constData(), commit.authorEmail.toUtf8().constData(),
            static_cast<git_time_t>(commit.time.toSecsSinceEpoch()), offsetMinutes);
        rc != 0)
        return d->error(
            rc, QStringLiteral("make the commit's signature"),
            QStringLiteral("the author name and e-mail must not contain '<', '>' or line breaks"));
    SignatureHandle signature(rawSignature);

    const git_commit* parents[1] = {parent.get()};
    git_oid commitId;
    const QByteArray message = commit.message.endsWith(QLatin1Char('\n')) ? commit.message.toUtf8()
                                                                          : (commit.message + u'\n').toUtf8();
    if (const int rc = git_commit_create(&commitId, repo, nullptr, signature.get(), signature.get(), nullptr,
                                         message.constData(), tree.get(), hasParent ? 1 : 0, parents);
        rc != 0)
        return d->error(rc, QStringLiteral("write a commit"));
    git_reference* rawUpdated = nullptr;
    const QByteArray logMessage =
        QStringLiteral("driftdeck: commit %1").arg(commit.message.section(u'\n', 0, 0)).toUtf8();
    // Moves the branch only if nobody moved it meanwhile (or creates it when it is new).
    const int rc = hasParent
                       ? git_reference_create_matching(&rawUpdated, repo, branchRef.toUtf8().constData(),
                                                       &commitId, 1, &parentId, logMessage.constData())
                       : git_reference_create(&rawUpdated, repo, branchRef.toUtf8().constData(), &commitId, 0,
                                              logMessage.constData());
    if (rc != 0)
        return d->error(rc, QStringLiteral("move branch %1 to the new commit").arg(commit.branch));
    git_reference_free(rawUpdated);
    return oidText(&commitId);
}

} // namespace driftdeck::git
