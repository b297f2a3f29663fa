#include "cliacceptsupport.h"

#include "diff/pairing.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace driftdeck::engine::test {

QStringList secretSpellings() {
    QStringList out;
    for (const QString& value : {kSecretValue, kRotatedSecretValue})
        out << value << QString::fromLatin1(value.toUtf8().toBase64());
    return out;
}

void writeShopSecret(driftdeck::test::GitTestRepo& repo, const QString& value) {
    const QJsonObject secret{
        {u"apiVersion"_s, u"v1"_s},
        {u"kind"_s, u"Secret"_s},
        {u"metadata"_s, QJsonObject{{u"name"_s, u"shop-secret"_s}}},
        {u"type"_s, u"Opaque"_s},
        {u"data"_s, QJsonObject{{u"password"_s, QString::fromLatin1(value.toUtf8().toBase64())}}}};
    repo.write(u"apps/shop/secret.yaml"_s, QJsonDocument(secret).toJson());
}

QJsonObject liveObject(kube::ClusterClient* client, const QString& path) {
    QFuture<kube::ApiReply> reply = client->get(path);
    if (!driftdeck::test::waitUntil([&] { return reply.isFinished(); }, std::chrono::seconds(20)))
        return {};
    return reply.result().ok() ? reply.result().json() : QJsonObject();
}

QString greetingOf(TestFleet& fleet) {
    return liveObject(fleet.client(0), shopConfigPath(fleet))
        .value(u"data")
        .toObject()
        .value(u"greeting")
        .toString();
}

bool applyConfigMap(kube::ClusterClient* client, const QString& ns, const QString& name,
                    const QString& greeting, const QString& manager, const QString& trackedBy) {
    QJsonObject metadata{{u"name"_s, name}, {u"namespace"_s, ns}};
    if (!trackedBy.isEmpty())
        metadata.insert(
            u"annotations"_s,
            QJsonObject{{u"driftdeck.io/tracking-id"_s,
                         diff::trackingId(trackedBy, ResourceKey{{}, u"ConfigMap"_s, ns, name})}});
    return applyAs(client,
                   QJsonObject{{u"apiVersion"_s, u"v1"_s},
                               {u"kind"_s, u"ConfigMap"_s},
                               {u"metadata"_s, metadata},
                               {u"data"_s, QJsonObject{{u"greeting"_s, greeting}}}},
                   manager);
}

QStringList diffEntry(const QString& diffJson, const QString& kind, const QString& name) {
    const QJsonDocument doc = QJsonDocument::fromJson(diffJson.toUtf8());
    for (const QJsonValue& app : doc.object().value(u"applications").toArray())
        for (const QJsonValue& value : app.toObject().value(u"objects").toArray()) {
            const QJsonObject object = value.toObject();
            if (object.value(u"kind").toString() != kind || object.value(u"name").toString() != name)
                continue;
            QStringList out{object.value(u"state").toString()};
            for (const QJsonValue& change : object.value(u"changes").toArray())
                out.append(change.toObject().value(u"pointer").toString());
            return out;
        }
    return {};
}

} // namespace driftdeck::engine::test
