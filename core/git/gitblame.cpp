// Blame of one file at a revision: which commit last changed each line. The provenance gutter and
// the CLI's `blame` build on it; both only need the final commit of every line.

#include "git/gitrepository_p.h"

#include <QHash>

namespace driftdeck::git {

using namespace detail;

namespace {

// A chain of links longer than this is a loop or an attack; git itself gives up at 40.
constexpr int kMaxLinkHops = 16;
// A link's target is a path; anything longer is not a link anyone meant to write.
constexpr size_t kMaxLinkTargetBytes = 4096;

using BlameHandle = Handle<git_blame, git_blame_free>;

QDateTime toDateTime(const git_time& time) {
    return QDateTime::fromSecsSinceEpoch(time.time, Qt::OffsetFromUTC, time.offset * 60);
}

struct ResolvedFile {
    QString path; // repository-relative, links resolved
    git_oid blob;
};

// Walks `asked` component by component from the commit's root, following symbolic links as long
// as they stay inside the repository (git_blame_file itself would blame a link's target text).
class FileResolver {
public:
    FileResolver(const GitRepository::Private& d, git_commit* commit, const QString& asked,
                 const QString& revision, const QString& verb)
        : m_d(d)
        , m_commit(commit)
        , m_asked(asked)
        , m_revision(revision)
        , m_verb(verb) {}

    Result<ResolvedFile> resolve() {
        git_tree* rawRoot = nullptr;
        if (const int rc = git_commit_tree(&rawRoot, m_commit); rc != 0)
            return m_d.error(
                rc, QStringLiteral("reading the tree of commit ") + shortOid(git_commit_id(m_commit)),
                QStringLiteral("the repository may be corrupt; fetch or clone it again"));
        TreeHandle root(rawRoot);
        TreeHandle sub;
        git_tree* current = root.get();
        QStringList pending = m_asked.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        QStringList done;
        int hops = 0;
        while (!pending.isEmpty()) {
            const QString name = pending.takeFirst();
            const git_tree_entry* entry = git_tree_entry_byname(current, name.toUtf8().constData());
            if (!entry)
                return notFound();
            const git_filemode_t mode = git_tree_entry_filemode(entry);
            if (mode == GIT_FILEMODE_TREE) {
                if (pending.isEmpty())
                    return refuse(QStringLiteral("is a directory, not a file"));
                git_tree* raw = nullptr;
                if (const int rc = git_tree_lookup(&raw, m_d.repo.get(), git_tree_entry_id(entry)); rc != 0)
                    return m_d.error(
                        rc, QStringLiteral("reading directory '") + name + QLatin1Char('\''),
                        QStringLiteral("the repository may be corrupt; fetch or clone it again"));
                sub.reset(raw);
                current = sub.get();
                done << name;
                continue;
            }
            if (mode == GIT_FILEMODE_COMMIT)
                return refuse(QStringLiteral("passes through the submodule '") +
                              (done + QStringList{name}).join(QLatin1Char('/')) +
                              QStringLiteral("', which is never followed"));
            if (mode == GIT_FILEMODE_LINK) {
                if (++hops > kMaxLinkHops)
                    return refuse(QStringLiteral("goes through more than ") + QString::number(kMaxLinkHops) +
                                  QStringLiteral(" symbolic links (a loop?)"));
                Result<QString> target = linkTarget(entry, (done + QStringList{name}).join(QLatin1Char('/')));
                if (!target)
                    return target.error();
                std::optional<QStringList> rejoined =
                    inside(done + target->split(QLatin1Char('/')) + pending);
                if (!rejoined || target->startsWith(QLatin1Char('/')))
                    return refuse(QStringLiteral("goes through the symbolic link '") +
                                  (done + QStringList{name}).join(QLatin1Char('/')) +
                                  QStringLiteral("', which leads out of the repository"));
                pending = *rejoined;
                done.clear();
                current = root.get();
                continue;
            }
            if (!pending.isEmpty())
                return notFound(); // a file where the path needs a directory
            done << name;
            return ResolvedFile{done.join(QLatin1Char('/')), *git_tree_entry_id(entry)};
        }
        return refuse(QStringLiteral("names the repository root, not a file"));
    }

private:
    QString where() const {
        return QStringLiteral("at revision '") + m_revision + QStringLiteral("' (commit ") +
               shortOid(git_commit_id(m_commit)) + QStringLiteral(") in ") + m_d.name;
    }
    Error notFound() const {
        return Error::make(Error::Code::NotFound,
                           QStringLiteral("file '") + m_asked + QStringLiteral("' does not exist ") +
                               where() + QStringLiteral(" (check the file name and the revision)"));
    }
    Error refuse(const QString& why) const {
        return Error::make(Error::Code::Invalid, QStringLiteral("cannot ") + m_verb + QStringLiteral(" '") +
                                                     m_asked + QStringLiteral("' ") + where() +
                                                     QStringLiteral(": it ") + why);
    }

