// Rendering the shared corpus of real repositories gives exactly what the files themselves give, or
// what `kubectl kustomize` gave when the golden files were made (tests/data/manifest/kustomize, made
// by regenerate-kustomize.sh there). The expected objects are not asked of kubectl at test time: the
// kustomize renderer itself runs `kubectl kustomize` when kustomize is absent, and would be compared
// with itself. The corpus is copied first: renderers may edit their working copy.
#include "manifest/renderer.h"
#include "manifesttestsupport.h"
#include "testsupport.h"
#include "yaml/yamlcodec.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::manifest;
using namespace Qt::StringLiterals;

namespace {

class CorpusTest : public ::testing::Test {
protected:
    // One copy for the suite: these renders do not edit their working copy (no kustomize settings).
    static void SetUpTestSuite() {
        const QDir corpus(test::sharedDir().filePath(u"corpus"_s));
        if (!corpus.exists())
            return;
        copy = new QTemporaryDir;
        // Whole projects, because overlays and bases refer to sibling directories.
        copied = copy->isValid() &&
                 test::copyTree(corpus.filePath(u"argocd-example-apps"_s),
                                copy->filePath(u"argocd-example-apps"_s)) &&
                 test::copyTree(corpus.filePath(u"podinfo"_s), copy->filePath(u"podinfo"_s));
    }
    static void TearDownTestSuite() {
        delete copy;
        copy = nullptr;
    }
    void SetUp() override {
        if (!copy)
            GTEST_SKIP() << "shared corpus not found under " << test::sharedDir().path().toStdString();
        ASSERT_TRUE(copied) << "copying the corpus failed";
    }
    static QString path(const QString& relative) { return copy->filePath(relative); }

    // Objects of a YAML stream, as kubectl or the files give them.
    static QHash<ResourceKey, QJsonObject> parseObjects(const QByteArray& stream) {
        QHash<ResourceKey, QJsonObject> objects;
        const Result<QList<yaml::Document>> documents = yaml::parseStream(stream);
        EXPECT_TRUE(documents.ok()) << documents.error().toString().toStdString();
        if (!documents)
            return objects;
        for (const yaml::Document& document : *documents) {
            const QJsonObject object = document.value.toObject();
            objects.insert(ResourceKey::fromObject(object), object);
        }
        return objects;
    }

    void expectKustomizeMatchesGolden(const QString& relative, int expectedCount) {
        const QString directory = path(relative);
        const QString golden =
            test::testDataPath(u"manifest/kustomize/"_s + QString(relative).replace(u'/', u'_') + u".yaml"_s);
        ASSERT_TRUE(QFile::exists(golden)) << golden.toStdString();
        const QHash<ResourceKey, QJsonObject> expected = parseObjects(test::readFile(golden));
        ASSERT_EQ(expected.size(), expectedCount) << "the golden file " << golden.toStdString();

        const Result<RenderResult> result =
            renderManifests(test::requestFor(directory, RendererSpec::Type::Kustomize, relative));
        ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
        EXPECT_TRUE(result->warnings.isEmpty()) << result->warnings.join(u'\n').toStdString();
        EXPECT_EQ(result->objects.size(), expectedCount);
        const QHash<ResourceKey, QJsonObject> actual = test::objectsByKey(result->objects);
        EXPECT_EQ(actual.size(), expected.size()) << "no object may be lost or duplicated";
        for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
            ASSERT_TRUE(actual.contains(it.key())) << it.key().toString().toStdString();
            EXPECT_EQ(actual.value(it.key()), it.value()) << it.key().toString().toStdString();
        }
        for (const DesiredObject& object : result->objects)
            EXPECT_EQ(object.source.file, u"kustomization.yaml"_s);
    }

    void expectPlainMatchesFiles(const QString& relative, const QStringList& files, int expectedCount) {
        QHash<ResourceKey, QJsonObject> expected;
        for (const QString& file : files)
            expected.insert(parseObjects(test::readFile(QDir(path(relative)).filePath(file))));
        const Result<RenderResult> result =
            renderManifests(test::requestFor(path(relative), RendererSpec::Type::Plain, relative));
        ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
        EXPECT_EQ(result->objects.size(), expectedCount);
        EXPECT_EQ(test::objectsByKey(result->objects), expected);
    }

    static inline QTemporaryDir* copy = nullptr;
    static inline bool copied = false;
};

} // namespace

TEST_F(CorpusTest, GuestbookPlain) {
    expectPlainMatchesFiles(u"argocd-example-apps/guestbook"_s,
                            {u"guestbook-ui-deployment.yaml"_s, u"guestbook-ui-svc.yaml"_s}, 2);
    const Result<RenderResult> result = renderManifests(
        test::requestFor(path(u"argocd-example-apps/guestbook"_s), RendererSpec::Type::Auto, u"guestbook"_s));
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result->objects.size(), 2);
    EXPECT_EQ(result->objects.at(0).key,
              (ResourceKey{u"apps"_s, u"Deployment"_s, QString(), u"guestbook-ui"_s}));
    EXPECT_EQ(result->objects.at(0).source.file, u"guestbook-ui-deployment.yaml"_s);
    EXPECT_EQ(result->objects.at(1).key,
              (ResourceKey{QString(), u"Service"_s, QString(), u"guestbook-ui"_s}));
}

TEST_F(CorpusTest, SyncWavesPlain) {
    expectPlainMatchesFiles(
        u"argocd-example-apps/sync-waves"_s, {u"manifests.yaml"_s},
        int(parseObjects(test::readFile(path(u"argocd-example-apps/sync-waves/manifests.yaml"_s))).size()));
}

TEST_F(CorpusTest, KustomizeGuestbook) {
    expectKustomizeMatchesGolden(u"argocd-example-apps/kustomize-guestbook"_s, 2);
}

TEST_F(CorpusTest, SockShop) {
    expectKustomizeMatchesGolden(u"argocd-example-apps/sock-shop"_s, 29);
}

TEST_F(CorpusTest, PrePostSync) {
    expectKustomizeMatchesGolden(u"argocd-example-apps/pre-post-sync"_s, 4);
}

TEST_F(CorpusTest, PodinfoOverlays) {
    for (const QString& overlay : {u"dev"_s, u"staging"_s, u"production"_s}) {
        SCOPED_TRACE(overlay.toStdString());
        expectKustomizeMatchesGolden(u"podinfo/deploy/overlays/"_s + overlay, 25);
    }
}

TEST_F(CorpusTest, PodinfoKustomize) {
    expectKustomizeMatchesGolden(u"podinfo/kustomize"_s, 3);
}

TEST_F(CorpusTest, AutoDetectsKustomizeForPodinfo) {
    const Result<RenderResult> result = renderManifests(
        test::requestFor(path(u"podinfo/kustomize"_s), RendererSpec::Type::Auto, u"podinfo"_s));
    ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
    EXPECT_EQ(result->objects.size(), 3);
}

TEST_F(CorpusTest, PlainRecursiveOverSockShopSkipsTheKustomizationAndFindsTheBase) {
    RenderRequest request =
        test::requestFor(path(u"argocd-example-apps/sock-shop"_s), RendererSpec::Type::Plain, u"sock-shop"_s);
    request.spec.recurse = true;
    const Result<RenderResult> result = renderManifests(request);
    ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
    EXPECT_EQ(result->objects.size(), 29);
    EXPECT_EQ(result->warnings.size(), 1); // kustomization.yaml skipped, said so
}
