// Locating keys in block-style YAML, which is how workspace warnings get their line numbers.
#include "workspace/linefinder.h"

#include <gtest/gtest.h>

using namespace driftdeck::workspace;
using namespace Qt::StringLiterals;

namespace {

const QByteArray Text = R"(apiVersion: driftdeck.io/v1alpha1
clusters:
- name: a
  context: ctx-a
- name: "b"
  tags: [x]
applications:
  - name: web
    renderer:
      type: plain
  - name: api
    renderer:
      type: helm
)";

} // namespace

TEST(LineFinderTest, FindsKeysWithinARange) {
    const LineFinder lines(Text);
    EXPECT_EQ(lines.keyLine(u"apiVersion"_s), 1);
    EXPECT_EQ(lines.keyLine(u"context"_s), 4);
    EXPECT_EQ(lines.keyLine(u"type"_s, 11), 13);
    EXPECT_EQ(lines.keyLine(u"type"_s, 1, 9), 0);
    EXPECT_EQ(lines.keyLine(u"missing"_s), 0);
}

TEST(LineFinderTest, FindsEntriesOfTopLevelListsAndTheirEnd) {
    const LineFinder lines(Text);
    EXPECT_EQ(lines.entryLine(u"clusters"_s, u"a"_s), 3);
    EXPECT_EQ(lines.entryEnd(3), 4);
    EXPECT_EQ(lines.entryLine(u"clusters"_s, u"b"_s), 5);
    EXPECT_EQ(lines.entryEnd(5), 6);
    EXPECT_EQ(lines.entryLine(u"applications"_s, u"web"_s), 8);
    EXPECT_EQ(lines.entryEnd(8), 10);
    EXPECT_EQ(lines.entryLine(u"applications"_s, u"api"_s), 11);
    EXPECT_EQ(lines.entryLine(u"clusters"_s, u"web"_s), 0) << "search stays inside the named list";
    EXPECT_EQ(lines.valueLine(u"name"_s, u"api"_s), 11);
    EXPECT_EQ(lines.valueLine(u"name"_s, u"b"_s), 5);
}
