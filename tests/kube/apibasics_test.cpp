#include "kube/apitypes.h"
#include "kube/ratelimiter.h"
#include "kube/redaction.h"
#include "kube/resourceapi.h"

#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::kube;

TEST(Redaction, HidesRegisteredSecretsKeysHeadersAndUserInfo) {
    SecretRegistry secrets;
    secrets.add(SecretString(QStringLiteral("s3cr3t-token-value-123")));
    EXPECT_EQ(secrets.redact(QStringLiteral("server said s3cr3t-token-value-123 is bad")),
              QStringLiteral("server said <redacted> is bad"));
    // The base64 form, as a kubeconfig's *-data fields hold it, too.
    EXPECT_EQ(secrets.redact(QStringLiteral("data ") +
                             QString::fromLatin1(QByteArray("s3cr3t-token-value-123").toBase64())),
              QStringLiteral("data <redacted>"));
    EXPECT_EQ(redact(QStringLiteral("Authorization: Bearer abc.def-ghi")),
              QStringLiteral("Authorization: Bearer <redacted>"));
    EXPECT_EQ(redact(QStringLiteral("proxy https://user:pass@proxy:3128/x")),
              QStringLiteral("proxy https://<redacted>@proxy:3128/x"));
    EXPECT_EQ(redact(QStringLiteral("GET /x?access_token=zzz&a=b")),
              QStringLiteral("GET /x?access_token=<redacted>&a=b"));
    const QString pem =
        QStringLiteral("key: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY----- end");
    EXPECT_EQ(redact(pem), QStringLiteral("key: <redacted> end"));
    EXPECT_EQ(redact(QStringLiteral("{\"token\":\"abc\",\"x\":1}")),
              QStringLiteral("{\"token\":\"<redacted>\",\"x\":1}"));
    // Short values are not treated as secrets (they would mangle ordinary text).
    secrets.add(SecretString(QStringLiteral("ab")));
    EXPECT_EQ(secrets.redact(QStringLiteral("ab cd")), QStringLiteral("ab cd"));
    EXPECT_EQ(secrets.error(Error::Code::Invalid, QStringLiteral("bad s3cr3t-token-value-123")).message,
              QStringLiteral("bad <redacted>"));
    // A registry knows its own secrets only; the patterns apply everywhere.
    EXPECT_EQ(redact(QStringLiteral("bad s3cr3t-token-value-123")),
              QStringLiteral("bad s3cr3t-token-value-123"));
}

// Review item 12: exec-plugin tokens used to pile up in one process-wide set for ever.
TEST(Redaction, RotatingSecretsKeepOnlyTheLatestFew) {
    SecretRegistry secrets;
    const auto token = [](qsizetype i) -> QString {
        return QStringLiteral("rotating-token-") + QString::number(i);
    };
    for (int i = 0; i < 10; ++i)
        secrets.addRotating(SecretString(token(i)));
    EXPECT_EQ(secrets.redact(token(9)), QStringLiteral("<redacted>"));
    EXPECT_EQ(secrets.redact(token(10 - SecretRegistry::kRotatingKept)), QStringLiteral("<redacted>"));
    EXPECT_EQ(secrets.redact(token(0)), token(0));
}

TEST(ApiStatus, ParsesStatusBodyWithCauses) {
    const QByteArray body =
        R"({"kind":"Status","apiVersion":"v1","status":"Failure","code":422,"reason":"Invalid",
        "message":"ConfigMap \"x\" is invalid","details":{"causes":[{"reason":"FieldValueInvalid",
        "message":"bad","field":"metadata.name"}],"retryAfterSeconds":3}})";
    auto status = ApiStatus::parse(body);
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->code, 422);
    EXPECT_EQ(status->reason, QStringLiteral("Invalid"));
    ASSERT_EQ(status->causes.size(), 1);
    EXPECT_EQ(status->causes[0].field, QStringLiteral("metadata.name"));
    EXPECT_EQ(status->retryAfterSeconds, 3);
    EXPECT_FALSE(ApiStatus::parse("{\"kind\":\"ConfigMap\"}").has_value());
    EXPECT_FALSE(ApiStatus::parse("not json").has_value());
}

TEST(ApiStatus, MapsHttpCodesToErrorCodesKeepingTheServerMessage) {
    const std::pair<int, Error::Code> cases[] = {
        {401, Error::Code::Unauthorized}, {403, Error::Code::Forbidden},   {404, Error::Code::NotFound},
        {409, Error::Code::Conflict},     {410, Error::Code::Conflict},    {422, Error::Code::Invalid},
        {429, Error::Code::Unavailable},  {500, Error::Code::Unavailable}, {503, Error::Code::Unavailable},
        {413, Error::Code::TooLarge}};
    for (const auto& [http, code] : cases) {
        ApiStatus status;
        status.code = http;
        status.message = QStringLiteral("server words ") + QString::number(http);
        const Error e = errorForStatus(http, status, QStringLiteral("prod"), QStringLiteral("GET /api"));
        EXPECT_EQ(e.code, code) << http;
        EXPECT_TRUE(e.message.contains(status.message)) << e.message.toStdString();
        EXPECT_TRUE(e.message.startsWith(QStringLiteral("prod: GET /api"))) << e.message.toStdString();
        EXPECT_EQ(e.context.cluster, QStringLiteral("prod"));
        EXPECT_EQ(e.context.httpStatus, http);
        EXPECT_EQ(e.context.retryable, http == 429 || http >= 500) << http;
    }
    ApiReply gone;
    gone.httpStatus = 410;
    EXPECT_TRUE(gone.isGone());
}

