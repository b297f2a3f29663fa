#include "git/gitrepository.h"

#include "git/gitrepository_p.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrl>

namespace driftdeck::git {

using namespace detail;

namespace {

bool isUrl(const QString& location) {
    return location.contains(QStringLiteral("://")) ||
           (location.contains(QLatin1Char('@')) && location.contains(QLatin1Char(':')) &&
            !location.startsWith(QLatin1Char('/')));
}

QString originUrl(git_repository* repo) {
    const std::optional<RemoteConfig> origin = remoteConfig(repo, QStringLiteral("origin"));
    return origin ? redactUrl(QString::fromUtf8(origin->url)) : QString();
}

// The fetch refspecs of a cache clone: the remote's branches and tags as they are.
int createMirrorRemote(git_remote** out, git_repository* repo, const char* name, const char* url, void*) {
    git_remote_create_options options;
    git_remote_create_options_init(&options, GIT_REMOTE_CREATE_OPTIONS_VERSION);
    options.repository = repo;
    options.name = name;
    options.fetchspec = "+refs/heads/*:refs/heads/*";
    options.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
    int rc = git_remote_create_with_opts(out, url, &options);
    if (rc == 0)
        rc = git_remote_add_fetch(repo, name, "+refs/tags/*:refs/tags/*");
    return rc;
}

// With a mirror refspec libgit2 leaves HEAD at the unborn default branch; the remote's HEAD is
// recorded as refs/remotes/origin/HEAD (already mapped to refs/heads/...), so HEAD follows it.
void pointHeadAtRemoteDefault(git_repository* repo) {
    git_reference* raw = nullptr;
    if (git_reference_lookup(&raw, repo, "refs/remotes/origin/HEAD") != 0) {
        git_error_clear();
        return;
    }
    ReferenceHandle remoteHead(raw);
    const char* target = git_reference_symbolic_target(remoteHead.get());
    if (target && git_repository_set_head(repo, target) != 0) {
        qCWarning(lcGit) << "cannot point HEAD at" << target << ":" << lastErrorText(-1);
        git_error_clear();
    }
}

} // namespace

Status GitRepository::Private::checkPresent() const {
    Q_ASSERT_X(QThread::currentThread() == thread, "GitRepository", "used from a thread other than its own");
    if (QFileInfo(gitDir + QStringLiteral("/HEAD")).exists() &&
        QFileInfo(gitDir + QStringLiteral("/objects")).isDir())
        return success();
    return Error::make(Error::Code::NotFound,
                       QStringLiteral("repository ") + name + QStringLiteral(" vanished from disk (") +
                           gitDir + QStringLiteral(" was moved or deleted; open or clone it again)"));
}

Result<QString> GitRepository::Private::normalisePath(const QString& path) const {
    std::optional<QString> normal = normalisedRepoPath(path);
    if (!normal)
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("path '") + path + QStringLiteral("' in ") + name +
                               QStringLiteral(" leaves the repository ('..' is not allowed)"));
    return *normal;
}

