// The three patch formats and server-side apply of kubesim, on a live object and a patch that both
// come from the input: the first byte picks the operation, the rest is `live JSON \0 patch`. When
// there is no \0 (or the live part is not an object) the live object is a fixed Deployment. What
// a patch produces then goes through defaulting, validation and the generation rule, as the
// server would run them.

#include "fuzzsupport.h"
#include "kubesim/semantics.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace driftdeck;

namespace {

QJsonObject fixedDeployment() {
    static const QJsonObject deployment = QJsonDocument::fromJson(R"({
      "apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"},
                   "annotations": {"a": "b"}, "finalizers": ["x"]},
      "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
               "template": {"metadata": {"labels": {"app": "web"}},
                            "spec": {"containers": [
                              {"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}],
                               "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                               "volumeMounts": [{"name": "data", "mountPath": "/data"}]},
                              {"name": "side", "image": "busybox", "args": ["sleep", "1"]}],
                              "volumes": [{"name": "data", "emptyDir": {}}],
                              "tolerations": [{"key": "k", "operator": "Exists"}]}}},
      "status": {"replicas": 2, "conditions": [{"type": "Available", "status": "True"}]}
    })")
                                              .object();
    return deployment;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    const uint8_t operation = data[0] % 4;
    const auto [livePart, patchPart] = fuzz::splitAt(fuzz::bytes(data + 1, size - 1), '\0');
    QJsonObject live = QJsonDocument::fromJson(livePart).object();
    if (live.isEmpty())
        live = fixedDeployment();
    kubesim::KindRef kind = kubesim::KindRef::fromObject(live);
    if (kind.kind.isEmpty())
        kind = {QStringLiteral("apps"), QStringLiteral("v1"), QStringLiteral("Deployment")};

    std::variant<QJsonObject, kubesim::ApiError> result;
    const QString timestamp = QStringLiteral("2026-11-30T12:00:00Z");
    switch (operation) {
    case 0:
        result = kubesim::mergePatch(kind, live, patchPart);
        break;
    case 1:
        result = kubesim::jsonPatch(kind, live, patchPart);
        break;
    case 2:
        result = kubesim::strategicMergePatch(kind, live, patchPart);
        break;
    default:
        result = kubesim::serverSideApply(kind, live, QJsonDocument::fromJson(patchPart).object(),
                                          QStringLiteral("fuzz"), (data[0] & 4) != 0, timestamp);
        break;
    }
    if (const auto* error = std::get_if<kubesim::ApiError>(&result)) {
        (void)error->toStatus();
        return 0;
    }
    QJsonObject patched = std::get<QJsonObject>(result);
    kubesim::applyDefaults(kind, patched);
    (void)kubesim::unknownFields(kind, patched);
    (void)kubesim::validateObject(kind, patched);
    (void)kubesim::specChanged(kind, live, patched);
    kubesim::restrictToSubresource(kind, live, patched, QString());
    kubesim::recordUpdate(kind, live, patched, QStringLiteral("fuzz-update"), QStringLiteral("Update"),
                          timestamp);
    return 0;
}
