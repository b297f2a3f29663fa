// The mapping on its own, with hand-made blame: one commit per line, so every answer says
// exactly which source lines it looked at.

#include "provenance/desiredprovenance.h"
#include "yaml/yamlcodec.h"

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::provenance;
using namespace Qt::StringLiterals;

namespace {

// Line n is blamed on commit "cN" written on day n of 2024, so a later line is a newer commit.
QList<git::BlameLine> blamePerLine(const QByteArray& text, const QList<int>& depthLimited = {}) {
    QList<git::BlameLine> out;
    const qsizetype count = text.count('\n') + (text.endsWith('\n') ? 0 : 1);
    for (int line = 1; line <= count; ++line) {
        git::BlameLine entry;
        entry.line = line;
        entry.commitId = u"c"_s + QString::number(line).rightJustified(2, u'0') + QString(38, u'0');
        entry.authorName = u"Author "_s + QString::number(line);
        entry.authorTime = QDateTime(QDate(2024, 1, 1).addDays(line), QTime(12, 0), Qt::UTC);
        entry.summary = u"Commit "_s + QString::number(line);
        entry.depthLimited = depthLimited.contains(line);
        out << entry;
    }
    return out;
}

QString commitOfLine(int line) {
    return u"c"_s + QString::number(line).rightJustified(2, u'0') + QString(38, u'0');
}

kubeobj::Object objectOf(const QByteArray& text, int documentIndex = 0, int item = -1) {
    Result<QList<yaml::Document>> documents = yaml::parseStream(text);
    EXPECT_TRUE(documents.ok());
    QJsonObject json = documents->at(documentIndex).value.toObject();
    if (item >= 0)
        json = json.value("items"_L1).toArray().at(item).toObject();
    return kubeobj::Object::fromTrustedJson(json);
}

TEST(ProvenanceMapping, AValueSpansItsLinesButNotTheCommentsLeadingToTheNext) {
    const QByteArray text = "apiVersion: v1\n"       // 1
                            "kind: ConfigMap\n"      // 2
                            "metadata:\n"            // 3
                            "  name: conf\n"         // 4
                            "data:\n"                // 5
                            "  folded: first\n"      // 6
                            "    second\n"           // 7
                            "\n"                     // 8
                            "  # about the script\n" // 9
                            "  script: |\n"          // 10
                            "    # not a comment\n"  // 11
                            "  other: x\n";          // 12
    const manifest::DesiredObject::Source source{u"conf.yaml"_s, 0, 1};
    Result<DesiredProvenance> built =
        DesiredProvenance::build(objectOf(text), source, text, blamePerLine(text));
    ASSERT_TRUE(built.ok()) << built.error().message.toStdString();
    // A plain scalar continued on line 7: the newest of lines 6-7; the blank line and the comment
    // before `script` belong to what follows.
    EXPECT_EQ(built->ofPointer(u"/data/folded"_s).commitId, commitOfLine(7));
    EXPECT_EQ(built->ofPointer(u"/data/folded"_s).sourceLine, 6);
    // A block scalar's content line starting with '#' is content, deeper than its key.
    EXPECT_EQ(built->ofPointer(u"/data/script"_s).commitId, commitOfLine(11));
    EXPECT_EQ(built->ofPointer(u"/data/other"_s).commitId, commitOfLine(12));
    // A map is its key's line.
    EXPECT_EQ(built->ofPointer(u"/data"_s).commitId, commitOfLine(5));
    EXPECT_EQ(built->ofPointer(u""_s).sourceLine, 1);
    // The object's newest line is its last one.
    EXPECT_EQ(built->perObject().commitId, commitOfLine(12));
}

TEST(ProvenanceMapping, AnItemOfAListDocumentIsFoundByKindAndName) {
    const QByteArray text = "apiVersion: v1\n"    // 1
                            "kind: List\n"        // 2
                            "items:\n"            // 3
                            "- apiVersion: v1\n"  // 4
                            "  kind: ConfigMap\n" // 5
                            "  metadata:\n"       // 6
                            "    name: a\n"       // 7
                            "  data:\n"           // 8
                            "    x: '1'\n"        // 9
                            "- apiVersion: v1\n"  // 10
                            "  kind: ConfigMap\n" // 11
                            "  metadata:\n"       // 12
                            "    name: b\n"       // 13
                            "  data:\n"           // 14
                            "    x: '2'\n"        // 15
                            "- apiVersion: v1\n"  // 16
                            "  kind: Secret\n"    // 17
                            "  metadata:\n"       // 18
                            "    name: c\n";      // 19
    const manifest::DesiredObject::Source source{u"list.yaml"_s, 0, 1};
    const kubeobj::Object second = objectOf(text, 0, 1);
    Result<DesiredProvenance> built = DesiredProvenance::build(second, source, text, blamePerLine(text));
    ASSERT_TRUE(built.ok()) << built.error().message.toStdString();
    EXPECT_EQ(built->ofPointer(u"/data/x"_s).commitId, commitOfLine(15));
    EXPECT_EQ(built->ofPointer(u"/metadata/name"_s).commitId, commitOfLine(13));
    EXPECT_EQ(built->ofPointer(u"/kind"_s).commitId, commitOfLine(11));
    // Per object: the newest line of this item (15), not of the Secret after it (19).
    EXPECT_EQ(built->perObject().commitId, commitOfLine(15));
    const QList<LineProvenance> lines = built->lines();
    ASSERT_EQ(lines.size(), second.yamlLines().size());
    for (const LineProvenance& line : lines) {
        EXPECT_TRUE(line.exact);
        EXPECT_GE(line.sourceLine, 10);
        EXPECT_LE(line.sourceLine, 15);
    }

    kubeobj::Object absent =
        kubeobj::Object::fromTrustedJson(QJsonObject{{"apiVersion"_L1, "v1"_L1},
                                                     {"kind"_L1, "ConfigMap"_L1},
                                                     {"metadata"_L1, QJsonObject{{"name"_L1, "zzz"_L1}}}});
    Result<DesiredProvenance> missing = DesiredProvenance::build(absent, source, text, blamePerLine(text));
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(missing.error().message.contains(u"ConfigMap/zzz"_s))
        << missing.error().message.toStdString();
}

TEST(ProvenanceMapping, LinesBeyondBlamesDepthLimitAreNotExact) {
    const QByteArray text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\ndata:\n  k: v\n";
    const manifest::DesiredObject::Source source{u"old.yaml"_s, 0, 1};
    Result<DesiredProvenance> built =
        DesiredProvenance::build(objectOf(text), source, text, blamePerLine(text, {4}));
    ASSERT_TRUE(built.ok()) << built.error().message.toStdString();
    const LineProvenance name = built->ofPointer(u"/metadata/name"_s);
    EXPECT_EQ(name.commitId, commitOfLine(4));
    EXPECT_FALSE(name.exact); // the line is at least that old: blame stopped there
    EXPECT_EQ(name.sourceLine, 4);
    EXPECT_TRUE(built->ofPointer(u"/data/k"_s).exact);
}

TEST(ProvenanceMapping, HostileAndEmptyInputsGiveErrorsOrNullAnswers) {
    const kubeobj::Object object =
        kubeobj::Object::fromTrustedJson(QJsonObject{{"apiVersion"_L1, "v1"_L1},
                                                     {"kind"_L1, "ConfigMap"_L1},
                                                     {"metadata"_L1, QJsonObject{{"name"_L1, "x"_L1}}}});
    // An empty file (tool output with nothing left): nothing to name, but no crash and no error.
    Result<DesiredProvenance> empty =
        DesiredProvenance::build(object, manifest::DesiredObject::Source{u"f.yaml"_s, 0, 0}, {}, {});
    ASSERT_TRUE(empty.ok());
    EXPECT_TRUE(empty->perObject().isNull());
    EXPECT_EQ(empty->perObject().toText(), QString());
    ASSERT_EQ(empty->lines().size(), object.yamlLines().size());
    EXPECT_TRUE(empty->lines().at(0).isNull());

    // A file over the YAML reader's stream limit is refused by the reader, named.
    const QByteArray huge = "a: '" + QByteArray(33 * 1024 * 1024, 'x') + "'\n";
    Result<DesiredProvenance> tooBig = DesiredProvenance::build(
        object, manifest::DesiredObject::Source{u"huge.yaml"_s, 0, 1}, huge, blamePerLine(huge));
    ASSERT_FALSE(tooBig.ok());
    EXPECT_TRUE(tooBig.error().message.contains(u"huge.yaml"_s)) << tooBig.error().message.toStdString();

    // A default-constructed provenance answers null, never crashes.
    const DesiredProvenance none;
    EXPECT_TRUE(none.ofPointer(u"/a"_s).isNull());
    EXPECT_TRUE(none.lines().size() <= 1);
}

} // namespace
