#include "yaml/yamlcodec.h"

#include <QJsonValue>

#include <benchmark/benchmark.h>

using namespace driftdeck::yaml;

namespace {

// A stream like a rendered application: Deployments, Services and ConfigMaps in turn.
QByteArray manifestStream(int objects) {
    QByteArray out;
    for (int i = 0; i < objects; ++i) {
        const QByteArray n = QByteArray::number(i);
        if (i > 0)
            out += "---\n";
        switch (i % 3) {
        case 0:
            out +=
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-" + n +
                "\n  namespace: prod\n  labels:\n    app: web-" + n +
                "\n    tier: frontend\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web-" +
                n + "\n  template:\n    metadata:\n      labels:\n        app: web-" + n +
                "\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n"
                "        args: [\"--port\", \"8080\", --verbose]\n        ports:\n        - containerPort: "
                "8080\n"
                "          protocol: TCP\n        env:\n        - name: MODE\n          value: production\n"
                "        - name: WORKERS\n          value: \"4\"\n        resources:\n          limits: "
                "{cpu: 500m, "
                "memory: 128Mi}\n        readinessProbe:\n          httpGet: {path: /healthz, port: 8080}\n"
                "          periodSeconds: 10\n";
            break;
        case 1:
            out += "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-" + n +
                   "\nspec:\n  type: ClusterIP\n  selector:\n    app: web-" + n +
                   "\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n";
            break;
        default:
            out += "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-" + n +
                   "\ndata:\n  enabled: \"true\"\n  level: info\n  config.yaml: |\n    server:\n      port: "
                   "8080\n"
                   "      timeout: 30s\n    features: [a, b, c]\n";
        }
    }
    return out;
}

void BM_ParseStream(benchmark::State& state) {
    const QByteArray text = manifestStream(int(state.range(0)));
    for (auto _ : state) {
        auto result = parseStream(text);
        if (!result.ok() || result->size() != state.range(0))
            state.SkipWithError("parse failed");
        benchmark::DoNotOptimize(result);
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * text.size());
    state.SetItemsProcessed(int64_t(state.iterations()) * state.range(0));
}
// Wall time: large streams are read on several threads.
BENCHMARK(BM_ParseStream)->Arg(1000)->Arg(10000)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_ToYamlStream(benchmark::State& state) {
    auto parsed = parseStream(manifestStream(int(state.range(0))));
    QList<QJsonValue> values;
    for (const Document& doc : *parsed)
        values.append(doc.value);
    int64_t bytes = 0;
    for (auto _ : state) {
        const QByteArray out = toYamlStream(values);
        bytes += out.size();
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(bytes);
    state.SetItemsProcessed(int64_t(state.iterations()) * state.range(0));
}
BENCHMARK(BM_ToYamlStream)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_ParseOneDeployment(benchmark::State& state) {
    const QByteArray text = manifestStream(1);
    for (auto _ : state)
        benchmark::DoNotOptimize(parseDocument(text));
}
BENCHMARK(BM_ParseOneDeployment)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