Result<GitRepository::Private::Commit> GitRepository::Private::lookupCommit(const QString& revision) const {
    if (Status present = checkPresent(); !present)
        return present.error();
    const QString rev = revision.trimmed().isEmpty() ? QStringLiteral("HEAD") : revision.trimmed();
    const auto notFound = [&] {
        return Error::make(Error::Code::NotFound,
                           QStringLiteral("revision '") + rev + QStringLiteral("' not found in repository ") +
                               name +
                               QStringLiteral(" (fetch it, or check the branch, tag or "
                                              "commit name)"));
    };
    const auto peel = [&](git_object* object, QString refName) -> Result<Commit> {
        git_object* peeled = nullptr;
        const int rc = git_object_peel(&peeled, object, GIT_OBJECT_COMMIT);
        if (rc != 0)
            return Error::make(Error::Code::Invalid, QStringLiteral("revision '") + rev +
                                                         QStringLiteral("' in ") + name +
                                                         QStringLiteral(" does not name a commit"));
        return Commit{CommitHandle(reinterpret_cast<git_commit*>(peeled)), std::move(refName)};
    };

    // A full commit id is taken as is, like git does.
    static const QRegularExpression fullId(QStringLiteral("^[0-9a-fA-F]{40}$"));
    if (fullId.match(rev).hasMatch()) {
        git_oid oid;
        git_oid_fromstr(&oid, rev.toLatin1().constData());
        git_object* raw = nullptr;
        if (git_object_lookup(&raw, repo.get(), &oid, GIT_OBJECT_ANY) != 0)
            return notFound();
        ObjectHandle object(raw);
        return peel(object.get(), {});
    }

    QStringList candidates;
    if (rev == QStringLiteral("HEAD") || rev.startsWith(QStringLiteral("refs/"))) {
        candidates << rev;
    } else {
        candidates << QStringLiteral("refs/heads/") + rev << QStringLiteral("refs/tags/") + rev
                   << QStringLiteral("refs/remotes/") + rev;
        // In a mirror clone the remote's branches are local branches: "origin/main" is refs/heads/main.
        const qsizetype slash = rev.indexOf(QLatin1Char('/'));
        if (slash > 0 && git_repository_is_bare(repo.get())) {
            if (remoteConfig(repo.get(), rev.left(slash)))
                candidates << QStringLiteral("refs/heads/") + rev.mid(slash + 1);
        }
    }
    for (const QString& candidate : candidates) {
        git_reference* rawRef = nullptr;
        if (git_reference_lookup(&rawRef, repo.get(), candidate.toUtf8().constData()) != 0)
            continue;
        ReferenceHandle ref(rawRef);
        git_reference* resolvedRaw = nullptr;
        if (git_reference_resolve(&resolvedRaw, ref.get()) != 0)
            return notFound(); // e.g. HEAD of an empty repository
        ReferenceHandle resolved(resolvedRaw);
        git_object* raw = nullptr;
        if (git_reference_peel(&raw, resolved.get(), GIT_OBJECT_ANY) != 0)
            return notFound();
        ObjectHandle object(raw);
        return peel(object.get(), QString::fromUtf8(git_reference_name(resolved.get())));
    }
    git_error_clear();

    // Short ids and rev syntax (main~2, v1^{commit}).
    git_object* raw = nullptr;
    const int rc = git_revparse_single(&raw, repo.get(), rev.toUtf8().constData());
    if (rc == GIT_EAMBIGUOUS)
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("revision '") + rev + QStringLiteral("' is ambiguous in ") + name +
                               QStringLiteral(" (give more characters of the commit id)"));
    if (rc != 0)
        return notFound();
    ObjectHandle object(raw);
    return peel(object.get(), {});
}

Result<TreeHandle> GitRepository::Private::treeAt(git_commit* commit, const QString& path) const {
    git_tree* rawRoot = nullptr;
    if (const int rc = git_commit_tree(&rawRoot, commit); rc != 0)
        return error(rc, QStringLiteral("reading the tree of commit ") + shortOid(git_commit_id(commit)),
                     QStringLiteral("the repository may be corrupt; fetch or clone it again"));
    TreeHandle root(rawRoot);
    if (path.isEmpty())
        return root;
    git_tree_entry* rawEntry = nullptr;
    if (git_tree_entry_bypath(&rawEntry, root.get(), path.toUtf8().constData()) != 0) {
        git_error_clear();
        return Error::make(Error::Code::NotFound,
                           QStringLiteral("path '") + path + QStringLiteral("' does not exist at commit ") +
                               shortOid(git_commit_id(commit)) + QStringLiteral(" in ") + name +
                               QStringLiteral(" (check the application's path)"));
    }
    TreeEntryHandle entry(rawEntry);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE)
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("path '") + path + QStringLiteral("' at commit ") +
                               shortOid(git_commit_id(commit)) + QStringLiteral(" in ") + name +
                               QStringLiteral(" is not a directory"));
    git_tree* rawTree = nullptr;
    if (const int rc = git_tree_lookup(&rawTree, repo.get(), git_tree_entry_id(entry.get())); rc != 0)
        return error(rc, QStringLiteral("reading path '") + path + QLatin1Char('\''),
                     QStringLiteral("the repository may be corrupt; fetch or clone it again"));
    return TreeHandle(rawTree);
}

