#include "model/appspec.h"

#include <QDir>

#include <gtest/gtest.h>

using namespace driftdeck;

TEST(ExpandHomePath, OnlyALeadingTildeSlashIsTheHomeDirectory) {
    const QString home = QDir::homePath();
    EXPECT_EQ(expandHomePath(QStringLiteral("~/.config/token")), home + QStringLiteral("/.config/token"));
    EXPECT_EQ(expandHomePath(QStringLiteral("~")), home);
    EXPECT_EQ(expandHomePath(QStringLiteral("/etc/token")), QStringLiteral("/etc/token"));
    EXPECT_EQ(expandHomePath(QStringLiteral("tokens/~/x")), QStringLiteral("tokens/~/x"));
    EXPECT_EQ(expandHomePath(QStringLiteral("~other/token")), QStringLiteral("~other/token"));
}

TEST(HelmCheck, ReleaseNamesFollowHelmsRule) {
    for (const char* good : {"web", "web-1", "a.b-c", "0"})
        EXPECT_TRUE(helmcheck::isValidReleaseName(QString::fromLatin1(good))) << good;
    for (const char* bad : {"", "-n", "--post-renderer=./x.sh", "Web", "web_1", "web-", "a..b", "a b"})
        EXPECT_FALSE(helmcheck::isValidReleaseName(QString::fromLatin1(bad))) << bad;
    EXPECT_TRUE(helmcheck::isValidReleaseName(QString(53, QLatin1Char('a'))));
    EXPECT_FALSE(helmcheck::isValidReleaseName(QString(54, QLatin1Char('a'))));
}

TEST(HelmCheck, ValueFilesStayInsideTheRepository) {
    const QString app = QStringLiteral("charts/web");
    EXPECT_EQ(helmcheck::valueFileProblem(QStringLiteral("values.yaml"), app), QString());
    EXPECT_EQ(helmcheck::valueFileProblem(QStringLiteral("../../common/values.yaml"), app), QString());
    EXPECT_NE(helmcheck::valueFileProblem(QStringLiteral("../../../etc/passwd"), app), QString());
    EXPECT_NE(helmcheck::valueFileProblem(QStringLiteral("/etc/passwd"), app), QString());
    EXPECT_NE(helmcheck::valueFileProblem(QStringLiteral("~/secrets.yaml"), app), QString());
    EXPECT_NE(helmcheck::valueFileProblem(QStringLiteral("https://example.com/v.yaml"), app), QString());
    EXPECT_NE(helmcheck::valueFileProblem(QStringLiteral("oci://registry/v"), app), QString());
    EXPECT_NE(helmcheck::valueFileProblem(QStringLiteral("--post-renderer=x"), app), QString());
    EXPECT_NE(helmcheck::valueFileProblem(QStringLiteral("a\nb.yaml"), app), QString());
    EXPECT_NE(helmcheck::valueFileProblem(QString(), app), QString());
}
