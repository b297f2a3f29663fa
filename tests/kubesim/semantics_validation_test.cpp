// Field validation against the whole shared corpus (no false positives), typos found, the 422 rules,
// the generation rule and the main-resource/status split.

#include "jsontestsupport.h"
#include "kubesim/semantics.h"
#include "testsupport.h"
#include "yaml/yamlcodec.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::kubesim;

namespace {

using driftdeck::test::json;

const KindRef kDeployment{QStringLiteral("apps"), QStringLiteral("v1"), QStringLiteral("Deployment")};
const KindRef kService{QString(), QStringLiteral("v1"), QStringLiteral("Service")};
const KindRef kJob{QStringLiteral("batch"), QStringLiteral("v1"), QStringLiteral("Job")};
const KindRef kConfigMap{QString(), QStringLiteral("v1"), QStringLiteral("ConfigMap")};
const KindRef kWidget{QStringLiteral("example.com"), QStringLiteral("v1"), QStringLiteral("Widget")};

// Every built-in object of the corpus: plain YAML files as they are, Kustomize directories rendered
// by `kubectl kustomize` when kubectl is there. Helm templates are not YAML before rendering.
QList<QPair<QString, QJsonObject>> corpusObjects(int* kustomizations) {
    QList<QPair<QString, QJsonObject>> out;
    const QDir corpus(test::sharedDir().filePath(QStringLiteral("corpus")));
    const auto addStream = [&](const QByteArray& text, const QString& origin) {
        auto docs = yaml::parseStream(text, origin);
        if (!docs.ok())
            return;
        for (const yaml::Document& d : *docs) {
            const QJsonObject obj = d.value.toObject();
            if (isBuiltinKind(KindRef::fromObject(obj)) &&
                !obj.value(QLatin1String("kind")).toString().isEmpty())
                out.append({origin, obj});
        }
    };
    QDirIterator it(corpus.path(), {QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QByteArray text = test::readFile(path);
        if (path.contains(QLatin1String("/templates/")) || text.contains("{{"))
            continue;
        if (path.endsWith(QLatin1String("kustomization.yaml"))) {
            if (test::kubectlPath().isEmpty())
                continue;
            const auto rendered =
                test::runProcess(test::kubectlPath(), {QStringLiteral("kustomize"), QFileInfo(path).path()});
            if (rendered.exitCode == 0) {
                ++*kustomizations;
                addStream(rendered.out, path);
            }
            continue;
        }
        addStream(text, path);
    }
    return out;
}

} // namespace

TEST(SemanticsValidation, CorpusHasNoUnknownFields) {
    int kustomizations = 0;
    const auto objects = corpusObjects(&kustomizations);
    ASSERT_GT(objects.size(), 40);
    int checked = 0;
    for (const auto& [origin, obj] : objects) {
        const KindRef kind = KindRef::fromObject(obj);
        const QStringList unknown = unknownFields(kind, obj);
        EXPECT_TRUE(unknown.isEmpty()) << origin.toStdString() << " " << kind.kind.toStdString() << ": "
                                       << unknown.join(QLatin1String(", ")).toStdString();
        // Defaulting must not add anything the schema does not know either.
        QJsonObject defaulted = obj;
        applyDefaults(kind, defaulted);
        EXPECT_TRUE(unknownFields(kind, defaulted).isEmpty()) << origin.toStdString();
        ++checked;
    }
    EXPECT_GT(checked, 40);
    if (!test::kubectlPath().isEmpty()) {
        EXPECT_GT(kustomizations, 5);
    }
}

TEST(SemanticsValidation, TyposAreFoundWithTheirPath) {
    const QJsonObject d =
        json(R"({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "labelz": {}},
      "spec": {"replica": 2, "selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}},
      "spec": {"containers": [{"name": "c", "image": "i"}, {"name": "e", "image": "i", "imagePullPolcy": "Always",
        "resources": {"limits": {"cpu": "1"}}, "env": [{"name": "X", "valueFrom": {"secretKeyRef": {"nam": "s"}}}]}]}}}})");
    EXPECT_EQ(
        unknownFields(kDeployment, d),
        QStringList({QStringLiteral("metadata.labelz"), QStringLiteral("spec.replica"),
                     QStringLiteral("spec.template.spec.containers[1].env[0].valueFrom.secretKeyRef.nam"),
                     QStringLiteral("spec.template.spec.containers[1].imagePullPolcy")}));
    // Free-form parts (labels, data, volume sources kept open) and custom kinds are not judged.
    EXPECT_TRUE(
        unknownFields(kConfigMap, json(R"({"data": {"anything": "x"}, "metadata": {"labels": {"k": "v"}}})"))
            .isEmpty());
    EXPECT_TRUE(unknownFields(kWidget, json(R"({"spec": {"whatever": 1}})")).isEmpty());
    EXPECT_EQ(unknownFields(kConfigMap, json(R"({"dat": {}})")), QStringList{QStringLiteral("dat")});
}

