// Reading a path's files at a commit, in memory or onto disk. Everything goes through the object
// database; sizes are checked from object headers before any blob is loaded.

#include "git/gitrepository_p.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <atomic>
#include <unistd.h>

namespace driftdeck::git {

using namespace detail;

namespace {

std::atomic<qint64> g_linkSetBuilds{0};

// Directories nested deeper than this are refused: walk() recurses once per level, and real
// repositories stay far below (git itself has no limit, so a hostile tree could exhaust the stack).
constexpr int kMaxTreeDepth = 256;

struct PendingLink {
    QString path;
    QString target;
    QString blobId;
};

class TreeReader {
public:
    TreeReader(const GitRepository::Private& repo, const QString& root, const ReadLimits& limits,
               std::function<Status(TreeFile&)> sink)
        : m_repo(repo)
        , m_root(root)
        , m_limits(limits)
        , m_sink(std::move(sink)) {}

    Status read(git_tree* tree, TreeSnapshot& snapshot) {
        git_odb* rawOdb = nullptr;
        if (const int rc = git_repository_odb(&rawOdb, m_repo.repo.get()); rc != 0)
            return m_repo.error(rc, QStringLiteral("opening the object database"));
        m_odb.reset(rawOdb);
        if (Status walked = walk(tree, QString(), snapshot, 1); !walked)
            return walked;
        // Built once: rebuilding it per link made 20,000 links cost 400 million inserts.
        QSet<QString> linkPaths;
        linkPaths.reserve(m_links.size());
        for (const PendingLink& link : m_links)
            linkPaths.insert(link.path);
        ++g_linkSetBuilds;
        for (const PendingLink& link : m_links) {
            if (Status checked = checkLink(link, linkPaths); !checked)
                return checked;
        }
        for (const PendingLink& link : m_links) {
            TreeFile file;
            file.path = link.path;
            file.kind = TreeFile::Kind::Symlink;
            file.symlinkTarget = link.target;
            file.blobId = link.blobId;
            file.size = link.target.toUtf8().size();
            if (Status stored = m_sink(file); !stored)
                return stored;
            snapshot.files << file;
        }
        std::sort(snapshot.files.begin(), snapshot.files.end(),
                  [](const TreeFile& a, const TreeFile& b) { return a.path < b.path; });
        return success();
    }

private:
    QString shown(const QString& relative) const {
        return m_root.isEmpty() ? relative : m_root + QLatin1Char('/') + relative;
    }

    Error invalidName(const QString& where) const {
        return Error::make(Error::Code::Invalid, QStringLiteral("repository ") + m_repo.name +
                                                     QStringLiteral(" holds an unsafe file name at '") +
                                                     where +
                                                     QStringLiteral("' (refused; fix the repository)"));
    }