TEST(RateLimiter, AllowsBurstThenSpacesRequestsAtQps) {
    using namespace std::chrono;
    const auto t0 = RateLimiter::Clock::now();
    RateLimiter limiter(10, 3);
    EXPECT_EQ(limiter.reserve(t0).count(), 0);
    EXPECT_EQ(limiter.reserve(t0).count(), 0);
    EXPECT_EQ(limiter.reserve(t0).count(), 0);
    EXPECT_EQ(limiter.reserve(t0).count(), 100); // the 4th waits one token (1/10 s)
    EXPECT_EQ(limiter.reserve(t0).count(), 200); // queued behind it
    // A second later tokens have refilled (10 tokens, capped at the burst of 3, minus the 2 owed).
    EXPECT_EQ(limiter.reserve(t0 + seconds(1)).count(), 0);
}

TEST(Backoff, DoublesUpToTheCapWithJitterBelow) {
    using namespace std::chrono;
    Backoff backoff(milliseconds(800), seconds(30), 0.5);
    const long long expected[] = {800, 1600, 3200, 6400, 12800, 25600, 30000, 30000};
    for (long long max : expected) {
        const auto d = backoff.next().count();
        EXPECT_LE(d, max);
        EXPECT_GE(d, max / 2);
    }
    backoff.reset();
    EXPECT_LE(backoff.next().count(), 800);
}

TEST(ResourceApi, PathsAndWriteRequests) {
    const ResourceInfo deployments{QStringLiteral("apps"),
                                   QStringLiteral("v1"),
                                   QStringLiteral("Deployment"),
                                   QStringLiteral("deployments"),
                                   true,
                                   {}};
    const ResourceInfo namespaces{
        QString(), QStringLiteral("v1"), QStringLiteral("Namespace"), QStringLiteral("namespaces"), false,
        {}};
    EXPECT_EQ(collectionPath(deployments, QStringLiteral("web")),
              QStringLiteral("/apis/apps/v1/namespaces/web/deployments"));
    EXPECT_EQ(collectionPath(deployments, {}), QStringLiteral("/apis/apps/v1/deployments"));
    EXPECT_EQ(objectPath(namespaces, QStringLiteral("ignored"), QStringLiteral("web")),
              QStringLiteral("/api/v1/namespaces/web"));

    const QJsonObject object{
        {QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
        {QStringLiteral("kind"), QStringLiteral("Deployment")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), QStringLiteral("api")}}}};
    ApplyOptions options;
    options.force = true;
    options.dryRun = true;
    options.defaultNamespace = QStringLiteral("team");
    const ApiRequest apply = applyRequest(deployments, object, options);
    EXPECT_EQ(apply.method, QByteArray("PATCH"));
    EXPECT_EQ(apply.path, QStringLiteral("/apis/apps/v1/namespaces/team/deployments/api"));
    EXPECT_EQ(apply.contentType, QByteArray("application/apply-patch+yaml"));
    EXPECT_EQ(apply.query.queryItemValue(QStringLiteral("fieldManager")), QStringLiteral("driftdeck"));
    EXPECT_EQ(apply.query.queryItemValue(QStringLiteral("force")), QStringLiteral("true"));
    EXPECT_EQ(apply.query.queryItemValue(QStringLiteral("dryRun")), QStringLiteral("All"));
    EXPECT_EQ(QJsonDocument::fromJson(apply.body)
                  .object()
                  .value(QStringLiteral("metadata"))
                  .toObject()
                  .value(QStringLiteral("namespace")),
              QStringLiteral("team"));
    // A cluster-scoped kind loses a namespace the server would ignore; the path has none either.
    QJsonObject scoped = object;
    scoped.insert(QStringLiteral("kind"), QStringLiteral("Namespace"));
    scoped.insert(QStringLiteral("apiVersion"), QStringLiteral("v1"));
    scoped.insert(QStringLiteral("metadata"),
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("team")},
                              {QStringLiteral("namespace"), QStringLiteral("x")}});
    const ApiRequest clusterScoped = applyRequest(namespaces, scoped, options);
    EXPECT_EQ(clusterScoped.path, QStringLiteral("/api/v1/namespaces/team"));
    EXPECT_FALSE(QJsonDocument::fromJson(clusterScoped.body)
                     .object()
                     .value(QStringLiteral("metadata"))
                     .toObject()
                     .contains(QStringLiteral("namespace")));
    EXPECT_FALSE(apply.isIdempotent());

    const ApiRequest del = deleteRequest(deployments, QStringLiteral("team"), QStringLiteral("api"),
                                         {PropagationPolicy::Foreground, false});
    EXPECT_EQ(del.method, QByteArray("DELETE"));
    EXPECT_EQ(QJsonDocument::fromJson(del.body).object().value(QLatin1String("propagationPolicy")).toString(),
              QStringLiteral("Foreground"));
    EXPECT_TRUE(del.isIdempotent());

    const ApiRequest patch = mergePatchRequest(deployments, QStringLiteral("team"), QStringLiteral("api"),
                                               QJsonObject{{QStringLiteral("spec"), QJsonObject()}});
    EXPECT_EQ(patch.contentType, QByteArray("application/merge-patch+json"));
}