    Result<QString> linkTarget(const git_tree_entry* entry, const QString& linkPath) const {
        git_blob* raw = nullptr;
        if (const int rc = git_blob_lookup(&raw, m_d.repo.get(), git_tree_entry_id(entry)); rc != 0)
            return m_d.error(rc, QStringLiteral("reading the symbolic link '") + linkPath + QLatin1Char('\''),
                             QStringLiteral("the repository may be corrupt; fetch or clone it again"));
        BlobHandle blob(raw);
        const auto size = size_t(git_blob_rawsize(blob.get()));
        if (size > kMaxLinkTargetBytes)
            return refuse(QStringLiteral("goes through the symbolic link '") + linkPath +
                          QStringLiteral("', whose target is longer than any path"));
        return QString::fromUtf8(static_cast<const char*>(git_blob_rawcontent(blob.get())), qsizetype(size));
    }

    // The components with "." and ".." applied; nullopt when ".." climbs above the root.
    static std::optional<QStringList> inside(const QStringList& parts) {
        QStringList out;
        for (const QString& part : parts) {
            if (part.isEmpty() || part == QStringLiteral("."))
                continue;
            if (part == QStringLiteral("..")) {
                if (out.isEmpty())
                    return std::nullopt;
                out.removeLast();
                continue;
            }
            out << part;
        }
        return out;
    }

    const GitRepository::Private& m_d;
    git_commit* m_commit;
    QString m_asked;
    QString m_revision;
    QString m_verb;
};

// The commit `maxDepth` steps back along first parents from `newest` (the newest counts as one),
// or nullopt when the history is shorter: then blame may walk to the root.
std::optional<git_oid> depthBoundary(git_repository* repo, git_commit* newest, int maxDepth) {
    git_oid current = *git_commit_id(newest);
    for (int depth = 1;; ++depth) {
        git_commit* raw = nullptr;
        if (git_commit_lookup(&raw, repo, &current) != 0) {
            git_error_clear(); // a shallow or damaged history ends here
            return std::nullopt;
        }
        CommitHandle commit(raw);
        if (git_commit_parentcount(commit.get()) == 0)
            return std::nullopt;
        if (depth >= maxDepth)
            return current;
        current = *git_commit_parent_id(commit.get(), 0);
    }
}

struct CommitMeta {
    QString authorName;
    QString authorEmail;
    QDateTime authorTime;
    QString summary;
};

struct FileAtRevision {
    GitRepository::Private::Commit commit;
    ResolvedFile file;
    QString revision; // as asked, for messages
};

// The checks blame and readFile share: a repository-relative path, no '..', links inside the
// repository only, and a size within the read limit. `verb` says what was refused.
Result<FileAtRevision> locateFile(const GitRepository::Private& d, const QString& revision,
                                  const QString& filePath, const ReadLimits& limits, const QString& verb) {
    if (filePath.trimmed().isEmpty())
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("no file given to ") + verb + QStringLiteral(" in ") + d.name);
    if (filePath.startsWith(QLatin1Char('/')) || filePath.contains(QChar(0)))
        return Error::make(Error::Code::Invalid,
                           QStringLiteral("cannot ") + verb + QStringLiteral(" '") + filePath +
                               QStringLiteral("' in ") + d.name +
                               QStringLiteral(": give a path relative to the repository root"));
    Result<QString> normal = d.normalisePath(filePath);
    if (!normal)
        return normal.error();
    Result<GitRepository::Private::Commit> commit = d.lookupCommit(revision);
    if (!commit)
        return commit.error();
    const QString shownRevision = revision.trimmed().isEmpty() ? QStringLiteral("HEAD") : revision.trimmed();
    Result<ResolvedFile> file = FileResolver(d, commit->commit.get(), *normal, shownRevision, verb).resolve();
    if (!file)
        return file.error();

    git_odb* rawOdb = nullptr;
    if (const int rc = git_repository_odb(&rawOdb, d.repo.get()); rc != 0)
        return d.error(rc, QStringLiteral("opening the object database"));
    OdbHandle odb(rawOdb);
    size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (const int rc = git_odb_read_header(&size, &type, odb.get(), &file->blob); rc != 0)
        return d.error(rc, QStringLiteral("reading file '") + file->path + QLatin1Char('\''),
                       QStringLiteral("the repository may be corrupt; fetch or clone it again"));
    if (qint64(size) > limits.maxFileSize)
        return Error::make(
            Error::Code::TooLarge,
            QStringLiteral("file '") + file->path + QStringLiteral("' in ") + d.name +
                QStringLiteral(" is ") + QString::number(size) +
                QStringLiteral(" bytes, over the per-file limit of ") + QString::number(limits.maxFileSize) +
                QStringLiteral(" bytes, so it is not ") +
                (verb == QStringLiteral("read") ? QStringLiteral("read") : QStringLiteral("blamed")) +
                QStringLiteral(" (raise the limit)"));
    return FileAtRevision{std::move(*commit), *file, shownRevision};
}

} // namespace

