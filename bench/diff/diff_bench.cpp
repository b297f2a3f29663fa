#include "diff/linediff.h"
#include "diff/sidebyside.h"

#include <benchmark/benchmark.h>
#include <random>

using namespace driftdeck::diff;

namespace {

// Canonical YAML of Deployments, 40 lines each, as the diff sees desired state.
QStringList manifestLines(int lines) {
    const QStringList deployment = QStringLiteral(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web-%1
    tier: frontend
  name: web-%1
  namespace: prod
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web-%1
  template:
    metadata:
      labels:
        app: web-%1
    spec:
      containers:
      - args:
        - --port=8080
        - --verbose
        env:
        - name: MODE
          value: production
        - name: WORKERS
          value: '4'
        image: registry.example.com/web:1.25.%1
        name: web
        ports:
        - containerPort: 8080
          protocol: TCP
        readinessProbe:
          httpGet:
            path: /healthz
            port: 8080
          periodSeconds: 10
      serviceAccountName: web
---)")
                                       .split(QLatin1Char('\n'));
    QStringList out;
    for (int object = 0; out.size() < lines; ++object) {
        for (const QString& line : deployment)
            out.append(line.contains(QLatin1String("%1")) ? line.arg(object) : line);
    }
    out.resize(lines);
    return out;
}

// The same text with `percent` of its lines changed: half edited in place, a quarter deleted, a
// quarter followed by an inserted line, at random places (fixed seed).
QStringList edited(const QStringList& lines, double percent) {
    std::mt19937 rng(2000);
    std::uniform_real_distribution<double> chance(0, 100);
    std::uniform_int_distribution<int> what(0, 3);
    QStringList out;
    for (const QString& line : lines) {
        if (chance(rng) >= percent) {
            out.append(line);
            continue;
        }
        switch (what(rng)) {
        case 0:
        case 1:
            out.append(line + QStringLiteral("-changed"));
            break;
        case 2:
            break;
        default:
            out.append(line);
            out.append(QStringLiteral("        added: true"));
        }
    }
    return out;
}

qint64 utf8Bytes(const QStringList& lines) {
    qint64 n = 0;
    for (const QString& line : lines)
        n += line.toUtf8().size() + 1;
    return n;
}

// Arguments: line count, changed lines in tenths of a percent.
void BM_LineDiff(benchmark::State& state) {
    const QStringList left = manifestLines(int(state.range(0)));
    const QStringList right = edited(left, double(state.range(1)) / 10);
    for (auto _ : state) {
        const EditScript script = diffLines(left, right);
        benchmark::DoNotOptimize(script);
    }
    state.SetBytesProcessed(state.iterations() * utf8Bytes(left));
    state.counters["KB"] = double(utf8Bytes(left)) / 1024;
}
BENCHMARK(BM_LineDiff)->Args({2000, 10})->Args({2000, 100})->Args({10000, 10})->Unit(benchmark::kMicrosecond);

// The whole model: line diff, pairing, word diff of changed lines, folding.
void BM_SideBySide(benchmark::State& state) {
    const QStringList left = manifestLines(int(state.range(0)));
    const QStringList right = edited(left, double(state.range(1)) / 10);
    for (auto _ : state) {
        const SideBySide model = buildSideBySide(left, right);
        benchmark::DoNotOptimize(model);
    }
    state.SetBytesProcessed(state.iterations() * utf8Bytes(left));
}
BENCHMARK(BM_SideBySide)
    ->Args({2000, 10})
    ->Args({2000, 100})
    ->Args({10000, 10})
    ->Unit(benchmark::kMicrosecond);

// Every line edited: the two sides share no line, which the line diff sees without a search.
void BM_LineDiffEverythingChanged(benchmark::State& state) {
    const QStringList left = manifestLines(int(state.range(0)));
    QStringList right;
    for (const QString& line : left)
        right.append(line + QStringLiteral("x"));
    for (auto _ : state) {
        const EditScript script = diffLines(left, right);
        benchmark::DoNotOptimize(script);
    }
    state.SetBytesProcessed(state.iterations() * utf8Bytes(left));
}
BENCHMARK(BM_LineDiffEverythingChanged)->Arg(2000)->Arg(10000)->Unit(benchmark::kMillisecond);

// Lines shuffled: many equal lines in a different order, the hard case for Myers (large D with
// long snakes); the cost bound keeps it in check.
void BM_LineDiffShuffled(benchmark::State& state) {
    const QStringList left = manifestLines(int(state.range(0)));
    QStringList right = left;
    std::shuffle(right.begin(), right.end(), std::mt19937(3));
    for (auto _ : state) {
        const EditScript script = diffLines(left, right);
        benchmark::DoNotOptimize(script);
    }
    state.SetBytesProcessed(state.iterations() * utf8Bytes(left));
}
BENCHMARK(BM_LineDiffShuffled)->Arg(2000)->Arg(10000)->Unit(benchmark::kMillisecond);

// Worst cases for the word diff: every line replaced by a long line of many tokens, all paired in
// order (the block is too big to align by similarity) and each pair word-diffed.
void BM_SideBySideLongLinesAllChanged(benchmark::State& state) {
    QStringList left, right;
    for (int i = 0; i < state.range(0); ++i) {
        QString a, b;
        // Arg 1: the right line has the same words shuffled, so only the diff itself can tell.
        for (int t = 0; t < 150; ++t) {
            a += QStringLiteral("w%1 ").arg((i * 7 + t) % 23);
            b += state.range(1) ? QStringLiteral("w%1 ").arg((i * 5 + t * 11) % 23)
                                : QStringLiteral("v%1,").arg((i * 5 + t) % 19);
        }
        left.append(a);
        right.append(b);
    }
    for (auto _ : state) {
        const SideBySide model = buildSideBySide(left, right);
        benchmark::DoNotOptimize(model);
    }
    state.SetBytesProcessed(state.iterations() * (utf8Bytes(left) + utf8Bytes(right)));
}
BENCHMARK(BM_SideBySideLongLinesAllChanged)->Args({2000, 0})->Args({2000, 1})->Unit(benchmark::kMillisecond);

} // namespace
BENCHMARK_MAIN();
