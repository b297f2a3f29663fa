// The comparison job's memos: a resource whose desired object, live uid and resourceVersion are
// those of the last comparison is taken from it instead of compared again — and the result is the
// one a comparison from scratch gives, in every case.
#include "diff/pairing.h"
#include "engine/comparejob_p.h"

#include <QJsonObject>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace driftdeck::engine {
namespace {

QJsonObject configMap(const QString& name, const QString& value) {
    return QJsonObject{{u"apiVersion"_s, u"v1"_s},
                       {u"kind"_s, u"ConfigMap"_s},
                       {u"metadata"_s, QJsonObject{{u"name"_s, name}, {u"namespace"_s, u"default"_s}}},
                       {u"data"_s, QJsonObject{{u"key"_s, value}}}};
}

// The live object: `desired` as the server keeps it, tracked by "shop", at `version`.
kubeobj::Object live(QJsonObject json, const QString& version, const QString& uid) {
    QJsonObject meta = json[u"metadata"_s].toObject();
    meta[u"resourceVersion"_s] = version;
    meta[u"uid"_s] = uid;
    const ResourceKey key{QString(), json[u"kind"_s].toString(), u"default"_s, meta[u"name"_s].toString()};
    meta[u"annotations"_s] = QJsonObject{{u"driftdeck.io/tracking-id"_s, diff::trackingId(u"shop"_s, key)}};
    json[u"metadata"_s] = meta;
    return kubeobj::Object::fromTrustedJson(json);
}

class CompareMemoTest : public ::testing::Test {
protected:
    void SetUp() override {
        input.pairing.appName = u"shop"_s;
        for (const char* name : {"a", "b", "c"}) {
            input.desired.append(
                kubeobj::Object::fromTrustedJson(configMap(QString::fromLatin1(name), u"1"_s)));
            input.sources.append(
                {u"cm.yaml"_s, 1 + int(input.sources.size()) * 10, int(input.sources.size())});
            input.live.append(live(configMap(QString::fromLatin1(name), u"1"_s), u"100"_s,
                                   u"uid-"_s + QString::fromLatin1(name)));
        }
        // Tracked, no longer desired: an Extra resource.
        input.live.append(live(configMap(u"old"_s, u"1"_s), u"100"_s, u"uid-old"_s));
    }

    // `input` compared again with the memos and resources of `before`.
    CompareOutput again(const CompareOutput& before) const {
        CompareInput next = input;
        next.memos = before.memos;
        next.previous = before.resources;
        return compare(next);
    }

    // Every resource of `out` is what a comparison without memos gives.
    void expectAsFromScratch(const CompareOutput& out) const {
        const CompareOutput fresh = compare(input);
        ASSERT_EQ(out.resources.size(), fresh.resources.size());
        EXPECT_EQ(fresh.reused, 0);
        for (qsizetype i = 0; i < out.resources.size(); ++i) {
            const ResourceStatus& got = out.resources[i];
            const ResourceStatus& want = fresh.resources[i];
            SCOPED_TRACE(want.key.toString().toStdString());
            EXPECT_EQ(got.key, want.key);
            EXPECT_EQ(got.diff.state, want.diff.state);
            EXPECT_EQ(got.diff.changes, want.diff.changes);
            EXPECT_EQ(got.diff.desired, want.diff.desired);
            EXPECT_EQ(got.diff.live, want.diff.live);
            EXPECT_EQ(got.health, want.health);
            EXPECT_EQ(got.uid, want.uid);
            EXPECT_EQ(got.sourceFile, want.sourceFile);
            EXPECT_EQ(got.sourceLine, want.sourceLine);
            EXPECT_EQ(got.sourceDocument, want.sourceDocument);
            EXPECT_EQ(got.conditions, want.conditions);
            EXPECT_EQ(got.managedFields, want.managedFields);
        }
        EXPECT_EQ(out.sync, fresh.sync);
        EXPECT_EQ(out.health, fresh.health);
    }