GitRepository::GitRepository(std::unique_ptr<Private> d)
    : d(std::move(d)) {}
GitRepository::GitRepository(GitRepository&&) noexcept = default;
GitRepository& GitRepository::operator=(GitRepository&&) noexcept = default;
GitRepository::~GitRepository() = default;

Result<GitRepository> GitRepository::open(const QString& path) {
    ensureLibgit2();
    const QString shown = redactUrl(path);
    if (isUrl(path) && !path.startsWith(QStringLiteral("file://")))
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("cannot open ") + shown +
                               QStringLiteral(" in place: it is a remote URL (clone it instead)"));
    QString local = path.startsWith(QStringLiteral("file://")) ? QUrl(path).toLocalFile() : path;
    if (!QFileInfo::exists(local))
        return Error::make(Error::Code::NotFound, QStringLiteral("repository ") + shown +
                                                      QStringLiteral(" does not exist (check the path)"));
    git_repository* raw = nullptr;
    // NO_SEARCH: the path must be the repository itself, not any directory inside one.
    const int rc =
        git_repository_open_ext(&raw, local.toUtf8().constData(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
    if (rc != 0) {
        const QString why = lastErrorText(rc);
        return Error::make(rc == GIT_ENOTFOUND ? Error::Code::NotFound : Error::Code::Invalid,
                           QStringLiteral("cannot open repository ") + shown + QStringLiteral(": ") + why +
                               QStringLiteral(" (the path must be a Git work tree or a bare repository)"));
    }
    auto d = std::make_unique<Private>();
    d->repo.reset(raw);
    d->gitDir = QDir::cleanPath(QString::fromUtf8(git_repository_path(raw)));
    if (const char* work = git_repository_workdir(raw))
        d->workDir = QDir::cleanPath(QString::fromUtf8(work));
    const QString origin = originUrl(raw);
    d->name = !origin.isEmpty() && git_repository_is_bare(raw) ? origin : QDir::cleanPath(local);
    return GitRepository(std::move(d));
}

QString GitRepository::defaultCacheRoot() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
           QStringLiteral("/driftdeck/repos");
}

QString GitRepository::cacheDirectoryFor(const QString& url, const QString& cacheRoot) {
    const QByteArray key =
        QCryptographicHash::hash(redactUrl(url.trimmed()).toUtf8(), QCryptographicHash::Sha256);
    return (cacheRoot.isEmpty() ? defaultCacheRoot() : cacheRoot) + QLatin1Char('/') +
           QString::fromLatin1(key.toHex().left(32));
}

Result<GitRepository> GitRepository::clone(const QString& url, const QString& directory,
                                           const RemoteOptions& options) {
    ensureLibgit2();
    const QString shown = redactUrl(url);
    if (QFileInfo::exists(directory))
        return Error::make(Error::Code::Conflict, QStringLiteral("cannot clone ") + shown +
                                                      QStringLiteral(" into ") + directory +
                                                      QStringLiteral(": it already exists"));
    QDir().mkpath(QFileInfo(directory).absolutePath());
    // Clone next to the target and rename at the end, so a cancelled or failed clone never
    // leaves a half-filled cache entry that a later open() would trust.
    const QString partial = directory + QStringLiteral(".partial-") +
                            QString::number(QRandomGenerator::global()->generate64(), 16);
    RemoteSession session(options, shown);
    git_clone_options opts;
    git_clone_options_init(&opts, GIT_CLONE_OPTIONS_VERSION);
    opts.bare = 1;
    opts.local = GIT_CLONE_NO_LOCAL; // always through the transport: progress and cancellation work alike
    opts.remote_cb = createMirrorRemote;
    opts.fetch_opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
    session.fill(opts.fetch_opts.callbacks);
    git_repository* raw = nullptr;
    const int rc = git_clone(&raw, url.toUtf8().constData(), partial.toUtf8().constData(), &opts);
    RepositoryHandle repo(raw);
    if (rc != 0) {
        Error error = session.failure(rc, QStringLiteral("clone"));
        repo.reset();
        QDir(partial).removeRecursively();
        qCInfo(lcGit) << "clone failed:" << error.message;
        return error;
    }
    pointHeadAtRemoteDefault(repo.get());
    repo.reset();
    if (!QDir().rename(partial, directory)) {
        QDir(partial).removeRecursively();
        if (!QFileInfo::exists(directory))
            return Error::make(Error::Code::Unavailable,
                               QStringLiteral("cannot move the clone of ") + shown + QStringLiteral(" to ") +
                                   directory + QStringLiteral(" (check disk space and permissions)"));
        // Another process cloned the same URL at the same time: use its clone.
    }
    qCInfo(lcGit) << "cloned" << shown << "into" << directory;
    return open(directory);
}

