// Rollback, resume, revert and automated sync: the operations built on a comparison.
#include "engine_p.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace driftdeck::engine {

namespace {

// The longest wait between two selfHeal syncs at one commit; a quiet spell this long starts over.
constexpr std::chrono::milliseconds kSelfHealBackoffCap = std::chrono::minutes(5);

// A repository named by a path on this machine (not a URL, not scp-like "git@host:path"): a revert
// is committed in it directly, as `git revert` there would, instead of pushed to it.
bool isLocalPath(const QString& url) {
    if (url.startsWith(u"file://"))
        return true;
    return !url.contains(u"://") && !(url.contains(u'@') && url.contains(u':'));
}

QString localPathOf(const QString& url) {
    return url.startsWith(u"file://") ? QUrl(url).toLocalFile() : url;
}

} // namespace

quint64 Engine::rollback(const QString& application, const QString& revision, const SyncRequest& request,
                         quint64 id) {
    AppRuntime* app = d->appByName.value(application);
    id = d->newOperation(u"rollback"_s, app, request, revision, id);
    if (!app) {
        d->refuse(id, Error::make(Error::Code::NotFound,
                                  u"no application '%1' in the workspace"_s.arg(application)));
        return id;
    }
    if (app->operation != 0) {
        d->refuse(id, busyError(app));
        return id;
    }
    app->operation = id;
    d->git->resolve(d->sourceOf(app->spec.repo), revision, app->spec.path)
        .future.then(this, [this, id, app, revision](const Result<git::ResolvedRevision>& resolved) {
            const auto operation = d->operations.constFind(id);
            if (operation == d->operations.cend())
                return; // ended meanwhile
            if (operation->cancelled) {
                // Cancelled while its revision was resolved: nothing pinned, nothing paused.
                app->operation = 0;
                d->refuse(id, Error::make(Error::Code::Cancelled, u"cancelled before the sync started"_s));
                return;
            }
            if (!resolved.ok()) {
                app->operation = 0;
                d->refuse(id, resolved.error().withApplication(app->spec.name));
                return;
            }
            // Pinned and paused from now on: whatever happens to the sync, auto-sync must not
            // undo the operator's rollback. The comparison at the revision starts the sync.
            Operation& pinning = d->operations[id];
            pinning.revision = resolved->commitId;
            pinning.pinned = true;
            pinning.pinnedBefore = app->status.pinnedRevision;
            pinning.pausedBefore = app->status.autoSyncPaused;
            app->status.pinnedRevision = resolved->commitId;
            app->status.autoSyncPaused = true;
            d->saveAppState(app, u"rolled back to %1 (%2) by %3"_s.arg(resolved->commitId.left(12), revision,
                                                                       history::currentOsUser()));
            app->waitingOperation = id;
            d->resolveApp(app);
            d->markDirty(app);
            d->publishSoon();
        });
    return id;
}

quint64 Engine::resume(const QString& application, quint64 id) {
    AppRuntime* app = d->appByName.value(application);
    id = d->newOperation(u"resume"_s, app, {}, QString(), id);
    if (!app) {
        d->refuse(id, Error::make(Error::Code::NotFound,
                                  u"no application '%1' in the workspace"_s.arg(application)));
        return id;
    }
    const QString pinned = app->status.pinnedRevision;
    app->status.pinnedRevision.clear();
    app->status.autoSyncPaused = false;
    app->autoSyncFailures = 0;
    d->saveAppState(app, u"resumed by %1"_s.arg(history::currentOsUser()));
    d->resolveApp(app);
    OperationResult result;
    result.id = id;
    result.kind = u"resume"_s;
    result.application = application;
    result.ok = true;
    result.revision = pinned;
    result.message =
        pinned.isEmpty()
            ? u"%1 was not pinned; auto-sync is on"_s.arg(application)
            : u"%1 unpinned from %2; compared against %3 again, auto-sync resumed"_s.arg(
                  application, pinned.left(12),
                  app->spec.targetRevision.isEmpty() ? u"its branch"_s : app->spec.targetRevision);
    QTimer::singleShot(0, this, [this, id, result] { d->finishOperation(id, result); });
    return id;
}