    Status walk(git_tree* tree, const QString& prefix, TreeSnapshot& snapshot, int depth) {
        if (depth > kMaxTreeDepth)
            return Error::make(Error::Code::TooLarge,
                               QStringLiteral("directories in ") + m_repo.name +
                                   QStringLiteral(" nest deeper than ") + QString::number(kMaxTreeDepth) +
                                   QStringLiteral(" levels at '") + shown(prefix).left(200) +
                                   QStringLiteral("...' (refused; flatten the repository's layout)"));
        const size_t count = git_tree_entrycount(tree);
        for (size_t i = 0; i < count; ++i) {
            const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
            const QString name = QString::fromUtf8(git_tree_entry_name(entry));
            const QString relative = prefix.isEmpty() ? name : prefix + QLatin1Char('/') + name;
            // Names come from a repository that may be hostile: nothing may climb out of the
            // target directory or land in a .git directory when materialised.
            if (name.isEmpty() || name == QStringLiteral(".") || name == QStringLiteral("..") ||
                name.contains(QLatin1Char('/')) ||
                name.compare(QStringLiteral(".git"), Qt::CaseInsensitive) == 0)
                return invalidName(shown(relative));
            const git_filemode_t mode = git_tree_entry_filemode(entry);
            if (mode == GIT_FILEMODE_COMMIT) {
                snapshot.skippedSubmodules << relative;
                continue;
            }
            if (mode == GIT_FILEMODE_TREE) {
                git_tree* rawSub = nullptr;
                if (const int rc = git_tree_lookup(&rawSub, m_repo.repo.get(), git_tree_entry_id(entry));
                    rc != 0)
                    return m_repo.error(
                        rc, QStringLiteral("reading directory '") + shown(relative) + QLatin1Char('\''),
                        QStringLiteral("the repository may be corrupt; fetch or clone it again"));
                TreeHandle sub(rawSub);
                if (Status walked = walk(sub.get(), relative, snapshot, depth + 1); !walked)
                    return walked;
                continue;
            }
            if (Status counted = countOne(relative); !counted)
                return counted;
            const git_oid* id = git_tree_entry_id(entry);
            size_t size = 0;
            git_object_t type = GIT_OBJECT_INVALID;
            if (const int rc = git_odb_read_header(&size, &type, m_odb.get(), id); rc != 0)
                return m_repo.error(rc,
                                    QStringLiteral("reading file '") + shown(relative) + QLatin1Char('\''),
                                    QStringLiteral("the repository may be corrupt; fetch or clone it again"));
            if (Status sized = checkSize(relative, qint64(size)); !sized)
                return sized;
            Result<QByteArray> content = readBlob(id, relative);
            if (!content)
                return content.error();
            if (mode == GIT_FILEMODE_LINK) {
                m_links.push_back({relative, QString::fromUtf8(*content), oidText(id)});
                continue;
            }
            TreeFile file;
            file.path = relative;
            file.kind =
                mode == GIT_FILEMODE_BLOB_EXECUTABLE ? TreeFile::Kind::Executable : TreeFile::Kind::File;
            file.blobId = oidText(id);
            file.size = qint64(size);
            file.content = std::move(*content);
            if (Status stored = m_sink(file); !stored)
                return stored;
            snapshot.files << std::move(file);
        }
        return success();
    }

    Status countOne(const QString& relative) {
        if (++m_count <= m_limits.maxFileCount)
            return success();
        return Error::make(Error::Code::TooLarge,
                           QStringLiteral("path '") + m_root + QStringLiteral("' in ") + m_repo.name +
                               QStringLiteral(" holds more than ") + QString::number(m_limits.maxFileCount) +
                               QStringLiteral(" files (the file count limit), reached at '") +
                               shown(relative) +
                               QStringLiteral("' (point the application at a smaller "
                                              "path or raise the limit)"));
    }

    Status checkSize(const QString& relative, qint64 size) {
        if (size > m_limits.maxFileSize)
            return Error::make(
                Error::Code::TooLarge,
                QStringLiteral("file '") + shown(relative) + QStringLiteral("' in ") + m_repo.name +
                    QStringLiteral(" is ") + QString::number(size) +
                    QStringLiteral(" bytes, over the per-file limit of ") +
                    QString::number(m_limits.maxFileSize) +
                    QStringLiteral(" bytes (keep large files out of the deployment path or raise "
                                   "the limit)"));
        m_total += size;
        if (m_total > m_limits.maxTotalSize)
            return Error::make(Error::Code::TooLarge,
                               QStringLiteral("path '") + m_root + QStringLiteral("' in ") + m_repo.name +
                                   QStringLiteral(" holds more than ") +
                                   QString::number(m_limits.maxTotalSize) +
                                   QStringLiteral(" bytes (the total size limit), reached at '") +
                                   shown(relative) + QStringLiteral("'"));
        return success();
    }

    Result<QByteArray> readBlob(const git_oid* id, const QString& relative) {
        git_blob* raw = nullptr;
        if (const int rc = git_blob_lookup(&raw, m_repo.repo.get(), id); rc != 0)
            return m_repo.error(rc, QStringLiteral("reading file '") + shown(relative) + QLatin1Char('\''),
                                QStringLiteral("the repository may be corrupt; fetch or clone it again"));
        BlobHandle blob(raw);
        return QByteArray(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                          qsizetype(git_blob_rawsize(blob.get())));
    }

