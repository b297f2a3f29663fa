#include "diffview/yamltokens.h"

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace Qt::StringLiterals;
using ui::YamlTokenKind;

namespace {

// "kind:text" for each token, so a failure shows what was coloured how.
QStringList tokens(const QString& line, bool insideBlockScalar = false) {
    QStringList out;
    for (const ui::YamlToken& token : ui::yamlTokens(line, insideBlockScalar)) {
        QString kind;
        switch (token.kind) {
        case YamlTokenKind::Key:
            kind = u"key"_s;
            break;
        case YamlTokenKind::Punctuation:
            kind = u"punct"_s;
            break;
        case YamlTokenKind::Dash:
            kind = u"dash"_s;
            break;
        case YamlTokenKind::String:
            kind = u"string"_s;
            break;
        case YamlTokenKind::Number:
            kind = u"number"_s;
            break;
        case YamlTokenKind::Constant:
            kind = u"constant"_s;
            break;
        case YamlTokenKind::Comment:
            kind = u"comment"_s;
            break;
        }
        out.append(kind + u':' + line.mid(token.start, token.length));
    }
    return out;
}

TEST(YamlTokens, KeysDashesAndScalars) {
    EXPECT_EQ(tokens(u"  - name: web"_s), QStringList({u"dash:-"_s, u"key:name"_s, u"punct::"_s}));
    EXPECT_EQ(tokens(u"  replicas: 3"_s), QStringList({u"key:replicas"_s, u"punct::"_s, u"number:3"_s}));
    EXPECT_EQ(tokens(u"cpu: 0.5e3"_s), QStringList({u"key:cpu"_s, u"punct::"_s, u"number:0.5e3"_s}));
    EXPECT_EQ(tokens(u"enabled: yes"_s), QStringList({u"key:enabled"_s, u"punct::"_s, u"constant:yes"_s}));
    EXPECT_EQ(tokens(u"x: NULL"_s), QStringList({u"key:x"_s, u"punct::"_s, u"constant:NULL"_s}));
    EXPECT_EQ(tokens(u"x: tRUE"_s), QStringList({u"key:x"_s, u"punct::"_s})) << "not a YAML 1.1 spelling";
    EXPECT_EQ(tokens(u"image: nginx:1.27"_s), QStringList({u"key:image"_s, u"punct::"_s}))
        << "a colon inside a plain scalar ends no key";
    EXPECT_EQ(tokens(u"- --port=80"_s), QStringList({u"dash:-"_s}));
    EXPECT_EQ(tokens(u"- - 1"_s), QStringList({u"dash:-"_s, u"dash:-"_s, u"number:1"_s}));
    EXPECT_EQ(tokens(u"spec:"_s), QStringList({u"key:spec"_s, u"punct::"_s}));
}

TEST(YamlTokens, QuotedStringsAndComments) {
    EXPECT_EQ(tokens(u"msg: \"a: b # c\" # note"_s),
              QStringList({u"key:msg"_s, u"punct::"_s, u"string:\"a: b # c\""_s, u"comment:# note"_s}));
    EXPECT_EQ(tokens(u"'it''s': 'x'"_s), QStringList({u"key:'it''s'"_s, u"punct::"_s, u"string:'x'"_s}));
    EXPECT_EQ(tokens(u"# a comment: here"_s), QStringList({u"comment:# a comment: here"_s}));
    EXPECT_EQ(tokens(u"url: http://x#y"_s), QStringList({u"key:url"_s, u"punct::"_s}))
        << "# without a space before it is text";
    EXPECT_EQ(tokens(u"port: 80 # http"_s),
              QStringList({u"key:port"_s, u"punct::"_s, u"number:80"_s, u"comment:# http"_s}));
}

TEST(YamlTokens, BlockScalarsAndFlowCollections) {
    EXPECT_EQ(tokens(u"  script: |-"_s), QStringList({u"key:script"_s, u"punct::"_s, u"punct:|-"_s}));
    EXPECT_EQ(tokens(u"    echo key: value"_s, true), QStringList({u"string:echo key: value"_s}));
    EXPECT_EQ(tokens(u"args: [--port, '1', 2]"_s),
              QStringList({u"key:args"_s, u"punct::"_s, u"punct:["_s, u"punct:,"_s, u"string:'1'"_s,
                           u"punct:,"_s, u"number:2"_s, u"punct:]"_s}));
    EXPECT_EQ(tokens(u"---"_s), QStringList({u"punct:---"_s}));
}

TEST(YamlTokens, HostileLinesNeverBreakTheTokenizer) {
    const QStringList hostile = {u"\"unterminated: x"_s,
                                 u"'"_s,
                                 u"\"\\"_s,
                                 u":"_s,
                                 u"- "_s,
                                 u"-"_s,
                                 u"[[[{{"_s,
                                 u"a: \"b"_s,
                                 u"  #"_s,
                                 u"key:  "_s,
                                 QString(10000, u'x') + u": y"_s};
    for (const QString& line : hostile) {
        int end = 0;
        for (const ui::YamlToken& token : ui::yamlTokens(line)) {
            EXPECT_GE(token.start, end) << line.left(40).toStdString();
            EXPECT_GT(token.length, 0);
            EXPECT_LE(token.start + token.length, line.size());
            end = token.start + token.length;
        }
    }
    EXPECT_TRUE(ui::yamlTokens(QString(QString(10000, u'x') + u": y"_s)).isEmpty())
        << "the key ends past the colour limit";
}

TEST(YamlTokens, Numbers) {
    for (const QString& number :
         {u"0"_s, u"-12"_s, u"+3.5"_s, u".5"_s, u"1e9"_s, u"0x1F"_s, u"0o17"_s, u".inf"_s})
        EXPECT_TRUE(ui::isYamlNumber(number)) << number.toStdString();
    for (const QString& text : {u""_s, u"-"_s, u"1e"_s, u"0xZ"_s, u"1.2.3"_s, u"12a"_s, u"."_s})
        EXPECT_FALSE(ui::isYamlNumber(text)) << text.toStdString();
}

} // namespace
