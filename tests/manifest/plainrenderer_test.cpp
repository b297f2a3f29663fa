// Plain directory rendering: what files are read, in what order, and how a broken or hostile
// directory is reported.
#include "manifest/plainrenderer.h"
#include "manifesttestsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::manifest;
using namespace Qt::StringLiterals;

namespace {

constexpr auto Plain = RendererSpec::Type::Plain;

const QByteArray ConfigMapA = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n";
const QByteArray ConfigMapB = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n";

QStringList names(const RenderResult& result) {
    QStringList out;
    for (const DesiredObject& object : result.objects)
        out.append(object.key.name);
    return out;
}

class PlainRendererTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dir.isValid()); }
    QString root() const { return dir.path(); }
    QTemporaryDir dir;
};

} // namespace

TEST_F(PlainRendererTest, ReadsYamlYmlAndJsonInSortedOrderWithSources) {
    ASSERT_TRUE(test::writeFile(root(), u"b.yml"_s, ConfigMapB));
    ASSERT_TRUE(test::writeFile(root(), u"a.yaml"_s, "# leading comment\n" + ConfigMapA));
    ASSERT_TRUE(test::writeFile(root(), u"c.json"_s,
                                R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"c"}})"));
    ASSERT_TRUE(test::writeFile(root(), u"README.md"_s, "not a manifest: [\n"));

    const Result<RenderResult> result = renderManifests(test::requestFor(root(), Plain));
    ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
    EXPECT_EQ(names(*result), (QStringList{u"a"_s, u"b"_s, u"c"_s}));
    const DesiredObject& a = result->objects.at(0);
    EXPECT_EQ(a.key, (ResourceKey{QString(), u"ConfigMap"_s, QString(), u"a"_s}));
    EXPECT_EQ(a.source.file, u"a.yaml"_s);
    EXPECT_EQ(a.source.documentIndex, 0);
    EXPECT_EQ(a.source.line, 2);
    EXPECT_EQ(a.object.value("data"_L1).toObject().value("k"_L1).toString(), u"v"_s);
    EXPECT_EQ(result->objects.at(2).key.kind, u"Secret"_s);
}

TEST_F(PlainRendererTest, MultiDocumentFilesKeepDocumentIndexAndLine) {
    ASSERT_TRUE(test::writeFile(root(), u"all.yaml"_s, "---\n" + ConfigMapA + "---\n---\n" + ConfigMapB));
    const Result<RenderResult> result = renderManifests(test::requestFor(root(), Plain));
    ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
    ASSERT_EQ(result->objects.size(), 2);
    EXPECT_EQ(result->objects.at(1).key.name, u"b"_s);
    EXPECT_EQ(result->objects.at(1).source.documentIndex, 1);
    EXPECT_EQ(result->objects.at(1).source.line, 10);
}

TEST_F(PlainRendererTest, ListKindsAreFlattened) {
    ASSERT_TRUE(test::writeFile(root(), u"list.yaml"_s, R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: one}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: two}
---
apiVersion: v1
kind: ConfigMapList
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: three}
)"));
    const Result<RenderResult> result = renderManifests(test::requestFor(root(), Plain));
    ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
    EXPECT_EQ(names(*result), (QStringList{u"one"_s, u"two"_s, u"three"_s}));
    EXPECT_EQ(result->objects.at(2).source.documentIndex, 1);
}

