#include "diff/drift.h"
#include "health/health.h"
#include "kubeobj/object.h"
#include "kubesim/admission.h"
#include "kubesim/objectstore.h"
#include "yaml/yamlcodec.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

using namespace Qt::StringLiterals;
using namespace driftdeck;

namespace {

// One Deployment, Service, ConfigMap and Secret in turn, as a rendered application would hold them.
QByteArray manifest(int i) {
    const QByteArray n = QByteArray::number(i);
    switch (i % 4) {
    case 0:
        return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-" + n +
               "\n  namespace: prod\n  labels:\n    app: web-" + n +
               "\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web-" + n +
               "\n  template:\n    metadata:\n      labels:\n        app: web-" + n +
               "\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n"
               "        args: [\"--port\", \"8080\", --verbose]\n        ports:\n        - containerPort: "
               "8080\n"
               "          protocol: TCP\n        env:\n        - name: MODE\n          value: production\n"
               "        resources:\n          limits: {cpu: 500m, memory: 128Mi}\n"
               "        readinessProbe:\n          httpGet: {path: /healthz, port: 8080}\n"
               "          periodSeconds: 10\n";
    case 1:
        return "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-" + n +
               "\n  namespace: prod\nspec:\n  selector:\n    app: web-" + n +
               "\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n";
    case 2:
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-" + n +
               "\n  namespace: prod\ndata:\n  level: info\n  config.yaml: |\n    server:\n      port: 8080\n"
               "      timeout: 30s\n";
    default:
        return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: secret-" + n +
               "\n  namespace: prod\ntype: Opaque\ndata:\n  password: YmVuY2htYXJr\n";
    }
}

QByteArray stream(int objects) {
    QByteArray out;
    for (int i = 0; i < objects; ++i)
        out += (i ? "---\n" : "") + manifest(i);
    return out;
}

// yaml-cpp's tree into JSON the way a reader must (scalars stay strings here: yaml-cpp does not
// resolve YAML 1.2 core types itself, so this is a lower bound of what it would cost).
QJsonValue toJson(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QJsonObject object;
        for (const auto& entry : node)
            object.insert(QString::fromStdString(entry.first.Scalar()), toJson(entry.second));
        return object;
    }
    case YAML::NodeType::Sequence: {
        QJsonArray array;
        for (const auto& item : node)
            array.append(toJson(item));
        return array;
    }
    case YAML::NodeType::Scalar:
        return QString::fromStdString(node.Scalar());
    default:
        return QJsonValue();
    }
}

void BM_YamlToJson_Driftdeck(benchmark::State& state) {
    const QByteArray text = stream(int(state.range(0)));
    for (auto _ : state) {
        auto result = yaml::parseStream(text);
        if (!result.ok() || result->size() != state.range(0))
            state.SkipWithError("parse failed");
        benchmark::DoNotOptimize(result);
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * text.size());
}
// Wall time: the reader splits large streams over threads.
BENCHMARK(BM_YamlToJson_Driftdeck)->Arg(1000)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_YamlToJson_DriftdeckOneByOne(benchmark::State& state) {
    QList<QByteArray> docs;
    int64_t bytes = 0;
    for (int i = 0; i < state.range(0); ++i) {
        docs.append(manifest(i));
        bytes += docs.last().size();
    }
    for (auto _ : state)
        for (const QByteArray& doc : docs)
            benchmark::DoNotOptimize(yaml::parseDocument(doc));
    state.SetBytesProcessed(int64_t(state.iterations()) * bytes);
}
BENCHMARK(BM_YamlToJson_DriftdeckOneByOne)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_YamlToJson_YamlCpp(benchmark::State& state) {
    const QByteArray text = stream(int(state.range(0)));
    const std::string input = text.toStdString();
    for (auto _ : state) {
        QList<QJsonValue> values;
        for (const YAML::Node& doc : YAML::LoadAll(input))
            values.append(toJson(doc));
        if (values.size() != state.range(0))
            state.SkipWithError("parse failed");
        benchmark::DoNotOptimize(values);
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * text.size());
}
BENCHMARK(BM_YamlToJson_YamlCpp)->Arg(1000)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_CanonicalYaml(benchmark::State& state) {
    auto parsed = yaml::parseStream(stream(int(state.range(0))));
    QList<QJsonValue> values;
    for (const yaml::Document& doc : *parsed)
        values.append(doc.value);
    int64_t bytes = 0;
    for (auto _ : state) {
        const QByteArray out = yaml::toYamlStream(values);
        bytes += out.size();
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_CanonicalYaml)->Arg(1000)->Unit(benchmark::kMillisecond);

// Desired objects and the live objects a server-side apply by "driftdeck" stores for them (defaults,
// managedFields, uid...), every tenth with a drifted field.
struct Pairs {
    QList<kubeobj::Object> desired;
    QList<kubeobj::Object> live;
};

Pairs pairs(int count) {
    Pairs out;
    kubesim::ObjectStore store;
    const kubesim::ResourceType nsType = *store.registry().find({}, u"v1"_s, u"namespaces"_s);
    store.create(nsType, QJsonObject{{u"apiVersion"_s, u"v1"_s},
                                     {u"kind"_s, u"Namespace"_s},
                                     {u"metadata"_s, QJsonObject{{u"name"_s, u"prod"_s}}}});
    auto parsed = yaml::parseStream(stream(count));
    for (const yaml::Document& doc : *parsed) {
        QJsonObject desired = doc.value.toObject();
        const auto type = store.registry().findByApiVersion(desired[u"apiVersion"_s].toString(),
                                                            desired[u"kind"_s].toString());
        QJsonObject applied = desired;
        if (out.desired.size() % 10 == 0 && applied.contains(u"metadata"_s)) {
            QJsonObject metadata = applied[u"metadata"_s].toObject();
            metadata.insert(u"labels"_s, QJsonObject{{u"drifted"_s, u"yes"_s}});
            applied.insert(u"metadata"_s, metadata);
        }
        auto merged = kubesim::admission::apply(*type, {}, applied, u"driftdeck"_s, true);
        auto stored = store.create(*type, std::get<QJsonObject>(merged),
                                   kubesim::WriteOptions{u"driftdeck"_s, false, {}, u"Apply"_s});
        out.desired.append(kubeobj::Object::fromTrustedJson(desired));
        out.live.append(kubeobj::Object::fromTrustedJson(std::get<QJsonObject>(stored)));
    }
    return out;
}

void BM_NormaliseAndStructuralDiff(benchmark::State& state) {
    const Pairs objects = pairs(int(state.range(0)));
    const diff::DiffOptions options;
    for (auto _ : state)
        for (qsizetype i = 0; i < objects.desired.size(); ++i)
            benchmark::DoNotOptimize(diff::compareObjects(objects.desired[i], objects.live[i], options));
    state.SetItemsProcessed(int64_t(state.iterations()) * state.range(0));
}
BENCHMARK(BM_NormaliseAndStructuralDiff)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_HealthPerObject(benchmark::State& state) {
    const Pairs objects = pairs(int(state.range(0)));
    QList<QJsonObject> live;
    for (const kubeobj::Object& object : objects.live)
        live.append(object.json());
    for (auto _ : state)
        for (const QJsonObject& object : live)
            benchmark::DoNotOptimize(health::assess(object));
    state.SetItemsProcessed(int64_t(state.iterations()) * state.range(0));
}
BENCHMARK(BM_HealthPerObject)->Arg(1000)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
