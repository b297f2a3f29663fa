#include "demo/demohistory_p.h"
#include "git/gitrepository.h"
#include "yaml/yamlcodec.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>

// The library's resources live in a static library: Q_INIT_RESOURCE registers them before use.
static void initDemoResources() {
    Q_INIT_RESOURCE(demo);
}

namespace driftdeck::demo::detail {

using namespace Qt::StringLiterals;

namespace {

// The shipped content is small; these bounds only keep a damaged build from reading without end.
constexpr int kMaxCommits = 100;
constexpr int kMaxFiles = 2000;
constexpr qint64 kMaxFileBytes = 1024 * 1024;

Error contentError(const QString& what) {
    return Error::make(Error::Code::Internal, u"the demo content is broken: "_s + what,
                       u"this is a bug in the Driftdeck build (resources/demo)"_s);
}

// Files under `directory`, relative '/'-separated paths in sorted order.
Result<QMap<QString, QByteArray>> readFiles(const QString& directory) {
    QMap<QString, QByteArray> files;
    QDirIterator it(directory, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (files.size() >= kMaxFiles)
            return contentError(u"more than %1 files under %2"_s.arg(kMaxFiles).arg(directory));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxFileBytes)
            return contentError(u"cannot read %1"_s.arg(path));
        files.insert(path.mid(directory.size() + 1), file.readAll());
    }
    return files;
}

} // namespace

QString resourceRoot() {
    initDemoResources();
    return u":/driftdeck/demo"_s;
}

const HistoryCommit* History::badCommit() const {
    for (const HistoryCommit& commit : commits)
        if (commit.bad)
            return &commit;
    return nullptr;
}

Result<History> readHistory(const QString& contentRoot) {
    QFile file(contentRoot + u"/history.yaml"_s);
    if (!file.open(QIODevice::ReadOnly))
        return contentError(u"history.yaml is missing"_s);
    Result<QJsonValue> parsed = yaml::parseDocument(file.read(kMaxFileBytes), u"history.yaml"_s);
    if (!parsed)
        return contentError(parsed.error().message);
    const QJsonObject root = parsed->toObject();
    History history;
    history.branch = root.value("branch"_L1).toString(u"main"_s);
    const QJsonArray commits = root.value("commits"_L1).toArray();
    if (commits.isEmpty() || commits.size() > kMaxCommits)
        return contentError(u"history.yaml must list 1 to %1 commits"_s.arg(kMaxCommits));
    for (const QJsonValue& value : commits) {
        const QJsonObject entry = value.toObject();
        HistoryCommit commit;
        commit.directory = entry.value("directory"_L1).toString();
        const QJsonObject author = entry.value("author"_L1).toObject();
        commit.authorName = author.value("name"_L1).toString();
        commit.authorEmail = author.value("email"_L1).toString();
        commit.date = QDateTime::fromString(entry.value("date"_L1).toString(), Qt::ISODate);
        commit.message = entry.value("message"_L1).toString().trimmed();
        commit.bad = entry.value("bad"_L1).toBool();
        for (const QJsonValue& path : entry.value("remove"_L1).toArray())
            commit.remove.append(path.toString());
        if (commit.directory.isEmpty() || commit.directory.contains(u'/') || commit.authorName.isEmpty() ||
            commit.authorEmail.isEmpty() || !commit.date.isValid() || commit.message.isEmpty())
            return contentError(
                u"commit %1 of history.yaml needs directory, author name and e-mail, date and "
                u"message"_s.arg(history.commits.size() + 1));
        if (!QFileInfo(contentRoot + u"/commits/"_s + commit.directory).isDir())
            return contentError(u"commits/%1 is missing"_s.arg(commit.directory));
        history.commits.append(commit);
    }
    int bad = 0;
    for (const HistoryCommit& commit : std::as_const(history.commits))
        bad += commit.bad ? 1 : 0;
    if (bad != 1)
        return contentError(u"history.yaml must mark exactly one commit bad, not %1"_s.arg(bad));
    return history;
}

QByteArray contentHash(const QString& contentRoot) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    Result<QMap<QString, QByteArray>> files = readFiles(contentRoot);
    if (!files)
        return {};
    for (auto it = files->cbegin(); it != files->cend(); ++it) {
        const QByteArray path = it.key().toUtf8();
        hash.addData(QByteArray(QByteArray::number(path.size()) + ':' + path));
        hash.addData(QByteArray(QByteArray::number(it.value().size()) + ':' + it.value()));
    }
    return hash.result().toHex();
}

Result<RepositoryFacts> buildRepository(const History& history, const QString& contentRoot,
                                        const QString& path) {
    Result<git::GitRepository> repo = git::GitRepository::init(path, true, history.branch);
    if (!repo)
        return repo.error();
    // Reverts made in the demo need an author even where Git was never set up: the repository's
    // own configuration names one (a user's global identity is not overridden anywhere else).
    QFile config(path + u"/config"_s);
    if (!config.open(QIODevice::Append) ||
        config.write("[user]\n\tname = Driftdeck Demo\n\temail = demo@fleet.driftdeck.invalid\n") < 0)
        return Error::make(Error::Code::Invalid, u"cannot write the configuration of %1"_s.arg(path));
    config.close();
    RepositoryFacts facts;
    QMap<QString, QByteArray> tree;
    for (const HistoryCommit& step : history.commits) {
        Result<QMap<QString, QByteArray>> files = readFiles(contentRoot + u"/commits/"_s + step.directory);
        if (!files)
            return files.error();
        tree.insert(*files);
        for (const QString& removed : step.remove)
            if (tree.remove(removed) == 0)
                return contentError(
                    u"commit %1 removes %2, which does not exist"_s.arg(step.directory, removed));
        git::SnapshotCommit commit;
        commit.branch = history.branch;
        for (auto it = tree.cbegin(); it != tree.cend(); ++it)
            commit.files.append({it.key(), it.value()});
        commit.message = step.message;
        commit.authorName = step.authorName;
        commit.authorEmail = step.authorEmail;
        commit.time = step.date;
        Result<QString> id = repo->commitSnapshot(commit);
        if (!id)
            return id.error();
        facts.headCommitId = *id;
        ++facts.commitCount;
        if (step.bad) {
            facts.badCommitId = *id;
            facts.badCommitSummary = step.message.section(u'\n', 0, 0);
        }
    }
    return facts;
}

Result<RepositoryFacts> inspectRepository(const History& history, const QString& path) {
    Result<git::GitRepository> repo = git::GitRepository::open(path);
    if (!repo)
        return repo.error();
    Result<QList<git::CommitInfo>> log = repo->history(history.branch, {}, kMaxCommits * 10);
    if (!log)
        return log.error();
    if (log->isEmpty())
        return Error::make(Error::Code::NotFound, u"the demo repository %1 has no commits"_s.arg(path));
    RepositoryFacts facts;
    facts.headCommitId = log->first().id;
    facts.commitCount = int(log->size());
    const HistoryCommit* bad = history.badCommit();
    const QString summary = bad ? bad->message.section(u'\n', 0, 0) : QString();
    for (const git::CommitInfo& commit : std::as_const(*log)) {
        if (commit.summary == summary) {
            facts.badCommitId = commit.id;
            facts.badCommitSummary = summary;
        }
    }
    if (facts.badCommitId.isEmpty())
        return Error::make(
            Error::Code::NotFound,
            u"the demo repository %1 lacks the commit '%2' (rebuild it with --demo-reset)"_s.arg(path,
                                                                                                 summary));
    return facts;
}

} // namespace driftdeck::demo::detail