TEST_F(PlainRendererTest, RecurseIncludeAndExclude) {
    ASSERT_TRUE(test::writeFile(root(), u"top.yaml"_s, ConfigMapA));
    ASSERT_TRUE(test::writeFile(root(), u"sub/deep.yaml"_s, ConfigMapB));
    ASSERT_TRUE(test::writeFile(root(), u"sub/skip.yaml"_s,
                                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: skipped\n"));
    ASSERT_TRUE(test::writeFile(root(), u".hidden/x.yaml"_s,
                                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hidden\n"));

    RenderRequest request = test::requestFor(root(), Plain);
    Result<RenderResult> flat = renderManifests(request);
    ASSERT_TRUE(flat.ok());
    EXPECT_EQ(names(*flat), QStringList{u"a"_s});

    request.spec.recurse = true;
    Result<RenderResult> deep = renderManifests(request);
    ASSERT_TRUE(deep.ok()) << deep.error().toString().toStdString();
    EXPECT_EQ(names(*deep), (QStringList{u"b"_s, u"skipped"_s, u"a"_s})); // "sub/..." sorts before "top"

    request.spec.exclude = {u"sub/skip*"_s};
    Result<RenderResult> excluded = renderManifests(request);
    ASSERT_TRUE(excluded.ok());
    EXPECT_EQ(names(*excluded), (QStringList{u"b"_s, u"a"_s}));

    request.spec.exclude.clear();
    request.spec.include = {u"{top.yaml,sub/deep.yaml}"_s};
    Result<RenderResult> included = renderManifests(request);
    ASSERT_TRUE(included.ok());
    EXPECT_EQ(names(*included), (QStringList{u"b"_s, u"a"_s}));
}

TEST(GlobTest, MatchesLikeArgoCdDirectoryGlobs) {
    EXPECT_TRUE(matchesGlob(u"*.yaml"_s, u"a.yaml"_s));
    EXPECT_TRUE(matchesGlob(u"*.yaml"_s, u"sub/a.yaml"_s)); // no '/': matched against the file name
    EXPECT_FALSE(matchesGlob(u"sub/*.yaml"_s, u"sub/deeper/a.yaml"_s));
    EXPECT_TRUE(matchesGlob(u"sub/**/*.yaml"_s, u"sub/deeper/a.yaml"_s));
    EXPECT_TRUE(matchesGlob(u"sub/**/*.yaml"_s, u"sub/a.yaml"_s));
    EXPECT_TRUE(matchesGlob(u"{config.json,env-usw2/*}"_s, u"env-usw2/x.yaml"_s));
    EXPECT_TRUE(matchesGlob(u"{config.json,env-usw2/*}"_s, u"config.json"_s));
    EXPECT_FALSE(matchesGlob(u"{config.json,env-usw2/*}"_s, u"other.json"_s));
    EXPECT_TRUE(matchesGlob(u"file-[ab].yaml"_s, u"file-b.yaml"_s));
    EXPECT_FALSE(matchesGlob(u"file-[!ab].yaml"_s, u"file-b.yaml"_s));
}

TEST_F(PlainRendererTest, KustomizationFilesAreSkippedWithAWarning) {
    ASSERT_TRUE(test::writeFile(root(), u"kustomization.yaml"_s, "resources:\n- a.yaml\n"));
    ASSERT_TRUE(test::writeFile(root(), u"a.yaml"_s, ConfigMapA));
    const Result<RenderResult> result = renderManifests(test::requestFor(root(), Plain));
    ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
    EXPECT_EQ(names(*result), QStringList{u"a"_s});
    ASSERT_EQ(result->warnings.size(), 1);
    EXPECT_TRUE(result->warnings.first().contains("kustomization.yaml"_L1));
    EXPECT_TRUE(result->warnings.first().contains("kustomize renderer"_L1));
}

TEST_F(PlainRendererTest, MalformedYamlNamesFileAndLine) {
    ASSERT_TRUE(test::writeFile(root(), u"good.yaml"_s, ConfigMapA));
    ASSERT_TRUE(test::writeFile(root(), u"broken.yaml"_s,
                                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [unclosed\n"
                                "data:\n  password: hunter2\n"));
    const Result<RenderResult> result = renderManifests(test::requestFor(root(), Plain, u"shop"_s));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::Invalid);
    const QString message = result.error().message;
    EXPECT_TRUE(message.contains("broken.yaml:"_L1)) << message.toStdString();
    EXPECT_TRUE(message.contains("shop"_L1)) << message.toStdString();
    EXPECT_FALSE(result.error().toString().contains("hunter2"_L1)) << "file contents must not be echoed";
}

TEST_F(PlainRendererTest, DocumentsThatAreNotObjectsAreErrorsWithLocation) {
    ASSERT_TRUE(test::writeFile(root(), u"values.yaml"_s, "replicas: 3\nimage: nginx\n"));
    const Result<RenderResult> result = renderManifests(test::requestFor(root(), Plain));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.error().message.contains("values.yaml:1"_L1)) << result.error().message.toStdString();
    EXPECT_TRUE(result.error().message.contains("has no apiVersion"_L1));
    EXPECT_TRUE(result.error().message.contains("exclude"_L1)) << "the fix is named";
}

TEST_F(PlainRendererTest, SymlinkEscapingTheRootIsRefused) {
    QTemporaryDir outside;
    ASSERT_TRUE(test::writeFile(outside.path(), u"secret.yaml"_s, ConfigMapB));
    ASSERT_TRUE(test::writeFile(root(), u"a.yaml"_s, ConfigMapA));
    ASSERT_TRUE(
        QFile::link(QDir(outside.path()).filePath(u"secret.yaml"_s), QDir(root()).filePath(u"link.yaml"_s)));

    const Result<RenderResult> result = renderManifests(test::requestFor(root(), Plain));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::Invalid);
    EXPECT_TRUE(result.error().message.contains("link.yaml"_L1));
    EXPECT_TRUE(result.error().message.contains("outside the application directory"_L1));
}

TEST_F(PlainRendererTest, SymlinkedDirectoryEscapingTheRootIsRefusedWhenRecursing) {
    QTemporaryDir outside;
    ASSERT_TRUE(test::writeFile(outside.path(), u"x.yaml"_s, ConfigMapB));
    ASSERT_TRUE(QFile::link(outside.path(), QDir(root()).filePath(u"escape"_s)));
    RenderRequest request = test::requestFor(root(), Plain);
    request.spec.recurse = true;
    const Result<RenderResult> result = renderManifests(request);
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.error().message.contains("escape"_L1));
}

TEST_F(PlainRendererTest, SymlinkInsideTheRootIsRead) {
    ASSERT_TRUE(test::writeFile(root(), u"real/a.yaml"_s, ConfigMapA));
    ASSERT_TRUE(QFile::link(QDir(root()).filePath(u"real/a.yaml"_s), QDir(root()).filePath(u"alias.yaml"_s)));
    const Result<RenderResult> result = renderManifests(test::requestFor(root(), Plain));
    ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
    EXPECT_EQ(names(*result), QStringList{u"a"_s});
}

TEST_F(PlainRendererTest, FileOverTheSizeLimitIsRefusedBeforeReading) {
    QFile big(QDir(root()).filePath(u"big.yaml"_s));
    ASSERT_TRUE(big.open(QIODevice::WriteOnly));
    ASSERT_TRUE(big.resize(50LL * 1024 * 1024)); // sparse: cheap to create, 50 MiB to read
    big.close();
    const Result<RenderResult> result = renderManifests(test::requestFor(root(), Plain));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::TooLarge);
    EXPECT_TRUE(result.error().message.contains("big.yaml"_L1));
    EXPECT_TRUE(result.error().message.contains("10.0 MiB limit"_L1)) << result.error().message.toStdString();
}