TEST(SemanticsValidation, SelectorMustMatchTemplateLabels) {
    const auto e = validateObject(kDeployment, json(R"({"metadata": {"name": "web"}, "spec": {
        "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "api"}},
        "spec": {"containers": [{"name": "c", "image": "i"}]}}}})"));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->code, 422);
    EXPECT_EQ(e->reason, QStringLiteral("Invalid"));
    EXPECT_EQ(e->message,
              QStringLiteral("Deployment.apps \"web\" is invalid: spec.template.metadata.labels: Invalid "
                             "value: map[string]string{\"app\":\"api\"}: `selector` does not match "
                             "template `labels`"));
    EXPECT_EQ(e->details.value(QLatin1String("causes")).toArray().size(), 1);
    EXPECT_EQ(e->details.value(QLatin1String("group")).toString(), QStringLiteral("apps"));
}

TEST(SemanticsValidation, RequiredFieldsAndNames) {
    const auto e = validateObject(kDeployment, json(R"({"metadata": {"name": "Web_1"}, "spec": {
        "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "c"}]}}}})"));
    ASSERT_TRUE(e.has_value());
    const QJsonArray causes = e->details.value(QLatin1String("causes")).toArray();
    ASSERT_EQ(causes.size(), 2);
    EXPECT_EQ(causes[0].toObject().value(QLatin1String("field")).toString(), QStringLiteral("metadata.name"));
    EXPECT_EQ(causes[1].toObject().value(QLatin1String("field")).toString(),
              QStringLiteral("spec.template.spec.containers[0].image"));
    EXPECT_TRUE(
        e->message.startsWith(QStringLiteral("Deployment.apps \"Web_1\" is invalid: [metadata.name: ")));

    // A Job's pods must not restart Always (what defaulting gives when the user sets nothing).
    QJsonObject job = json(R"({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
        "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}}})");
    applyDefaults(kJob, job);
    const auto jobError = validateObject(kJob, job);
    ASSERT_TRUE(jobError.has_value());
    EXPECT_TRUE(jobError->message.contains(
        QStringLiteral("spec.template.spec.restartPolicy: Unsupported value: \"Always\"")));

    EXPECT_EQ(
        validateObject(kService, json(R"({"metadata": {"name": "s"}, "spec": {"ports": [{"port": 70000}]}})"))
            ->code,
        422);
    EXPECT_FALSE(
        validateObject(kService, json(R"({"metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}})"))
            .has_value());
    EXPECT_FALSE(validateObject(kWidget, json(R"({"metadata": {"name": "Not_Checked"}})")).has_value());

    // RBAC names are path segments, as the real server checks them: "system:" names are valid.
    const KindRef clusterRole{QStringLiteral("rbac.authorization.k8s.io"), QStringLiteral("v1"),
                              QStringLiteral("ClusterRole")};
    EXPECT_FALSE(
        validateObject(clusterRole, json(R"({"metadata": {"name": "system:controller:x"}})")).has_value());
    const auto slash = validateObject(clusterRole, json(R"({"metadata": {"name": "a/b"}})"));
    ASSERT_TRUE(slash.has_value());
    EXPECT_TRUE(slash->message.contains(QStringLiteral("may not contain '/'")))
        << slash->message.toStdString();
    EXPECT_TRUE(validateObject(clusterRole, json(R"({"metadata": {"name": ".."}})")).has_value());
}

TEST(SemanticsValidation, GenerationChangesOnlyWithTheSpec) {
    const QJsonObject a =
        json(R"({"metadata": {"name": "d", "labels": {"x": "1"}}, "spec": {"replicas": 1}, "status": {}})");
    QJsonObject b = a;
    b.insert(QStringLiteral("metadata"), json(R"({"name": "d", "labels": {"x": "2"}})"));
    b.insert(QStringLiteral("status"), json(R"({"replicas": 1})"));
    EXPECT_FALSE(specChanged(kDeployment, a, b));
    b.insert(QStringLiteral("spec"), json(R"({"replicas": 2})"));
    EXPECT_TRUE(specChanged(kDeployment, a, b));
    EXPECT_FALSE(specChanged(kConfigMap, json(R"({"data": {"a": "1"}})"), json(R"({"data": {"a": "2"}})")));
    EXPECT_TRUE(specChanged(kWidget, json(R"({"spec": {"a": 1}})"), json(R"({"spec": {"a": 2}})")));
    EXPECT_TRUE(tracksGeneration(kWidget));
    EXPECT_FALSE(tracksGeneration(kService));
}

TEST(SemanticsValidation, MainResourceAndStatusAreSeparate) {
    const QJsonObject live =
        json(R"({"metadata": {"name": "d"}, "spec": {"replicas": 1}, "status": {"replicas": 1}})");
    QJsonObject main =
        json(R"({"metadata": {"name": "d"}, "spec": {"replicas": 3}, "status": {"replicas": 99}})");
    restrictToSubresource(kDeployment, live, main, {});
    EXPECT_EQ(main.value(QLatin1String("status")).toObject(), json(R"({"replicas": 1})"));
    EXPECT_EQ(main.value(QLatin1String("spec")).toObject(), json(R"({"replicas": 3})"));
    QJsonObject status =
        json(R"({"metadata": {"name": "d"}, "spec": {"replicas": 3}, "status": {"replicas": 2}})");
    restrictToSubresource(kDeployment, live, status, QStringLiteral("status"));
    EXPECT_EQ(status.value(QLatin1String("spec")).toObject(), json(R"({"replicas": 1})"));
    EXPECT_EQ(status.value(QLatin1String("status")).toObject(), json(R"({"replicas": 2})"));
    EXPECT_TRUE(hasStatusSubresource(kDeployment));
    EXPECT_FALSE(hasStatusSubresource(kConfigMap));
}