QList<BlameLine> blameLines(const QList<BlameHunk>& hunks) {
    QList<BlameLine> out;
    for (const BlameHunk& hunk : hunks) {
        for (int i = 0; i < hunk.lineCount; ++i) {
            BlameLine line;
            line.line = hunk.startLine + i;
            line.commitId = hunk.commitId;
            line.authorName = hunk.authorName;
            line.authorEmail = hunk.authorEmail;
            line.authorTime = hunk.authorTime;
            line.summary = hunk.summary;
            line.depthLimited = hunk.depthLimited;
            out << std::move(line);
        }
    }
    return out;
}

Result<QByteArray> GitRepository::readFile(const QString& revision, const QString& filePath,
                                           const ReadLimits& limits) const {
    Result<FileAtRevision> located = locateFile(*d, revision, filePath, limits, QStringLiteral("read"));
    if (!located)
        return located.error();
    git_blob* raw = nullptr;
    if (const int rc = git_blob_lookup(&raw, d->repo.get(), &located->file.blob); rc != 0)
        return d->error(rc, QStringLiteral("reading file '") + located->file.path + QLatin1Char('\''),
                        QStringLiteral("the repository may be corrupt; fetch or clone it again"));
    BlobHandle blob(raw);
    return QByteArray(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                      qsizetype(git_blob_rawsize(blob.get())));
}

Result<QList<BlameHunk>> GitRepository::blame(const QString& revision, const QString& filePath,
                                              const ReadLimits& limits) const {
    Result<FileAtRevision> located = locateFile(*d, revision, filePath, limits, QStringLiteral("blame"));
    if (!located)
        return located.error();
    const ResolvedFile* file = &located->file;
    const Private::Commit* commit = &located->commit;
    const QString& shownRevision = located->revision;

    git_blame_options options;
    git_blame_options_init(&options, GIT_BLAME_OPTIONS_VERSION);
    options.newest_commit = *git_commit_id(commit->commit.get());
    // Side branches are followed like `git blame` does (the commit that wrote a line is more
    // useful than the merge that brought it); the depth bound is counted along first parents, so
    // a merged branch forked before the boundary is still walked to its fork point.
    const std::optional<git_oid> boundary =
        depthBoundary(d->repo.get(), commit->commit.get(), std::max(1, limits.maxBlameDepth));
    if (boundary)
        options.oldest_commit = *boundary;
    git_blame* rawBlame = nullptr;
    if (const int rc = git_blame_file(&rawBlame, d->repo.get(), file->path.toUtf8().constData(), &options);
        rc != 0)
        return d->error(rc,
                        QStringLiteral("blaming '") + file->path + QStringLiteral("' at ") + shownRevision);
    BlameHandle blame(rawBlame);

    QHash<QString, CommitMeta> metas;
    const auto metaOf = [&](const git_oid* id) -> Result<CommitMeta> {
        const QString key = oidText(id);
        if (auto found = metas.constFind(key); found != metas.constEnd())
            return *found;
        git_commit* raw = nullptr;
        if (const int rc = git_commit_lookup(&raw, d->repo.get(), id); rc != 0)
            return d->error(rc, QStringLiteral("reading commit ") + shortOid(id),
                            QStringLiteral("the repository may be corrupt; fetch or clone it again"));
        CommitHandle found(raw);
        const git_signature* author = git_commit_author(found.get());
        const char* summary = git_commit_summary(found.get());
        CommitMeta meta{QString::fromUtf8(author->name), QString::fromUtf8(author->email),
                        toDateTime(author->when), summary ? QString::fromUtf8(summary) : QString()};
        metas.insert(key, meta);
        return meta;
    };

    QList<BlameHunk> out;
    const uint32_t count = git_blame_get_hunk_count(blame.get());
    out.reserve(qsizetype(count));
    for (uint32_t i = 0; i < count; ++i) {
        const git_blame_hunk* hunk = git_blame_get_hunk_byindex(blame.get(), i);
        Result<CommitMeta> meta = metaOf(&hunk->final_commit_id);
        if (!meta)
            return meta.error();
        BlameHunk entry;
        entry.startLine = int(hunk->final_start_line_number);
        entry.lineCount = int(hunk->lines_in_hunk);
        entry.commitId = oidText(&hunk->final_commit_id);
        entry.authorName = meta->authorName;
        entry.authorEmail = meta->authorEmail;
        entry.authorTime = meta->authorTime;
        entry.summary = meta->summary;
        entry.originalPath = hunk->orig_path ? QString::fromUtf8(hunk->orig_path) : file->path;
        entry.originalStartLine = int(hunk->orig_start_line_number);
        entry.depthLimited = boundary && git_oid_equal(&hunk->final_commit_id, &*boundary);
        out << std::move(entry);
    }
    return out;
}

} // namespace driftdeck::git
