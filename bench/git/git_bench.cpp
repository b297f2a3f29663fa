#include "git/gitrepository.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

using namespace driftdeck;
using namespace driftdeck::git;

namespace {

// One generated repository for all benchmarks: apps/small (200 files), apps/large (20,000 files)
// and 500 commits on top, every tenth touching apps/small.
struct GeneratedRepo {
    QTemporaryDir dir;
    QString path;
    bool ok = false;

    GeneratedRepo() {
        path = dir.path() + QStringLiteral("/repo.git");
        QByteArray stream;
        const auto blob = [](const QByteArray& content) {
            QByteArray out("data ");
            out.append(QByteArray::number(content.size())).append('\n').append(content).append('\n');
            return out;
        };
        // Consecutive commits to one branch in a single fast-import stream chain by themselves.
        const auto commit = [&](int n, const QByteArray& message) {
            stream += "commit refs/heads/main\ncommitter Bench <bench@example.com> " +
                      QByteArray::number(1700000000 + n) + " +0000\n" + blob(message);
        };
        commit(0, "Initial");
        for (int i = 0; i < 200; ++i)
            stream += "M 100644 inline apps/small/cm-" + QByteArray::number(i) + ".yaml\n" +
                      blob("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-" + QByteArray::number(i) +
                           "\ndata:\n  key: value\n");
        for (int i = 0; i < 20000; ++i)
            stream += "M 100644 inline apps/large/d" + QByteArray::number(i % 100) + "/cm-" +
                      QByteArray::number(i) + ".yaml\n" +
                      blob("kind: ConfigMap\nmetadata:\n  name: cm-" + QByteArray::number(i) + '\n');
        for (int n = 1; n <= 500; ++n) {
            commit(n, "Change " + QByteArray::number(n));
            const QByteArray target = n % 10 == 0 ? "apps/small/cm-0.yaml" : "apps/other/file.txt";
            stream += "M 100644 inline " + target + '\n' + blob("revision: " + QByteArray::number(n) + '\n');
        }
        QProcess init;
        init.start(QStringLiteral("git"),
                   {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("--bare"),
                    QStringLiteral("-b"), QStringLiteral("main"), path});
        init.waitForFinished(60000);
        QProcess import;
        import.start(QStringLiteral("git"),
                     {QStringLiteral("-C"), path, QStringLiteral("fast-import"), QStringLiteral("--quiet")});
        import.waitForStarted();
        import.write(stream);
        import.closeWriteChannel();
        ok = import.waitForFinished(300000) && import.exitCode() == 0;
        if (!ok)
            qWarning("git fast-import failed: %s", import.readAllStandardError().constData());
    }
};

GeneratedRepo& generated() {
    static GeneratedRepo repo;
    return repo;
}

void readTree(benchmark::State& state, const QString& path, int files) {
    if (!generated().ok) {
        state.SkipWithError("could not generate the repository");
        return;
    }
    Result<GitRepository> git = GitRepository::open(generated().path);
    ReadLimits limits;
    for (auto _ : state) {
        Result<TreeSnapshot> tree = git->readTree(QStringLiteral("main"), path, limits);
        if (!tree.ok() || tree->files.size() != files)
            state.SkipWithError("readTree failed");
        benchmark::DoNotOptimize(tree);
    }
    state.SetItemsProcessed(state.iterations() * files);
}

void BM_ReadTreeSmall(benchmark::State& state) {
    readTree(state, QStringLiteral("apps/small"), 200);
}
BENCHMARK(BM_ReadTreeSmall)->Unit(benchmark::kMillisecond);

void BM_ReadTreeLarge(benchmark::State& state) {
    readTree(state, QStringLiteral("apps/large"), 20000);
}
BENCHMARK(BM_ReadTreeLarge)->Unit(benchmark::kMillisecond);

void BM_MaterialiseSmall(benchmark::State& state) {
    Result<GitRepository> git = GitRepository::open(generated().path);
    for (auto _ : state) {
        QTemporaryDir out;
        Result<TreeSnapshot> tree =
            git->materialise(QStringLiteral("main"), QStringLiteral("apps/small"), out.path());
        if (!tree.ok())
            state.SkipWithError("materialise failed");
    }
}
BENCHMARK(BM_MaterialiseSmall)->Unit(benchmark::kMillisecond);

// The per-refresh cost of asking "did this application's path change?".
void BM_ResolveTreeId(benchmark::State& state) {
    Result<GitRepository> git = GitRepository::open(generated().path);
    for (auto _ : state) {
        Result<ResolvedRevision> r = git->resolve(QStringLiteral("main"), QStringLiteral("apps/small"));
        if (!r.ok())
            state.SkipWithError("resolve failed");
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_ResolveTreeId)->Unit(benchmark::kMicrosecond);

void BM_HistoryOfPath(benchmark::State& state) {
    Result<GitRepository> git = GitRepository::open(generated().path);
    for (auto _ : state) {
        Result<QList<CommitInfo>> h = git->history(QStringLiteral("main"), QStringLiteral("apps/small"), 50);
        if (!h.ok() || h->size() != 50)
            state.SkipWithError("history failed");
    }
}
BENCHMARK(BM_HistoryOfPath)->Unit(benchmark::kMillisecond);

void BM_CloneFileUrl(benchmark::State& state) {
    for (auto _ : state) {
        QTemporaryDir cache;
        Result<GitRepository> git = GitRepository::clone(QStringLiteral("file://") + generated().path,
                                                         cache.path() + QStringLiteral("/c"));
        if (!git.ok())
            state.SkipWithError("clone failed");
    }
}
BENCHMARK(BM_CloneFileUrl)->Unit(benchmark::kMillisecond)->Iterations(3);

} // namespace

BENCHMARK_MAIN();
