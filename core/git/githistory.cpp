// History of a path and the diff one commit made under it. Both compare the path's subtree only,
// so a commit elsewhere in a large repository costs one tree-entry lookup.

#include "git/gitrepository_p.h"

namespace driftdeck::git {

using namespace detail;

namespace {

QDateTime toDateTime(const git_time& time) {
    return QDateTime::fromSecsSinceEpoch(time.time, Qt::OffsetFromUTC, time.offset * 60);
}

// The tree id of `path` in `commit`'s tree; a null oid when the path is absent.
git_oid subtreeId(const GitRepository::Private& d, git_commit* commit, const QString& path) {
    git_oid none;
    memset(&none, 0, sizeof none);
    Result<TreeHandle> tree = d.treeAt(commit, path);
    if (!tree)
        return none;
    return *git_tree_id(tree->get());
}

// The subtree at `path`, or nullptr (the empty tree) when the commit lacks it or it is no tree.
TreeHandle subtreeOrEmpty(const GitRepository::Private& d, git_commit* commit, const QString& path) {
    if (!commit)
        return {};
    Result<TreeHandle> tree = d.treeAt(commit, path);
    if (!tree)
        return {};
    return std::move(*tree);
}

Result<DiffHandle> diffSubtrees(const GitRepository::Private& d, git_commit* parent, git_commit* commit,
                                const QString& path) {
    TreeHandle oldTree = subtreeOrEmpty(d, parent, path);
    TreeHandle newTree = subtreeOrEmpty(d, commit, path);
    const QByteArray oldPrefix = path.isEmpty() ? QByteArray("a/") : "a/" + path.toUtf8() + '/';
    const QByteArray newPrefix = path.isEmpty() ? QByteArray("b/") : "b/" + path.toUtf8() + '/';
    git_diff_options options;
    git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
    options.old_prefix = oldPrefix.constData();
    options.new_prefix = newPrefix.constData();
    git_diff* raw = nullptr;
    if (const int rc = git_diff_tree_to_tree(&raw, d.repo.get(), oldTree.get(), newTree.get(), &options);
        rc != 0)
        return d.error(rc, QStringLiteral("comparing commit ") + shortOid(git_commit_id(commit)));
    DiffHandle diff(raw);
    git_diff_find_options find;
    git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
    find.flags = GIT_DIFF_FIND_RENAMES;
    if (const int rc = git_diff_find_similar(diff.get(), &find); rc != 0)
        return d.error(rc, QStringLiteral("finding renames in commit ") + shortOid(git_commit_id(commit)));
    return diff;
}

QString repoPath(const QString& root, const char* relative) {
    const QString rel = QString::fromUtf8(relative);
    return root.isEmpty() ? rel : root + QLatin1Char('/') + rel;
}

CommitHandle firstParent(git_commit* commit) {
    if (git_commit_parentcount(commit) == 0)
        return {};
    git_commit* raw = nullptr;
    if (git_commit_parent(&raw, commit, 0) != 0) {
        git_error_clear(); // a shallow or damaged history ends here
        return {};
    }
    return CommitHandle(raw);
}

CommitInfo describe(git_commit* commit) {
    CommitInfo info;
    info.id = oidText(git_commit_id(commit));
    for (unsigned int i = 0; i < git_commit_parentcount(commit); ++i)
        info.parentIds << oidText(git_commit_parent_id(commit, i));
    const git_signature* author = git_commit_author(commit);
    const git_signature* committer = git_commit_committer(commit);
    info.authorName = QString::fromUtf8(author->name);
    info.authorEmail = QString::fromUtf8(author->email);
    info.authorTime = toDateTime(author->when);
    info.committerName = QString::fromUtf8(committer->name);
    info.committerEmail = QString::fromUtf8(committer->email);
    info.commitTime = toDateTime(committer->when);
    const char* summary = git_commit_summary(commit);
    const char* body = git_commit_body(commit);
    info.summary = summary ? QString::fromUtf8(summary) : QString();
    info.body = body ? QString::fromUtf8(body).trimmed() : QString();
    return info;
}

} // namespace

Result<QList<CommitInfo>> GitRepository::history(const QString& revision, const QString& path, int maxCount,
                                                 const std::atomic_bool* cancel) const {
    Result<QString> normal = d->normalisePath(path);
    if (!normal)
        return normal.error();
    Result<Private::Commit> start = d->lookupCommit(revision);
    if (!start)
        return start.error();
    QList<CommitInfo> out;
    // Walking first parents by hand keeps the order that of the branch's own history, as
    // `git log --first-parent` shows it, and stops as soon as enough commits are found.
    CommitHandle current = std::move(start->commit);
    while (current && out.size() < maxCount) {
        if (cancel && cancel->load())
            return Error::make(Error::Code::Cancelled, QStringLiteral("reading the history of ") + d->name +
                                                           QStringLiteral(" was cancelled"));
        CommitHandle parent = firstParent(current.get());
        const git_oid mine = subtreeId(*d, current.get(), *normal);
        git_oid theirs;
        memset(&theirs, 0, sizeof theirs);
        if (parent)
            theirs = subtreeId(*d, parent.get(), *normal);
        if (!git_oid_equal(&mine, &theirs)) {
            Result<DiffHandle> diff = diffSubtrees(*d, parent.get(), current.get(), *normal);
            if (!diff)
                return diff.error();
            CommitInfo info = describe(current.get());
            const size_t count = git_diff_num_deltas(diff->get());
            for (size_t i = 0; i < count; ++i) {
                const git_diff_delta* delta = git_diff_get_delta(diff->get(), i);
                if (delta->status == GIT_DELTA_RENAMED)
                    info.changedFiles << repoPath(*normal, delta->old_file.path);
                info.changedFiles << repoPath(*normal, delta->new_file.path);
            }
            out << std::move(info);
        }
        current = std::move(parent);
    }
    return out;
}

Result<CommitDiff> GitRepository::commitDiff(const QString& revision, const QString& path,
                                             const ReadLimits& limits) const {
    Result<QString> normal = d->normalisePath(path);
    if (!normal)
        return normal.error();
    Result<Private::Commit> commit = d->lookupCommit(revision);
    if (!commit)
        return commit.error();
    CommitHandle parent = firstParent(commit->commit.get());
    Result<DiffHandle> diff = diffSubtrees(*d, parent.get(), commit->commit.get(), *normal);
    if (!diff)
        return diff.error();
    git_odb* rawOdb = nullptr;
    if (const int rc = git_repository_odb(&rawOdb, d->repo.get()); rc != 0)
        return d->error(rc, QStringLiteral("opening the object database"));
    OdbHandle odb(rawOdb);

    CommitDiff out;
    out.commitId = oidText(git_commit_id(commit->commit.get()));
    out.parentId = parent ? oidText(git_commit_id(parent.get())) : QString();
    out.path = *normal;
    const auto sizeOf = [&](const git_diff_file& file) -> qint64 {
        if (git_oid_is_zero(&file.id))
            return 0;
        size_t size = 0;
        git_object_t type = GIT_OBJECT_INVALID;
        if (git_odb_read_header(&size, &type, odb.get(), &file.id) != 0) {
            git_error_clear();
            return 0;
        }
        return qint64(size);
    };
    const auto contentOf = [&](const git_diff_file& file) -> QByteArray {
        if (git_oid_is_zero(&file.id))
            return {};
        git_blob* raw = nullptr;
        if (git_blob_lookup(&raw, d->repo.get(), &file.id) != 0) {
            git_error_clear();
            return {};
        }
        BlobHandle blob(raw);
        return QByteArray(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                          qsizetype(git_blob_rawsize(blob.get())));
    };

    const size_t count = git_diff_num_deltas(diff->get());
    for (size_t i = 0; i < count; ++i) {
        const git_diff_delta* delta = git_diff_get_delta(diff->get(), i);
        FileChange change;
        switch (delta->status) {
        case GIT_DELTA_ADDED:
            change.status = FileChange::Status::Added;
            break;
        case GIT_DELTA_DELETED:
            change.status = FileChange::Status::Deleted;
            break;
        case GIT_DELTA_RENAMED:
            change.status = FileChange::Status::Renamed;
            break;
        case GIT_DELTA_TYPECHANGE:
            change.status = FileChange::Status::TypeChanged;
            break;
        default:
            change.status = FileChange::Status::Modified;
            break;
        }
        if (delta->status != GIT_DELTA_ADDED)
            change.oldPath = repoPath(*normal, delta->old_file.path);
        if (delta->status != GIT_DELTA_DELETED)
            change.newPath = repoPath(*normal, delta->new_file.path);
        // Sizes come from object headers: a huge blob is never loaded just to be shown.
        if (sizeOf(delta->old_file) > limits.maxFileSize || sizeOf(delta->new_file) > limits.maxFileSize) {
            change.contentOmitted = true;
            out.files << std::move(change);
            continue;
        }
        if (delta->old_file.mode != GIT_FILEMODE_COMMIT)
            change.oldContent = contentOf(delta->old_file);
        if (delta->new_file.mode != GIT_FILEMODE_COMMIT)
            change.newContent = contentOf(delta->new_file);
        git_patch* rawPatch = nullptr;
        if (git_patch_from_diff(&rawPatch, diff->get(), i) == 0 && rawPatch) {
            PatchHandle patch(rawPatch);
            git_buf buf = GIT_BUF_INIT;
            if (git_patch_to_buf(&buf, patch.get()) == 0)
                change.patch = QString::fromUtf8(buf.ptr, qsizetype(buf.size));
            git_buf_dispose(&buf);
        }
        git_error_clear();
        change.binary = (git_diff_get_delta(diff->get(), i)->flags & GIT_DIFF_FLAG_BINARY) != 0;
        out.files << std::move(change);
    }
    return out;
}

} // namespace driftdeck::git