Result<GitRepository> GitRepository::openOrClone(const QString& url, const RemoteOptions& options,
                                                 const QString& cacheRoot) {
    const QString directory = cacheDirectoryFor(url, cacheRoot);
    if (QFileInfo::exists(directory + QStringLiteral("/HEAD"))) {
        Result<GitRepository> opened = open(directory);
        if (opened)
            return opened;
        qCWarning(lcGit) << "cache entry" << directory
                         << "is unusable, cloning again:" << opened.error().message;
        QDir(directory).removeRecursively();
    } else if (QFileInfo::exists(directory)) {
        QDir(directory).removeRecursively();
    }
    return clone(url, directory, options);
}

QString GitRepository::gitDirectory() const {
    return d->gitDir;
}
QString GitRepository::workTree() const {
    return d->workDir;
}
bool GitRepository::isBare() const {
    return d->workDir.isEmpty();
}
QString GitRepository::displayName() const {
    return d->name;
}

Status GitRepository::fetch(const RemoteOptions& options) {
    if (Status present = d->checkPresent(); !present)
        return present;
    const std::optional<RemoteConfig> origin = remoteConfig(d->repo.get(), QStringLiteral("origin"));
    if (!origin)
        return Error::make(Error::Code::NotFound,
                           QStringLiteral("repository ") + d->name +
                               QStringLiteral(" has no remote 'origin' to fetch from"));
    RemoteHandle remote;
    RemoteSession session(options, redactUrl(QString::fromUtf8(origin->url)));
    if (const int rc = createRemote(remote, d->repo.get(), origin->url); rc != 0)
        return session.failure(rc, QStringLiteral("fetch"));
    QList<QByteArray> specs = origin->fetchRefspecs;
    if (specs.isEmpty())
        specs << "+refs/heads/*:refs/remotes/origin/*";
    std::vector<char*> specPointers;
    for (QByteArray& spec : specs)
        specPointers.push_back(spec.data());
    git_strarray refspecs{specPointers.data(), specPointers.size()};
    git_fetch_options opts;
    git_fetch_options_init(&opts, GIT_FETCH_OPTIONS_VERSION);
    opts.prune = GIT_FETCH_PRUNE;
    opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
    session.fill(opts.callbacks);
    if (const int rc = git_remote_fetch(remote.get(), &refspecs, &opts, "driftdeck: fetch"); rc != 0)
        return session.failure(rc, QStringLiteral("fetch"));
    return success();
}

Result<ResolvedRevision> GitRepository::resolve(const QString& revision, const QString& path) const {
    Result<QString> normal = d->normalisePath(path);
    if (!normal)
        return normal.error();
    Result<Private::Commit> commit = d->lookupCommit(revision);
    if (!commit)
        return commit.error();
    Result<TreeHandle> tree = d->treeAt(commit->commit.get(), *normal);
    if (!tree)
        return tree.error();
    ResolvedRevision out;
    out.revision = revision;
    out.commitId = oidText(git_commit_id(commit->commit.get()));
    out.refName = commit->refName;
    out.path = *normal;
    out.treeId = oidText(git_tree_id(tree->get()));
    return out;
}

} // namespace driftdeck::git
