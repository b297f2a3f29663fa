// Rendering an application as Git has it at a revision: overlays see their base at that commit, and
// the cache key covers every input that was read.
#include "../git/gittestrepo.h"
#include "git/gitrepository.h"
#include "manifest/revisionrender.h"
#include "testsupport.h"

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::manifest;
using namespace Qt::StringLiterals;

namespace {

QByteArray configMap(const QByteArray& name, const QByteArray& value) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  value: \"" + value +
           "\"\n";
}

QString valueOf(const RenderResult& result, const QString& name) {
    for (const DesiredObject& o : result.objects)
        if (o.key.name == name)
            return o.object.value(u"data"_s).toObject().value(u"value"_s).toString();
    return u"<no object "_s + name + u'>';
}

class RevisionRenderTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::isolateGitEnvironment();
        ASSERT_TRUE(repo.valid());
        ASSERT_FALSE(test::kubectlPath().isEmpty())
            << "kubectl renders Kustomize here when kustomize is absent";
        repo.write(u"base/kustomization.yaml"_s, "resources:\n- settings.yaml\n");
        repo.write(u"base/settings.yaml"_s, configMap("settings", "one"));
        repo.write(u"overlays/dev/kustomization.yaml"_s, "resources:\n- ../../base\nnamePrefix: dev-\n");
        repo.write(u"plain/cm.yaml"_s, configMap("plain", "p1"));
        first = repo.commitAll(u"first"_s);
        auto opened = git::GitRepository::open(repo.workPath());
        ASSERT_TRUE(opened.ok()) << opened.error().toString().toStdString();
        repository = std::make_unique<git::GitRepository>(std::move(*opened));
    }

    AppSpec app(const QString& name, const QString& path, RendererSpec::Type type) {
        AppSpec spec;
        spec.name = name;
        spec.path = path;
        spec.ns = u"dev"_s;
        spec.renderer.type = type;
        return spec;
    }

    test::GitTestRepo repo;
    QString first;
    std::unique_ptr<git::GitRepository> repository;
    RenderCache cache;
};

TEST_F(RevisionRenderTest, AChangeToTheBaseReRendersTheOverlay) {
    const AppSpec overlay = app(u"dev"_s, u"overlays/dev"_s, RendererSpec::Type::Auto);
    const auto before = renderAtRevision(*repository, first, overlay, cache);
    ASSERT_TRUE(before.ok()) << before.error().toString().toStdString();
    EXPECT_EQ(valueOf(before->result, u"dev-settings"_s), u"one"_s);

    // Only the base changes: the overlay's own tree is the same, its output is not.
    repo.write(u"base/settings.yaml"_s, configMap("settings", "two"));
    const QString second = repo.commitAll(u"second"_s);
    const auto after = renderAtRevision(*repository, second, overlay, cache);
    ASSERT_TRUE(after.ok()) << after.error().toString().toStdString();
    EXPECT_EQ(valueOf(after->result, u"dev-settings"_s), u"two"_s);
    EXPECT_EQ(after->commitId, second);
    EXPECT_EQ(cache.stats().misses, 2);

    // The first commit again: from the cache, with the first commit's content.
    const auto again = renderAtRevision(*repository, first, overlay, cache);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(valueOf(again->result, u"dev-settings"_s), u"one"_s);
    EXPECT_EQ(cache.stats().hits, 1);
    EXPECT_EQ(cache.stats().misses, 2);
}

TEST_F(RevisionRenderTest, PlainManifestsAreKeyedByTheirOwnTree) {
    const AppSpec plain = app(u"plain"_s, u"plain"_s, RendererSpec::Type::Plain);
    const auto before = renderAtRevision(*repository, first, plain, cache);
    ASSERT_TRUE(before.ok()) << before.error().toString().toStdString();
    EXPECT_EQ(valueOf(before->result, u"plain"_s), u"p1"_s);
    EXPECT_TRUE(before->cacheInput.startsWith("tree:"));

    repo.write(u"base/settings.yaml"_s, configMap("settings", "three"));
    const QString elsewhere = repo.commitAll(u"a commit outside the path"_s);
    const auto reused = renderAtRevision(*repository, elsewhere, plain, cache);
    ASSERT_TRUE(reused.ok());
    EXPECT_EQ(cache.stats().misses, 1) << "a commit elsewhere must not re-render plain manifests";

    repo.write(u"plain/cm.yaml"_s, configMap("plain", "p2"));
    const QString inside = repo.commitAll(u"a commit inside the path"_s);
    const auto changed = renderAtRevision(*repository, inside, plain, cache);
    ASSERT_TRUE(changed.ok());
    EXPECT_EQ(valueOf(changed->result, u"plain"_s), u"p2"_s);
    EXPECT_EQ(cache.stats().misses, 2);
}

TEST_F(RevisionRenderTest, AMissingPathOrRevisionNamesTheApplication) {
    const auto noPath =
        renderAtRevision(*repository, first, app(u"ghost"_s, u"nowhere"_s, RendererSpec::Type::Auto), cache);
    ASSERT_FALSE(noPath.ok());
    EXPECT_EQ(noPath.error().context.application, u"ghost"_s);
    const auto noRevision = renderAtRevision(*repository, u"no-such-branch"_s,
                                             app(u"ghost"_s, u"plain"_s, RendererSpec::Type::Auto), cache);
    ASSERT_FALSE(noRevision.ok());
    EXPECT_EQ(noRevision.error().code, Error::Code::NotFound);
}

} // namespace