    // A link may point anywhere inside the read path, but not out of it, and it may not climb
    // back out through another link ("a -> .", "b -> a/..") where text and file system disagree.
    Status checkLink(const PendingLink& link, const QSet<QString>& links) const {
        const auto refuse = [&] {
            return Error::make(Error::Code::Invalid,
                               QStringLiteral("symlink '") + shown(link.path) + QStringLiteral("' in ") +
                                   m_repo.name + QStringLiteral(" points outside '") +
                                   (m_root.isEmpty() ? QStringLiteral("/") : m_root) +
                                   QStringLiteral("' and is refused (make it relative and "
                                                  "inside the application's path)"));
        };
        if (link.target.isEmpty() || link.target.startsWith(QLatin1Char('/')) ||
            link.target.contains(QChar(0)))
            return refuse();
        QStringList stack = link.path.split(QLatin1Char('/'));
        stack.removeLast();
        for (const QString& part : link.target.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
            if (part == QStringLiteral("."))
                continue;
            if (part == QStringLiteral("..")) {
                if (stack.isEmpty() || links.contains(stack.join(QLatin1Char('/'))))
                    return refuse();
                stack.removeLast();
                continue;
            }
            stack << part;
        }
        return success();
    }

    const GitRepository::Private& m_repo;
    QString m_root;
    ReadLimits m_limits;
    std::function<Status(TreeFile&)> m_sink;
    OdbHandle m_odb;
    QList<PendingLink> m_links;
    int m_count = 0;
    qint64 m_total = 0;
};

Result<TreeSnapshot> readWith(const GitRepository::Private& d, const QString& revision, const QString& path,
                              const ReadLimits& limits, std::function<Status(TreeFile&)> sink) {
    Result<QString> normal = d.normalisePath(path);
    if (!normal)
        return normal.error();
    Result<GitRepository::Private::Commit> commit = d.lookupCommit(revision);
    if (!commit)
        return commit.error();
    Result<TreeHandle> tree = d.treeAt(commit->commit.get(), *normal);
    if (!tree)
        return tree.error();
    TreeSnapshot snapshot;
    snapshot.commitId = oidText(git_commit_id(commit->commit.get()));
    snapshot.path = *normal;
    snapshot.treeId = oidText(git_tree_id(tree->get()));
    TreeReader reader(d, *normal, limits, std::move(sink));
    if (Status read = reader.read(tree->get(), snapshot); !read)
        return read.error();
    return snapshot;
}

} // namespace

qint64 detail::linkSetBuilds() {
    return g_linkSetBuilds.load();
}

Result<TreeSnapshot> GitRepository::readTree(const QString& revision, const QString& path,
                                             const ReadLimits& limits) const {
    return readWith(*d, revision, path, limits, [](TreeFile&) { return success(); });
}

Result<TreeSnapshot> GitRepository::materialise(const QString& revision, const QString& path,
                                                const QString& directory, const ReadLimits& limits) const {
    const QString base = QDir::cleanPath(QDir(directory).absolutePath());
    if (!QDir().mkpath(base))
        return Error::make(Error::Code::Unavailable, QStringLiteral("cannot create directory ") + base +
                                                         QStringLiteral(" for files of ") + d->name);
    const auto writeFailed = [&](const QString& file, const QString& why) {
        return Error::make(Error::Code::Unavailable,
                           QStringLiteral("cannot write ") + file + QStringLiteral(" from ") + d->name +
                               QStringLiteral(": ") + why +
                               QStringLiteral(" (check disk space and permissions)"));
    };
    QStringList written;
    const auto sink = [&](TreeFile& file) -> Status {
        const QString target = base + QLatin1Char('/') + file.path;
        written << target;
        if (!QDir().mkpath(QFileInfo(target).absolutePath()))
            return writeFailed(target, QStringLiteral("cannot create its directory"));
        if (file.kind == TreeFile::Kind::Symlink) {
            const QByteArray to = file.symlinkTarget.toUtf8();
            if (::symlink(to.constData(), QFile::encodeName(target).constData()) != 0)
                return writeFailed(target, QStringLiteral("cannot create the symlink"));
            return success();
        }
        QFile out(target);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            out.write(file.content) != file.content.size())
            return writeFailed(target, out.errorString());
        out.close();
        if (file.kind == TreeFile::Kind::Executable)
            out.setPermissions(out.permissions() | QFileDevice::ExeOwner | QFileDevice::ExeGroup |
                               QFileDevice::ExeOther);
        // The bytes are on disk now; the snapshot lists the file without holding it twice.
        file.content = QByteArray();
        return success();
    };
    Result<TreeSnapshot> snapshot = readWith(*d, revision, path, limits, sink);
    if (!snapshot) {
        // A refused tree leaves no half-written copy behind for a renderer to pick up.
        for (const QString& file : std::as_const(written))
            QFile::remove(file);
        return snapshot.error();
    }
    snapshot->directory = base;
    return snapshot;
}

} // namespace driftdeck::git