    CompareInput input;
};

TEST_F(CompareMemoTest, NothingChangedReusesEveryResourceAndKeepsTheList) {
    const CompareOutput first = compare(input);
    EXPECT_EQ(first.reused, 0);
    EXPECT_FALSE(first.resourcesUnchanged) << "nothing was published before";
    ASSERT_EQ(first.resources.size(), 4);
    EXPECT_EQ(first.resources.last().diff.state, diff::ObjectDiff::State::Extra);

    const CompareOutput second = again(first);
    EXPECT_EQ(second.reused, 4);
    EXPECT_TRUE(second.resourcesUnchanged);
    expectAsFromScratch(second);
}

TEST_F(CompareMemoTest, ALiveEditComparesThatObjectOnly) {
    const CompareOutput first = compare(input);
    input.live[1] = live(configMap(u"b"_s, u"edited"_s), u"101"_s, u"uid-b"_s);

    const CompareOutput second = again(first);
    EXPECT_EQ(second.reused, 3);
    EXPECT_FALSE(second.resourcesUnchanged);
    EXPECT_EQ(second.resources[1].diff.state, diff::ObjectDiff::State::OutOfSync);
    EXPECT_EQ(second.sync, SyncStatus::OutOfSync);
    expectAsFromScratch(second);
}

TEST_F(CompareMemoTest, AnObjectRecreatedUnderTheSameVersionIsComparedAgain) {
    const CompareOutput first = compare(input);
    // Deleted and created again: another uid (a resourceVersion alone is not an identity).
    input.live[0] = live(configMap(u"a"_s, u"other"_s), u"100"_s, u"uid-a2"_s);
    const CompareOutput second = again(first);
    EXPECT_EQ(second.reused, 3);
    EXPECT_EQ(second.resources[0].diff.state, diff::ObjectDiff::State::OutOfSync);
    expectAsFromScratch(second);
}

TEST_F(CompareMemoTest, AnObjectReadAtAnotherVersionIsComparedAgain) {
    const CompareOutput first = compare(input);
    // The same object (uid, resourceVersion) as a cache restarted at another served version reads it.
    QJsonObject json = input.live[2].json();
    json[u"apiVersion"_s] = u"v2"_s;
    input.live[2] = kubeobj::Object::fromTrustedJson(json);
    const CompareOutput second = again(first);
    EXPECT_EQ(second.reused, 3);
    expectAsFromScratch(second);
}

TEST_F(CompareMemoTest, ANewCommitComparesTheObjectsItChanged) {
    const CompareOutput first = compare(input);
    input.desired[2] = kubeobj::Object::fromTrustedJson(configMap(u"c"_s, u"2"_s));
    const CompareOutput second = again(first);
    EXPECT_EQ(second.reused, 3);
    EXPECT_EQ(second.resources[2].diff.state, diff::ObjectDiff::State::OutOfSync);
    expectAsFromScratch(second);
}

TEST_F(CompareMemoTest, AnObjectThatGoesLiveOrAwayIsComparedAgain) {
    const CompareOutput first = compare(input);
    input.live.removeAt(0); // a: now Missing
    const CompareOutput second = again(first);
    EXPECT_EQ(second.resources[0].diff.state, diff::ObjectDiff::State::Missing);
    EXPECT_EQ(second.reused, 3);
    expectAsFromScratch(second);

    input.desired.removeAt(1); // b: now Extra (tracked, no longer desired)
    input.sources.removeAt(1);
    const CompareOutput third = again(second);
    EXPECT_FALSE(third.resourcesUnchanged);
    expectAsFromScratch(third);
}

TEST_F(CompareMemoTest, ReorderedDesiredObjectsChangeTheList) {
    const CompareOutput first = compare(input);
    input.desired.swapItemsAt(0, 1);
    input.sources.swapItemsAt(0, 1);
    const CompareOutput second = again(first);
    EXPECT_EQ(second.reused, 4);
    EXPECT_FALSE(second.resourcesUnchanged) << "the published list has the old order";
    expectAsFromScratch(second);
}

TEST_F(CompareMemoTest, AMovedSourceLineIsTakenFromTheNewRender) {
    const CompareOutput first = compare(input);
    input.sources[1].line = 99;
    const CompareOutput second = again(first);
    EXPECT_EQ(second.reused, 4);
    EXPECT_FALSE(second.resourcesUnchanged) << "the published list names the old line";
    EXPECT_EQ(second.resources[1].sourceLine, 99);
    expectAsFromScratch(second);
}

} // namespace
} // namespace driftdeck::engine