TEST_F(PlainRendererTest, FileCountLimitIsNamed) {
    for (int i = 0; i < 6; ++i) {
        ASSERT_TRUE(test::writeFile(root(), u"cm-%1.yaml"_s.arg(i),
                                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-" +
                                        QByteArray::number(i) + "\n"));
    }
    RenderRequest request = test::requestFor(root(), Plain);
    request.limits.maxFileCount = 5;
    const Result<RenderResult> result = renderManifests(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::TooLarge);
    EXPECT_TRUE(result.error().message.contains("more than 5 manifest files"_L1));
    request.limits.maxFileCount = 6;
    EXPECT_TRUE(renderManifests(request).ok());
}

// File names and app names are the repository's and the workspace's text: "%1" stays as written.
TEST_F(PlainRendererTest, PercentSignsInNamesAreNotSubstituted) {
    ASSERT_TRUE(test::writeFile(root(), u"big%1.yaml"_s, QByteArray(3 * 1024 * 1024, '#')));
    RenderRequest request = test::requestFor(root(), Plain, u"web%2"_s);
    request.limits.maxFileBytes = 2 * 1024 * 1024;
    const Result<RenderResult> tooBig = renderManifests(request);
    ASSERT_FALSE(tooBig.ok());
    EXPECT_TRUE(tooBig.error().message.startsWith(
        "big%1.yaml: 3.0 MiB is larger than the 2.0 MiB limit per manifest file of app 'web%2'"_L1))
        << tooBig.error().message.toStdString();
    request.limits.maxFileCount = 0;
    const Result<RenderResult> tooMany = renderManifests(request);
    ASSERT_FALSE(tooMany.ok());
    EXPECT_TRUE(tooMany.error().message.startsWith("app 'web%2'"_L1))
        << tooMany.error().message.toStdString();
    EXPECT_TRUE(tooMany.error().message.contains("more than 0 manifest files"_L1))
        << tooMany.error().message.toStdString();
}

TEST_F(PlainRendererTest, MissingDirectoryIsNotFound) {
    const Result<RenderResult> result =
        renderManifests(test::requestFor(QDir(root()).filePath(u"nope"_s), Plain, u"gone"_s));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::NotFound);
    EXPECT_TRUE(result.error().message.contains("gone"_L1));
}

TEST_F(PlainRendererTest, DuplicateObjectsAreWarnedAbout) {
    ASSERT_TRUE(test::writeFile(root(), u"one.yaml"_s, ConfigMapA));
    ASSERT_TRUE(test::writeFile(root(), u"two.yaml"_s, ConfigMapA));
    const Result<RenderResult> result = renderManifests(test::requestFor(root(), Plain));
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result->warnings.size(), 1);
    EXPECT_TRUE(result->warnings.first().contains("one.yaml:1"_L1)) << result->warnings.first().toStdString();
    EXPECT_TRUE(result->warnings.first().contains("two.yaml:1"_L1));
}

TEST_F(PlainRendererTest, AutoPicksTheRendererFromTheDirectory) {
    EXPECT_EQ(resolveType(RendererSpec::Type::Auto, root()), RendererSpec::Type::Plain);
    ASSERT_TRUE(test::writeFile(root(), u"kustomization.yaml"_s, "resources: []\n"));
    EXPECT_EQ(resolveType(RendererSpec::Type::Auto, root()), RendererSpec::Type::Kustomize);
    ASSERT_TRUE(test::writeFile(root(), u"Chart.yaml"_s, "name: x\n"));
    EXPECT_EQ(resolveType(RendererSpec::Type::Auto, root()), RendererSpec::Type::Helm);
    EXPECT_EQ(resolveType(RendererSpec::Type::Plain, root()), RendererSpec::Type::Plain);
}

TEST_F(PlainRendererTest, CancellationStopsRendering) {
    ASSERT_TRUE(test::writeFile(root(), u"a.yaml"_s, ConfigMapA));
    std::atomic_bool cancelled{true};
    RenderRequest request = test::requestFor(root(), Plain);
    request.cancelled = &cancelled;
    const Result<RenderResult> result = renderManifests(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::Cancelled);
}
