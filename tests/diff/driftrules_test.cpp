// Data-driven diff rules: one case a file under tests/data/diff/rules (see its README.md).
#include "diff/drift.h"
#include "testsupport.h"
#include "yaml/yamlcodec.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::diff;

namespace {

QStringList caseFiles() {
    const QDir dir(test::testDataPath(QStringLiteral("diff/rules")));
    QStringList files = dir.entryList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Name);
    for (QString& f : files)
        f = dir.filePath(f);
    return files;
}

QList<IgnoreRule> ignoreRules(const QJsonArray& rules) {
    QList<IgnoreRule> out;
    for (const QJsonValue& v : rules) {
        const QJsonObject o = v.toObject();
        IgnoreRule rule;
        rule.group = o.value(QLatin1String("group")).toString();
        rule.kind = o.value(QLatin1String("kind")).toString();
        rule.name = o.value(QLatin1String("name")).toString();
        rule.ns = o.value(QLatin1String("namespace")).toString();
        for (const QJsonValue& p : o.value(QLatin1String("jsonPointers")).toArray())
            rule.jsonPointers.append(p.toString());
        for (const QJsonValue& m : o.value(QLatin1String("managedFieldsManagers")).toArray())
            rule.managedFieldsManagers.append(m.toString());
        out.append(rule);
    }
    return out;
}

kubeobj::Object objectOf(const QJsonValue& v) {
    return v.isObject() ? kubeobj::Object::fromTrustedJson(v.toObject()) : kubeobj::Object();
}

QString describe(const QList<FieldChange>& changes) {
    QStringList out;
    for (const FieldChange& c : changes)
        out.append(changeTypeName(c.type) + QLatin1Char(' ') + c.pointer);
    return out.join(QStringLiteral(", "));
}

class DiffRule : public ::testing::TestWithParam<QString> {};

TEST_P(DiffRule, SaysWhatTheCaseExpects) {
    const QByteArray text = test::readFile(GetParam());
    const auto doc = yaml::parseDocument(text, GetParam());
    ASSERT_TRUE(doc.ok()) << doc.error().toString().toStdString();
    const QJsonObject c = doc->toObject();

    DiffOptions options;
    if (c.contains(QLatin1String("managers"))) {
        options.managers.clear();
        for (const QJsonValue& m : c.value(QLatin1String("managers")).toArray())
            options.managers.append(m.toString());
    }
    options.ignore = ignoreRules(c.value(QLatin1String("ignore")).toArray());

    const ObjectDiff result = compareObjects(objectOf(c.value(QLatin1String("desired"))),
                                             objectOf(c.value(QLatin1String("live"))), options);

    const QJsonObject expect = c.value(QLatin1String("expect")).toObject();
    EXPECT_EQ(stateName(result.state), expect.value(QLatin1String("state")).toString())
        << "changes: " << describe(result.changes).toStdString();

    QStringList want;
    for (const QJsonValue& v : expect.value(QLatin1String("changes")).toArray())
        want.append(v.toObject().value(QLatin1String("type")).toString() + QLatin1Char(' ') +
                    v.toObject().value(QLatin1String("pointer")).toString());
    QStringList got;
    for (const FieldChange& ch : result.changes)
        got.append(changeTypeName(ch.type) + QLatin1Char(' ') + ch.pointer);
    want.sort();
    got.sort();
    EXPECT_EQ(got, want);

    // Nothing of a masked value may be visible anywhere in the result.
    QByteArray everything =
        QJsonDocument(result.desired.json()).toJson() + QJsonDocument(result.live.json()).toJson();
    for (const FieldChange& ch : result.changes)
        everything += QJsonDocument(QJsonArray{ch.desired, ch.live}).toJson();
    for (const QJsonValue& secret : expect.value(QLatin1String("absent")).toArray())
        EXPECT_FALSE(everything.contains(secret.toString().toUtf8()))
            << secret.toString().toStdString() << " is visible in the result";
}

INSTANTIATE_TEST_SUITE_P(Cases, DiffRule, ::testing::ValuesIn(caseFiles()),
                         [](const ::testing::TestParamInfo<QString>& info) {
                             QString name = QFileInfo(info.param).baseName();
                             name.replace(QLatin1Char('-'), QLatin1Char('_'));
                             return name.toStdString();
                         });

TEST(DiffRules, EveryCaseFileIsFound) {
    // A renamed folder must not turn the suite into zero cases that pass.
    EXPECT_GE(caseFiles().size(), 20);
}

} // namespace

// A null annotation is no annotation: the side-by-side text of a Synced object shows no change.
TEST(DiffDisplay, ANullAnnotationLeavesNoEmptyAnnotationsBehind) {
    using namespace Qt::StringLiterals;
    const QJsonObject desired{
        {u"apiVersion"_s, u"v1"_s},
        {u"kind"_s, u"ConfigMap"_s},
        {u"metadata"_s, QJsonObject{{u"name"_s, u"settings"_s},
                                    {u"namespace"_s, u"default"_s},
                                    {u"annotations"_s, QJsonObject{{u"checksum"_s, QJsonValue::Null}}}}},
        {u"data"_s, QJsonObject{{u"k"_s, u"v"_s}, {u"gone"_s, QJsonValue::Null}}}};
    QJsonObject live = desired;
    live[u"metadata"_s] =
        QJsonObject{{u"name"_s, u"settings"_s},
                    {u"namespace"_s, u"default"_s},
                    {u"resourceVersion"_s, u"7"_s},
                    {u"annotations"_s,
                     QJsonObject{{u"driftdeck.io/tracking-id"_s, u"shop:/ConfigMap:default/settings"_s}}}};
    live[u"data"_s] = QJsonObject{{u"k"_s, u"v"_s}};
    const ObjectDiff diff =
        compareObjects(kubeobj::Object::fromTrustedJson(desired), kubeobj::Object::fromTrustedJson(live));
    EXPECT_EQ(diff.state, ObjectDiff::State::Synced);
    EXPECT_EQ(diff.desired.json(), diff.live.json());
    EXPECT_FALSE(diff.desired.json()[u"metadata"_s].toObject().contains(u"annotations"_s));
    const ObjectDiff missing = compareObjects(kubeobj::Object::fromTrustedJson(desired), {});
    EXPECT_FALSE(missing.desired.json()[u"metadata"_s].toObject().contains(u"annotations"_s));
    EXPECT_FALSE(missing.desired.json()[u"data"_s].toObject().contains(u"gone"_s));
}
