#include "repositorydirectories.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {

git::RepositorySource repositorySourceOf(const RepoSpec& repository) {
    git::RepositorySource source;
    source.url = repository.url;
    source.credentials = git::credentialRefOf(repository.credentials);
    return source;
}

QStringList directoriesOf(const git::TreeSnapshot& snapshot) {
    QSet<QString> seen;
    for (const git::TreeFile& file : snapshot.files) {
        QString dir = file.path.section(u'/', 0, -2);
        while (!dir.isEmpty() && !seen.contains(dir)) {
            seen.insert(dir);
            dir = dir.section(u'/', 0, -2);
        }
    }
    QStringList out(seen.begin(), seen.end());
    out.sort();
    out.prepend(u"."_s);
    return out;
}

QFuture<Result<QStringList>> listRepositoryDirectories(git::GitWorker& worker, const RepoSpec& repository) {
    const QString revision = repository.branch.isEmpty() ? u"HEAD"_s : repository.branch;
    return worker.readTree(repositorySourceOf(repository), revision, QString())
        .future.then([](const Result<git::TreeSnapshot>& tree) -> Result<QStringList> {
            if (!tree.ok())
                return tree.error();
            return directoriesOf(*tree);
        });
}

} // namespace driftdeck::ui