quint64 Engine::revert(const QString& application, const QString& commit, quint64 id) {
    AppRuntime* app = d->appByName.value(application);
    id = d->newOperation(u"revert"_s, app, {}, commit, id);
    if (!app) {
        d->refuse(id, Error::make(Error::Code::NotFound,
                                  u"no application '%1' in the workspace"_s.arg(application)));
        return id;
    }
    const RepoSpec* repo = d->workspace.repository(app->spec.repo);
    QString branch = repo ? repo->branch : QString();
    if (branch.isEmpty() && !app->spec.targetRevision.isEmpty() && app->spec.targetRevision != u"HEAD")
        branch = app->spec.targetRevision;
    if (!repo || branch.isEmpty()) {
        d->refuse(id, Error::make(Error::Code::Invalid,
                                  u"application %1: no branch to commit the revert to"_s.arg(application),
                                  u"set `branch` of repository %1 in the workspace"_s.arg(app->spec.repo)));
        return id;
    }
    // One operation per application: a revert ending while a sync runs must not free the
    // application for a second sync next to the first.
    if (app->operation != 0) {
        d->refuse(id, busyError(app));
        return id;
    }
    git::RepositorySource source = d->sourceOf(app->spec.repo);
    git::RevertRequest request;
    request.commit = commit;
    request.branch = branch;
    if (isLocalPath(repo->url)) {
        source.url = localPathOf(repo->url);
        source.inPlace = true;
        request.push = false;
    }
    app->operation = id;
    d->git->revert(source, request)
        .future.then(this, [this, id, app](const Result<git::RevertResult>& reverted) {
            app->operation = 0;
            OperationResult result;
            result.id = id;
            result.kind = u"revert"_s;
            result.application = app->spec.name;
            if (!reverted.ok()) {
                result.error = reverted.error().withApplication(app->spec.name);
                result.message = reverted.error().message;
            } else {
                result.ok = true;
                result.revision = reverted->revertCommitId;
                result.revertNote = reverted->pushNote;
                result.message =
                    u"commit %1 on %2 reverts %3"_s.arg(reverted->revertCommitId.left(12), reverted->branch,
                                                        d->operations.value(id).revision.left(12));
            }
            d->finishOperation(id, result);
            // The next comparison shows what a sync would now change.
            d->reconcile(app->spec.name, true);
        });
    return id;
}

// A rollback that ends before its sync starts (cancelled, its revision does not render, the plan
// is refused): nothing reached the cluster, so the application goes back to the pin and pause it
// had before.
void Engine::Private::refuseRollback(AppRuntime* app, quint64 id, const Error& error) {
    if (app->waitingOperation == id)
        app->waitingOperation = 0;
    if (app->operation == id)
        app->operation = 0;
    const auto it = operations.constFind(id);
    if (it != operations.cend() && it->pinned) {
        app->status.pinnedRevision = it->pinnedBefore;
        app->status.autoSyncPaused = it->pausedBefore;
        saveAppState(app, u"rollback to %1 not synced: %2"_s.arg(it->revision.left(12), error.message));
        resolveApp(app);
        markDirty(app);
    }
    refuse(id, error);
}

void Engine::Private::onCompared(AppRuntime* app) {
    if (app->waitingOperation != 0) {
        const quint64 id = app->waitingOperation;
        const auto it = operations.constFind(id);
        if (it == operations.cend()) {
            app->waitingOperation = 0;
        } else if (app->status.commitId == it->revision && !app->rendering) {
            app->waitingOperation = 0;
            startSync(id);
        }
        return;
    }
    maybeAutoSync(app);
}

// Automated sync, as an Argo CD user expects it: a new commit is synced once; with selfHeal any
// drift is; never while the operator has paused it (rollback), never a failed render (the plan
// refuses it), and after three failures at one commit it waits for the next commit or a resume.
void Engine::Private::maybeAutoSync(AppRuntime* app) {
    if (!settings.autoSync || !app->spec.syncPolicy.automated || app->status.autoSyncPaused ||
        app->operation != 0)
        return;
    if (app->status.sync != SyncStatus::OutOfSync)
        return;
    const bool newCommit = app->autoSyncedCommit != app->status.commitId;
    if (!newCommit && !app->spec.syncPolicy.selfHeal)
        return;
    if (!newCommit && app->autoSyncFailures >= 3)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (newCommit || now - app->autoSyncEnded > kSelfHealBackoffCap) {
        app->selfHealRuns = 0;
    } else if (app->selfHealRuns > 0) {
        // Drift again soon after a repair: something undoes the sync. Wait before the next one.
        const auto delay = std::min<std::chrono::milliseconds>(
            settings.selfHealBackoff * (qint64(1) << qMin(app->selfHealRuns - 1, 16)), kSelfHealBackoffCap);
        const auto due = app->autoSyncEnded + delay;
        if (now < due) {
            if (!app->selfHealTimer) {
                app->selfHealTimer = true;
                const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(due - now) +
                                  std::chrono::milliseconds(1);
                QTimer::singleShot(wait, Qt::PreciseTimer, q, [this, app] {
                    app->selfHealTimer = false;
                    markDirty(app); // compared again, then synced if still drifted
                });
            }
            return;
        }
    }
    if (newCommit)
        app->autoSyncFailures = 0;
    else
        ++app->selfHealRuns;
    app->autoSyncedCommit = app->status.commitId;
    SyncRequest request;
    request.prune = app->spec.syncPolicy.prune;
    // Git is the source of truth and nobody is there to settle a conflict: an automated sync takes
    // fields back from other managers, as Argo CD's server-side apply does. Without it selfHeal could
    // never heal: a hand edit (kubectl edit, scale, apply) makes its manager the owner of the field.
    request.forceConflicts = true;
    const quint64 id = newOperation(u"sync"_s, app, request, app->status.commitId, 0);
    operations[id].automated = true;
    app->operation = id;
    startSync(id);
}

} // namespace driftdeck::engine
