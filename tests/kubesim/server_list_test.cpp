#include "serverclient.h"

#include <QJsonArray>
#include <QUrl>

#include <gtest/gtest.h>

using namespace driftdeck::kubesim;
using namespace driftdeck::kubesim::test;

namespace {

const QString kConfigMaps = QStringLiteral("/api/v1/namespaces/default/configmaps");

class ServerListTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(cluster.start().ok());
        const struct {
            const char* name;
            const char* app;
            const char* tier;
        } objects[] = {
            {"a", "web", "front"}, {"b", "web", "back"}, {"c", "db", "back"}, {"d", "cache", nullptr}};
        for (const auto& o : objects) {
            QJsonObject labels{{QStringLiteral("app"), QString::fromLatin1(o.app)}};
            if (o.tier)
                labels.insert(QStringLiteral("tier"), QString::fromLatin1(o.tier));
            ASSERT_EQ(client.post(kConfigMaps, configMap(QString::fromLatin1(o.name), labels)).status, 201);
        }
    }
    QStringList names(const QString& query) {
        const Reply reply = client.get(kConfigMaps + QLatin1Char('?') + query);
        EXPECT_EQ(reply.status, 200) << reply.body.constData();
        QStringList out;
        for (const QJsonValue& item : reply.json.value(QStringLiteral("items")).toArray())
            out.append(item.toObject()
                           .value(QStringLiteral("metadata"))
                           .toObject()
                           .value(QStringLiteral("name"))
                           .toString());
        return out;
    }
    static QString selector(const char* text) {
        return QStringLiteral("labelSelector=") +
               QString::fromLatin1(QUrl::toPercentEncoding(QString::fromLatin1(text)));
    }
    SimulatedCluster cluster;
    ServerClient client{cluster};
};

TEST_F(ServerListTest, LabelSelectorOperators) {
    EXPECT_EQ(names(selector("app=web")), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    EXPECT_EQ(names(selector("app==db")), QStringList{QStringLiteral("c")});
    EXPECT_EQ(names(selector("app!=web")), (QStringList{QStringLiteral("c"), QStringLiteral("d")}));
    EXPECT_EQ(names(selector("app in (db,cache)")), (QStringList{QStringLiteral("c"), QStringLiteral("d")}));
    EXPECT_EQ(names(selector("app notin (web)")), (QStringList{QStringLiteral("c"), QStringLiteral("d")}));
    EXPECT_EQ(names(selector("tier")),
              (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
    EXPECT_EQ(names(selector("!tier")), QStringList{QStringLiteral("d")});
    EXPECT_EQ(names(selector("app=web,tier=back")), QStringList{QStringLiteral("b")});
}

// Go clients (kubectl) encode a space in the query as `+`; a literal plus arrives as %2B.
TEST_F(ServerListTest, PlusInTheQueryIsASpace) {
    EXPECT_EQ(names(QStringLiteral("labelSelector=app+in+%28db%2Ccache%29")),
              (QStringList{QStringLiteral("c"), QStringLiteral("d")}));
    EXPECT_EQ(names(QStringLiteral("labelSelector=app+notin+%28web%29,tier")),
              QStringList{QStringLiteral("c")});
    const Reply field = client.get(kConfigMaps + QStringLiteral("?fieldSelector=spec.some+field%3Dx+y"));
    EXPECT_EQ(field.status, 400);
    EXPECT_TRUE(field.body.contains("field label not supported: spec.some field")) << field.body.constData();
    const Reply plus = client.get(kConfigMaps + QStringLiteral("?fieldSelector=spec.a%2Bb%3D1"));
    EXPECT_TRUE(plus.body.contains("field label not supported: spec.a+b")) << plus.body.constData();
}

TEST_F(ServerListTest, MalformedSelectorIsBadRequest) {
    EXPECT_EQ(client.get(kConfigMaps + QLatin1Char('?') + selector("app in (web")).status, 400);
}

TEST_F(ServerListTest, FieldSelectorOnNameAndNamespace) {
    EXPECT_EQ(names(QStringLiteral("fieldSelector=metadata.name%3Db")), QStringList{QStringLiteral("b")});
    EXPECT_EQ(names(QStringLiteral("fieldSelector=metadata.name!%3Db")).size(), 3);
    EXPECT_EQ(names(QStringLiteral("fieldSelector=metadata.namespace%3Dother")).size(), 0);
    EXPECT_EQ(client.get(kConfigMaps + QStringLiteral("?fieldSelector=spec.x%3D1")).status, 400);
}

TEST_F(ServerListTest, PaginationWithLimitAndContinue) {
    const Reply first = client.get(kConfigMaps + QStringLiteral("?limit=3"));
    ASSERT_EQ(first.status, 200);
    const QJsonObject meta = first.json.value(QStringLiteral("metadata")).toObject();
    EXPECT_EQ(first.json.value(QStringLiteral("items")).toArray().size(), 3);
    EXPECT_EQ(meta.value(QStringLiteral("remainingItemCount")).toInt(), 1);
    EXPECT_FALSE(meta.value(QStringLiteral("resourceVersion")).toString().isEmpty());
    const QString token = meta.value(QStringLiteral("continue")).toString();
    ASSERT_FALSE(token.isEmpty());
    const QStringList rest = names(QStringLiteral("limit=3&continue=") + token);
    EXPECT_EQ(rest, QStringList{QStringLiteral("d")});
    const Reply last = client.get(kConfigMaps + QStringLiteral("?limit=3&continue=") + token);
    EXPECT_FALSE(last.json.value(QStringLiteral("metadata")).toObject().contains(QStringLiteral("continue")));
}

TEST_F(ServerListTest, ListAcrossNamespacesAndTable) {
    const Reply all = client.get(QStringLiteral("/api/v1/configmaps"));
    EXPECT_EQ(all.json.value(QStringLiteral("kind")).toString(), QStringLiteral("ConfigMapList"));
    EXPECT_EQ(all.json.value(QStringLiteral("items")).toArray().size(), 4);
    QNetworkRequest req = client.request(kConfigMaps);
    req.setRawHeader("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
    QNetworkReply* reply = client.nam().get(req);
    driftdeck::test::waitUntil([reply]() { return reply->isFinished(); });
    const QJsonObject table = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    EXPECT_EQ(table.value(QStringLiteral("kind")).toString(), QStringLiteral("Table"));
    EXPECT_EQ(table.value(QStringLiteral("rows")).toArray().size(), 4);
}

} // namespace
