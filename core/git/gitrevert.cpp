// Reverting a commit onto a branch. Everything that can fail is checked before the first change
// (conflicts, dirty files, signature); then objects are written, the work tree (if any) updated
// with a safe checkout, the branch moved with a compare-and-swap, and finally pushed.

#include "git/gitrepository_p.h"

namespace driftdeck::git {

using namespace detail;

namespace {

struct PathList {
    explicit PathList(const QStringList& paths) {
        for (const QString& path : paths)
            bytes << path.toUtf8();
        for (const QByteArray& b : bytes)
            pointers.push_back(const_cast<char*>(b.constData()));
        array.strings = pointers.data();
        array.count = pointers.size();
    }
    QList<QByteArray> bytes;
    std::vector<char*> pointers;
    git_strarray array{};
};

QStringList conflictingPaths(git_index* index) {
    QStringList paths;
    git_index_conflict_iterator* raw = nullptr;
    if (git_index_conflict_iterator_new(&raw, index) != 0)
        return paths;
    ConflictIteratorHandle it(raw);
    const git_index_entry* ancestor = nullptr;
    const git_index_entry* ours = nullptr;
    const git_index_entry* theirs = nullptr;
    while (git_index_conflict_next(&ancestor, &ours, &theirs, it.get()) == 0) {
        const git_index_entry* any = ours ? ours : theirs ? theirs : ancestor;
        if (any)
            paths << QString::fromUtf8(any->path);
    }
    git_error_clear();
    paths.removeDuplicates();
    return paths;
}

} // namespace

Result<RevertResult> GitRepository::revert(const RevertRequest& request, const RemoteOptions& options) {
    git_repository* repo = d->repo.get();
    Result<Private::Commit> target = d->lookupCommit(request.commit);
    if (!target)
        return target.error();
    git_commit* reverted = target->commit.get();
    const QString revertedId = oidText(git_commit_id(reverted));
    const QString shortId = shortOid(git_commit_id(reverted));
    if (git_commit_parentcount(reverted) > 1)
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("commit ") + shortId + QStringLiteral(" in ") + d->name +
                               QStringLiteral(" is a merge; reverting merges is not supported "
                                              "(revert it with git and a chosen mainline)"));
    if (git_commit_parentcount(reverted) == 0)
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("commit ") + shortId + QStringLiteral(" in ") + d->name +
                               QStringLiteral(" is the first commit and cannot be reverted"));

    const QString branchRef = QStringLiteral("refs/heads/") + request.branch;
    git_reference* rawBranch = nullptr;
    if (request.branch.isEmpty() ||
        git_reference_lookup(&rawBranch, repo, branchRef.toUtf8().constData()) != 0) {
        git_error_clear();
        return Error::make(Error::Code::NotFound,
                           QStringLiteral("branch '") + request.branch +
                               QStringLiteral("' not found in repository ") + d->name +
                               QStringLiteral(" (check the application's target branch)"));
    }
    ReferenceHandle branch(rawBranch);
    git_object* rawTip = nullptr;
    if (const int rc = git_reference_peel(&rawTip, branch.get(), GIT_OBJECT_COMMIT); rc != 0)
        return d->error(rc, QStringLiteral("reading branch '") + request.branch + QLatin1Char('\''));
    CommitHandle tip(reinterpret_cast<git_commit*>(rawTip));
    const git_oid tipId = *git_commit_id(tip.get());

    // 1. Compute the revert in memory; nothing on disk changes yet.
    git_merge_options merge;
    git_merge_options_init(&merge, GIT_MERGE_OPTIONS_VERSION);
    git_index* rawIndex = nullptr;
    if (const int rc = git_revert_commit(&rawIndex, repo, reverted, tip.get(), 0, &merge); rc != 0)
        return d->error(rc, QStringLiteral("computing the revert of ") + shortId);
    IndexHandle index(rawIndex);
    if (git_index_has_conflicts(index.get())) {
        const QStringList conflicts = conflictingPaths(index.get());
        return Error::make(Error::Code::Conflict,
                           QStringLiteral("reverting ") + shortId + QStringLiteral(" onto '") +
                               request.branch + QStringLiteral("' in ") + d->name +
                               QStringLiteral(" conflicts in: ") + conflicts.join(QStringLiteral(", ")) +
                               QStringLiteral(" (later commits changed the same lines; revert those first or "
                                              "resolve it by hand)"));
    }
    git_oid treeId;
    if (const int rc = git_index_write_tree_to(&treeId, index.get(), repo); rc != 0)
        return d->error(rc, QStringLiteral("writing the revert of ") + shortId);
    git_tree* rawNewTree = nullptr;
    if (const int rc = git_tree_lookup(&rawNewTree, repo, &treeId); rc != 0)
        return d->error(rc, QStringLiteral("writing the revert of ") + shortId);
    TreeHandle newTree(rawNewTree);
    git_tree* rawOldTree = nullptr;
    if (const int rc = git_commit_tree(&rawOldTree, tip.get()); rc != 0)
        return d->error(rc, QStringLiteral("reading branch '") + request.branch + QLatin1Char('\''));
    TreeHandle oldTree(rawOldTree);
    if (git_oid_equal(&treeId, git_tree_id(oldTree.get())))
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("reverting ") + shortId + QStringLiteral(" onto '") +
                               request.branch + QStringLiteral("' in ") + d->name +
                               QStringLiteral(" changes nothing (it is already reverted)"));

    RevertResult result;
    result.branch = request.branch;
    result.previousTip = oidText(&tipId);
    {
        git_diff* rawDiff = nullptr;
        if (const int rc = git_diff_tree_to_tree(&rawDiff, repo, oldTree.get(), newTree.get(), nullptr);
            rc != 0)
            return d->error(rc, QStringLiteral("comparing the revert of ") + shortId);
        DiffHandle diff(rawDiff);
        for (size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i) {
            const git_diff_delta* delta = git_diff_get_delta(diff.get(), i);
            result.changedFiles << QString::fromUtf8(delta->old_file.path);
            result.changedFiles << QString::fromUtf8(delta->new_file.path);
        }
        result.changedFiles.removeDuplicates();
    }

    // 2. A checkout whose HEAD is this branch must be clean where the revert writes.
    bool updateWorkTree = false;
    if (!git_repository_is_bare(repo)) {
        git_reference* rawHead = nullptr;
        if (git_reference_lookup(&rawHead, repo, "HEAD") == 0) {
            ReferenceHandle head(rawHead);
            const char* symbolic = git_reference_symbolic_target(head.get());
            updateWorkTree = symbolic && branchRef == QString::fromUtf8(symbolic);
        }
        git_error_clear();
    }
    PathList affected(result.changedFiles);
    if (updateWorkTree) {
        git_status_options statusOptions;
        git_status_options_init(&statusOptions, GIT_STATUS_OPTIONS_VERSION);
        statusOptions.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
        statusOptions.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
        statusOptions.pathspec = affected.array;
        git_status_list* rawStatus = nullptr;
        if (const int rc = git_status_list_new(&rawStatus, repo, &statusOptions); rc != 0)
            return d->error(rc, QStringLiteral("checking the work tree"));
        StatusListHandle status(rawStatus);
        QStringList dirty;
        for (size_t i = 0; i < git_status_list_entrycount(status.get()); ++i) {
            const git_status_entry* entry = git_status_byindex(status.get(), i);
            if (entry->status == GIT_STATUS_CURRENT)
                continue;
            const git_diff_delta* delta =
                entry->index_to_workdir ? entry->index_to_workdir : entry->head_to_index;
            if (delta)
                dirty << QString::fromUtf8(delta->new_file.path ? delta->new_file.path
                                                                : delta->old_file.path);
        }
        if (!dirty.isEmpty())
            return Error::make(Error::Code::Conflict,
                               QStringLiteral("cannot revert ") + shortId + QStringLiteral(" in ") + d->name +
                                   QStringLiteral(": the work tree has uncommitted changes in ") +
                                   dirty.join(QStringLiteral(", ")) +
                                   QStringLiteral(" (commit or stash them first)"));
    }

    // 3. Who signs the commit.
    git_signature* rawSignature = nullptr;
    int signatureRc = 0;
    if (!request.authorName.isEmpty() && !request.authorEmail.isEmpty())
        signatureRc = git_signature_now(&rawSignature, request.authorName.toUtf8().constData(),
                                        request.authorEmail.toUtf8().constData());
    else
        signatureRc = git_signature_default(&rawSignature, repo);
    if (signatureRc != 0) {
        git_error_clear();
        return Error::make(Error::Code::Invalid, QStringLiteral("no author for the revert commit in ") +
                                                     d->name +
                                                     QStringLiteral(" (set user.name and user.email in Git's "
                                                                    "configuration, or give an author)"));
    }
    SignatureHandle signature(rawSignature);

    // 4. Write the commit object (no ref moves yet).
    const char* summary = git_commit_summary(reverted);
    result.message = QStringLiteral("Revert \"") + QString::fromUtf8(summary ? summary : "") +
                     QStringLiteral("\"\n\nThis reverts commit ") + revertedId + QStringLiteral(".\n");
    const QByteArray message = result.message.toUtf8();
    git_oid commitId;
    const git_commit* parents[] = {tip.get()};
    if (const int rc = git_commit_create(&commitId, repo, nullptr, signature.get(), signature.get(), nullptr,
                                         message.constData(), newTree.get(), 1, parents);
        rc != 0)
        return d->error(rc, QStringLiteral("writing the revert commit"));
    result.revertCommitId = oidText(&commitId);

    // 5. Update the checked-out files; SAFE refuses rather than overwrite anything modified.
    git_checkout_options checkout;
    git_checkout_options_init(&checkout, GIT_CHECKOUT_OPTIONS_VERSION);
    checkout.checkout_strategy = GIT_CHECKOUT_SAFE;
    checkout.paths = affected.array;
    checkout.baseline = oldTree.get();
    if (updateWorkTree) {
        if (const int rc =
                git_checkout_tree(repo, reinterpret_cast<const git_object*>(newTree.get()), &checkout);
            rc != 0)
            return d->error(rc, QStringLiteral("updating the work tree for the revert of ") + shortId,
                            QStringLiteral("nothing was committed; commit or stash local changes and retry"));
        result.workTreeUpdated = true;
    }

    // 6. Move the branch, only if nobody moved it meanwhile.
    const QByteArray reflog = "revert: " + message.left(message.indexOf('\n'));
    git_reference* rawUpdated = nullptr;
    if (const int rc = git_reference_create_matching(&rawUpdated, repo, branchRef.toUtf8().constData(),
                                                     &commitId, 1, &tipId, reflog.constData());
        rc != 0) {
        Error error = d->error(rc, QStringLiteral("moving branch '") + request.branch + QLatin1Char('\''),
                               QStringLiteral("the branch moved meanwhile; refresh and retry"));
        if (updateWorkTree) {
            checkout.baseline = newTree.get();
            git_checkout_tree(repo, reinterpret_cast<const git_object*>(oldTree.get()), &checkout);
            git_error_clear();
        }
        return error;
    }
    git_reference_free(rawUpdated);
    qCInfo(lcGit) << "reverted" << shortId << "on" << request.branch << "in" << d->name << "as"
                  << result.revertCommitId.left(10);

    // 7. Push; a failed push keeps the local commit and says so. A bare repository is a cache clone
    // mirroring the remote: there the branch goes back to where it was (only if it is still on the
    // revert), or resolving it would give a commit the remote never received until the next fetch.
    const auto notPushed = [&](const QString& why) {
        result.pushNote = QStringLiteral("not pushed: ") + why;
        if (!git_repository_is_bare(repo))
            return result;
        git_reference* rawRestored = nullptr;
        if (git_reference_create_matching(&rawRestored, repo, branchRef.toUtf8().constData(), &tipId, 1,
                                          &commitId, "driftdeck: revert not pushed, branch restored") == 0) {
            git_reference_free(rawRestored);
            result.pushNote += QStringLiteral("; the cache's '") + request.branch +
                               QStringLiteral("' is back on ") + result.previousTip.left(10);
        } else {
            result.pushNote += QStringLiteral("; the cache's '") + request.branch +
                               QStringLiteral("' moved meanwhile and was left as it is");
        }
        git_error_clear();
        return result;
    };
    if (!request.push) {
        result.pushNote = QStringLiteral("not pushed: the revert is committed locally only");
        return result;
    }
    const std::optional<RemoteConfig> remoteConf = remoteConfig(repo, request.remote);
    if (!remoteConf)
        return notPushed(QStringLiteral("the repository has no remote '") + request.remote +
                         QStringLiteral("'; the revert is committed locally only"));
    const QString remoteUrl = redactUrl(QString::fromUtf8(remoteConf->pushUrl));
    RemoteSession session(options, remoteUrl);
    RemoteHandle remote;
    if (const int rc = createRemote(remote, repo, remoteConf->pushUrl); rc != 0)
        return notPushed(session.failure(rc, QStringLiteral("push")).message);
    git_push_options push;
    git_push_options_init(&push, GIT_PUSH_OPTIONS_VERSION);
    session.fill(push.callbacks);
    const QByteArray refspec = (branchRef + QLatin1Char(':') + branchRef).toUtf8();
    PathList refspecs({QString::fromUtf8(refspec)});
    const int rc = git_remote_push(remote.get(), &refspecs.array, &push);
    if (rc != 0)
        return notPushed(session.failure(rc, QStringLiteral("push")).message);
    if (!session.pushRejections.isEmpty())
        return notPushed(remoteUrl + QStringLiteral(" rejected ") +
                         session.pushRejections.join(QStringLiteral("; ")) +
                         QStringLiteral(" (fetch, then revert again on the new tip)"));
    // The remote is anonymous (see createRemote), so libgit2 does not move the tracking ref.
    const QByteArray tracking = "refs/remotes/" + request.remote.toUtf8() + "/" + request.branch.toUtf8();
    git_reference* rawTracking = nullptr;
    if (!git_repository_is_bare(repo) &&
        git_reference_create(&rawTracking, repo, tracking.constData(), &commitId, 1, "driftdeck: push") == 0)
        git_reference_free(rawTracking);
    git_error_clear();
    result.pushed = true;
    result.pushNote = QStringLiteral("pushed ") + request.branch + QStringLiteral(" to ") + remoteUrl;
    return result;
}

} // namespace driftdeck::git
