#include "model/error.h"

#include <gtest/gtest.h>

using driftdeck::Error;
using driftdeck::Result;

namespace {
Result<int> half(int value) {
    if (value % 2 != 0)
        return Error::make(Error::Code::Invalid, QStringLiteral("%1 is odd").arg(value));
    return value / 2;
}
} // namespace

TEST(Result, CarriesValueOrError) {
    const auto even = half(8);
    ASSERT_TRUE(even.ok());
    EXPECT_EQ(*even, 4);

    const auto odd = half(7);
    ASSERT_FALSE(odd.ok());
    EXPECT_EQ(odd.error().code, Error::Code::Invalid);
    EXPECT_EQ(odd.error().message, QStringLiteral("7 is odd"));
}

TEST(Error, ToStringAddsDetailOnItsOwnLine) {
    const Error e =
        Error::make(Error::Code::External, QStringLiteral("kustomize failed"), QStringLiteral("stderr"));
    EXPECT_EQ(e.toString(), QStringLiteral("kustomize failed\nstderr"));
    EXPECT_EQ(Error::codeName(Error::Code::Forbidden), QStringLiteral("forbidden"));
}

TEST(ErrorContext, CarriesWhereItHappened) {
    using driftdeck::Error;
    const Error e = Error::make(Error::Code::Unavailable, QStringLiteral("timed out"))
                        .withCluster(QStringLiteral("prod"))
                        .withApplication(QStringLiteral("shop"))
                        .withObject(QStringLiteral("apps/Deployment:shop/web"));
    EXPECT_EQ(e.context.cluster, QStringLiteral("prod"));
    EXPECT_EQ(e.context.application, QStringLiteral("shop"));
    EXPECT_EQ(e.context.object, QStringLiteral("apps/Deployment:shop/web"));
    EXPECT_TRUE(e.context.retryable) << "an unavailable cluster may answer later";
    EXPECT_FALSE(Error::make(Error::Code::Invalid, QStringLiteral("bad")).context.retryable);
}
