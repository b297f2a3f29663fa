// Defence in depth: whatever a caller hands over, a credential does not reach the file (searched
// as plain text and as base64), and no field grows the file without bound.

#include "historytestsupport.h"

#include <QJsonArray>

using namespace driftdeck;
using namespace driftdeck::history;
using driftdeck::test::awaitResult;
using driftdeck::test::sampleRecord;

namespace {

class HistoryRedactionTest : public driftdeck::test::HistoryTest {
protected:
    void SetUp() override {
        HistoryTest::SetUp();
        ASSERT_TRUE(awaitResult(store.open()).ok());
    }
    HistoryStore store;
};

const QStringList kSecrets = {
    QStringLiteral("s3cr3t-bearer-t0ken-9f8e7d"), QStringLiteral("hunter2-very-secret-pw"),
    QStringLiteral("opt-token-5a4b3c2d1e"),       QStringLiteral("url-pass-0q9w8e7r"),
    QStringLiteral("nested-api-key-zz11yy22"),    QStringLiteral("reason-bearer-77xx66"),
};

TEST_F(HistoryRedactionTest, CredentialsNeverReachTheFile) {
    OperationRecord record = sampleRecord();
    record.error = QStringLiteral("git fetch failed: server said Authorization: Bearer ") + kSecrets[0];
    record.resources = {{QStringLiteral("apps"), QStringLiteral("Deployment"), QStringLiteral("shop"),
                         QStringLiteral("cart"), QStringLiteral("apply"), QStringLiteral("Failed"),
                         QStringLiteral("webhook rejected the request:\npassword: ") + kSecrets[1]}};
    record.options.insert(QStringLiteral("token"), kSecrets[2]);
    record.options.insert(QStringLiteral("repo"), QString(QStringLiteral("https://deploy:") + kSecrets[3] +
                                                          QStringLiteral("@git.example.com/shop.git")));
    QJsonObject nested;
    nested.insert(QStringLiteral("apiKey"), kSecrets[4]);
    nested.insert(QStringLiteral("selected"), QJsonArray{QStringLiteral("apps/Deployment/shop/cart")});
    record.options.insert(QStringLiteral("source"), nested);
    Result<qint64> id = awaitResult(store.record(record));
    ASSERT_TRUE(id.ok()) << id.error().message.toStdString();

    // The update path is sanitised the same way.
    OperationRecord finished = record;
    finished.id = *id;
    finished.outcome = QStringLiteral("Failed");
    finished.finishedAt = record.startedAt.addSecs(3);
    ASSERT_TRUE(awaitResult(store.update(finished)).ok());
    AppState state{QStringLiteral("web"),
                   QStringLiteral("aaaa"),
                   true,
                   QStringLiteral("paused after a failed sync: Bearer ") + kSecrets[5],
                   {}};
    ASSERT_TRUE(awaitResult(store.setAppState(state)).ok());

    Result<OperationRecord> stored = awaitResult(store.operation(*id));
    ASSERT_TRUE(stored.ok());
    EXPECT_TRUE(stored->error.startsWith(QStringLiteral("git fetch failed"))) << stored->error.toStdString();
    EXPECT_TRUE(stored->error.contains(QStringLiteral("<redacted>"))) << stored->error.toStdString();
    ASSERT_EQ(stored->resources.size(), 1);
    EXPECT_TRUE(stored->resources[0].message.contains(QStringLiteral("<redacted>")));
    EXPECT_EQ(stored->options.value(QStringLiteral("token")).toString(), QStringLiteral("<redacted>"));
    EXPECT_TRUE(
        stored->options.value(QStringLiteral("repo")).toString().contains(QStringLiteral("git.example.com")));
    EXPECT_EQ(stored->options.value(QStringLiteral("source")).toObject().value(QStringLiteral("selected")),
              nested.value(QStringLiteral("selected")))
        << "what is not a credential stays as it was";
    EXPECT_TRUE(stored->options.value(QStringLiteral("prune")).toBool());
    Result<AppState> storedState = awaitResult(store.appState(QStringLiteral("web")));
    ASSERT_TRUE(storedState.ok());
    EXPECT_TRUE(storedState->reason.startsWith(QStringLiteral("paused after a failed sync")));

    // Search the bytes on disk, before and after the WAL is folded into the database.
    const QString folder = QFileInfo(databasePath()).absolutePath();
    for (int pass = 0; pass < 2; ++pass) {
        const QByteArray bytes = driftdeck::test::allFileBytes(folder);
        ASSERT_FALSE(bytes.isEmpty());
        ASSERT_TRUE(bytes.contains("git.example.com")) << "the search must see what the store wrote";
        for (const QString& secret : kSecrets) {
            const QByteArray plain = secret.toUtf8();
            EXPECT_FALSE(bytes.contains(plain)) << secret.toStdString() << " is in the history file";
            EXPECT_FALSE(bytes.contains(plain.toBase64()))
                << secret.toStdString() << " (base64) is in the file";
            EXPECT_FALSE(stored->error.contains(secret) || stored->resources[0].message.contains(secret) ||
                         storedState->reason.contains(secret));
        }
        ASSERT_TRUE(awaitResult(store.close()).ok());
    }
}

TEST_F(HistoryRedactionTest, LongTextIsCappedWithANote) {
    OperationRecord record = sampleRecord();
    record.error = QString(10000, u'x');
    record.resources = {{QString(), QStringLiteral("ConfigMap"), QStringLiteral("shop"),
                         QStringLiteral("big"), QStringLiteral("apply"), QStringLiteral("Failed"),
                         QString(5000, u'y')}};
    Result<qint64> id = awaitResult(store.record(record));
    ASSERT_TRUE(id.ok());
    Result<OperationRecord> stored = awaitResult(store.operation(*id));
    ASSERT_TRUE(stored.ok());
    EXPECT_TRUE(stored->error.startsWith(QString(HistoryLimits::maxTextLength, u'x')));
    EXPECT_TRUE(stored->error.endsWith(QStringLiteral(" [truncated: 5904 more characters]")))
        << stored->error.right(60).toStdString();
    EXPECT_TRUE(stored->resources[0].message.endsWith(QStringLiteral(" [truncated: 904 more characters]")));
}

TEST_F(HistoryRedactionTest, ResourcesBeyondTheLimitAreCounted) {
    OperationRecord record = sampleRecord();
    const int total = HistoryLimits::maxResources + 5;
    for (int i = 0; i < total; ++i)
        record.resources.append({QString(), QStringLiteral("ConfigMap"), QStringLiteral("shop"),
                                 QStringLiteral("cm-%1").arg(i), QStringLiteral("apply"),
                                 QStringLiteral("Synced"), QString()});
    Result<qint64> id = awaitResult(store.record(record));
    ASSERT_TRUE(id.ok()) << id.error().message.toStdString();
    Result<OperationRecord> stored = awaitResult(store.operation(*id));
    ASSERT_TRUE(stored.ok());
    ASSERT_EQ(stored->resources.size(), HistoryLimits::maxResources);
    EXPECT_EQ(stored->resources.last().name, QStringLiteral("cm-%1").arg(HistoryLimits::maxResources - 1));
    EXPECT_EQ(stored->resourcesOmitted, 5);
}

TEST_F(HistoryRedactionTest, OversizedOptionsAreReplacedByANote) {
    OperationRecord record = sampleRecord();
    record.options = {};
    for (int i = 0; i < 40; ++i)
        record.options.insert(QStringLiteral("selector%1").arg(i), QString(3000, u'z'));
    Result<qint64> id = awaitResult(store.record(record));
    ASSERT_TRUE(id.ok());
    Result<OperationRecord> stored = awaitResult(store.operation(*id));
    ASSERT_TRUE(stored.ok());
    ASSERT_EQ(stored->options.size(), 1);
    EXPECT_TRUE(
        stored->options.value(QStringLiteral("truncated")).toString().contains(QStringLiteral("65536")))
        << "the note says the limit";
}

} // namespace
