#include "diff/drift.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace Qt::StringLiterals;

namespace {

QJsonObject deployment(int replicas, const QString& defaultedField) {
    return QJsonObject{{u"apiVersion"_s, u"example.com/v1"_s},
                       {u"kind"_s, u"Widget"_s},
                       {u"metadata"_s, QJsonObject{{u"name"_s, u"w"_s},
                                                   {u"namespace"_s, u"shop"_s},
                                                   {u"resourceVersion"_s, u"7"_s},
                                                   {u"managedFields"_s, QJsonArray{}}}},
                       {u"spec"_s, QJsonObject{{u"replicas"_s, replicas}, {u"mode"_s, defaultedField}}},
                       {u"status"_s, QJsonObject{{u"ready"_s, true}}}};
}

kubeobj::Object object(const QJsonObject& json) {
    return kubeobj::Object::fromTrustedJson(json);
}

TEST(ServerSideDiff, TheDryRunAnswerIsWhatASyncLeaves) {
    // A custom resource whose webhook defaults spec.mode: no client could predict it, the dry run knows.
    const auto same =
        diff::compareServerSide(object(deployment(2, u"fast"_s)), object(deployment(2, u"fast"_s)));
    EXPECT_EQ(same.state, diff::ObjectDiff::State::Synced);

    const auto scaled =
        diff::compareServerSide(object(deployment(2, u"fast"_s)), object(deployment(5, u"fast"_s)));
    ASSERT_EQ(scaled.state, diff::ObjectDiff::State::OutOfSync);
    ASSERT_EQ(scaled.changes.size(), 1);
    EXPECT_EQ(scaled.changes.first().pointer, u"/spec/replicas"_s);
    EXPECT_EQ(scaled.changes.first().desired, QJsonValue(2));
    EXPECT_EQ(scaled.changes.first().live, QJsonValue(5));

    EXPECT_EQ(diff::compareServerSide(object(deployment(2, u"fast"_s)), {}).state,
              diff::ObjectDiff::State::Missing);
}

TEST(ServerSideDiff, IgnoreRulesApplyToo) {
    diff::DiffOptions options;
    options.ignore.append(diff::IgnoreRule{u"example.com"_s, u"Widget"_s, {}, {}, {u"/spec/mode"_s}, {}});
    const auto result =
        diff::compareServerSide(object(deployment(2, u"fast"_s)), object(deployment(2, u"slow"_s)), options);
    EXPECT_EQ(result.state, diff::ObjectDiff::State::Synced);
}

} // namespace
