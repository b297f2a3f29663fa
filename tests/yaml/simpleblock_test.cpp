#include "testsupport.h"
#include "yaml/documentbuilder_p.h"
#include "yaml/simpleblock_p.h"
#include "yamltestdata.h"

#include <QDirIterator>

#include <gtest/gtest.h>
#include <random>

using namespace driftdeck;
using namespace driftdeck::yaml;
using namespace driftdeck::yaml::testdata;

namespace {

bool isSimple(const char* text) {
    std::vector<detail::SimpleEvent> events;
    return detail::scanSimpleBlockDocument(text, &events);
}

// What reading gives: the value and first line, or the failure's text.
std::string outcome(const std::string& source, bool allowSimple) {
    try {
        const detail::DocumentValue read = detail::readDocument(source, ParseOptions{}, allowSimple);
        return compact(read.value).toStdString() + " @" + std::to_string(read.firstLine);
    } catch (const detail::ReadFailure& failure) {
        return "failure " + failure.reason.toStdString() + " @" + std::to_string(failure.mark.line) + ":" +
               std::to_string(failure.withColumn ? failure.mark.column : -1);
    } catch (...) {
        return "syntax error";
    }
}

// Documents cut at `---` lines, as the reader does.
std::vector<std::string> documentsOf(const QByteArray& text) {
    std::vector<std::string> out(1);
    for (const QByteArray& line : text.split('\n')) {
        if (line.startsWith("---")) {
            out.emplace_back();
            continue;
        }
        out.back() += line.toStdString() + "\n";
    }
    return out;
}

QStringList allYamlInputs() {
    QStringList files;
    for (const QString& root :
         {test::testDataPath(QStringLiteral("yaml")), test::sharedDir().filePath(QStringLiteral("corpus"))}) {
        QDirIterator it(root, {QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            files.append(it.next());
    }
    return files;
}

} // namespace

TEST(SimpleBlockScanner, TakesTheUsualManifestShapes) {
    EXPECT_TRUE(isSimple("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x # comment\n  labels:\n    a: 'b'\n"
                         "spec:\n  containers:\n  - name: c\n    args:\n    - --flag=1\n    - \"2\"\n"
                         "    env:\n      - name: E\n        value:\n  empty: ''\n"));
    EXPECT_TRUE(isSimple("- a\n- b: c\n  d: e\n-\n  f: g\n"));
    EXPECT_TRUE(isSimple("a: [x, 'y', {b: 1, c: [2]}]\nd: {}\ne: []\n")); // flow on one line
    EXPECT_TRUE(
        isSimple("script: |\n  #!/bin/sh\n\n  echo hi  \nstrip: |-\n  x\nkeep: |+\n  y\n\nnext: 1\n"));
    EXPECT_TRUE(isSimple("- |\n  in a list\n- {a: b}\n"));
}

TEST(SimpleBlockScanner, GivesUpOnEverythingElse) {
    for (const char* text : {"a: [1,\n  2]\n",
                             "a: {b: c,}\n",
                             "a: |2\n   x\n",
                             "a: |\n   \n  x\n",
                             "a: [b: c]\n",
                             "a: [x:y]\n",
                             "a: [\"x\\n\"]\n",
                             "a: [x] y\n",
                             "a: |\n  x\n y\n",
                             "a: |\nb: 1\n",
                             "a: >\n  x\n",
                             "a: &x 1\n",
                             "a: *x\n",
                             "a: !!str 1\n",
                             "a: \"x\\ny\"\n",
                             "a: b\n  c\n",
                             "a: 'x\n  y'\n",
                             "? a\n: b\n",
                             "a:\tb\n",
                             "a: b: c\n",
                             "- - a\n",
                             "  a: 1\n",
                             "a:\n    b: 1\n  c: 2\n",
                             "a: x\r\n\rb: 1\n",
                             "\xEF\xBB\xBF"
                             "a: 1\n",
                             "a: @x\n",
                             "a: `x`\n",
                             "-x: 1\n",
                             "a: -\n",
                             "a: ---\n",
                             "",
                             "# only\n",
                             "plain\n",
                             "a: \"x\" y\n",
                             "a:b: 1\n",
                             "a: 1\n...\n",
                             "a: \xC2\x85\n"}) {
        EXPECT_FALSE(isSimple(text)) << text;
    }
}

// Whenever the scanner takes a document, the result (value, line, or failure) is yaml-cpp's.
TEST(SimpleBlockScanner, AgreesWithYamlCppOnEveryCaseAndCorpusDocument) {
    int simple = 0;
    int total = 0;
    for (const QString& path : allYamlInputs()) {
        const QByteArray text = test::readFile(path);
        if (text.contains("{{"))
            continue;
        for (const std::string& source : documentsOf(text)) {
            std::vector<detail::SimpleEvent> events;
            ++total;
            if (!detail::scanSimpleBlockDocument(source, &events))
                continue;
            ++simple;
            EXPECT_EQ(outcome(source, true), outcome(source, false)) << path.toStdString() << "\n" << source;
        }
    }
    EXPECT_GT(simple, total / 3) << simple << " of " << total << " documents took the simple path";
    RecordProperty("simpleDocuments", simple);
    RecordProperty("documents", total);
}

// Mutated inputs: reading never crashes, and whatever the scanner takes, yaml-cpp reads the same.
TEST(SimpleBlockScanner, AgreesWithYamlCppOnMutatedDocuments) {
    std::mt19937 random(20261122);
    const std::string alphabet = " :-#'\"[]{}|>,&*!\n\nab1";
    int compared = 0;
    for (const std::string& name : caseNames(QStringLiteral("cases"))) {
        const QByteArray text =
            test::readFile(casePath(QStringLiteral("cases"), name, QStringLiteral(".yaml")));
        for (const std::string& original : documentsOf(text)) {
            if (original.empty())
                continue;
            for (int round = 0; round < 60; ++round) {
                std::string source = original;
                const size_t at = random() % source.size();
                switch (random() % 4) {
                case 0:
                    source.erase(at, 1);
                    break;
                case 1:
                    source.insert(at, 1, alphabet[random() % alphabet.size()]);
                    break;
                case 2:
                    source.insert(at, "  ");
                    break;
                default: {
                    const size_t lineStart =
                        source.rfind('\n', at) == std::string::npos ? 0 : source.rfind('\n', at) + 1;
                    const size_t lineEnd = source.find('\n', at);
                    source.insert(lineStart, source.substr(lineStart, lineEnd - lineStart + 1));
                }
                }
                (void)parseStream(QByteArray::fromStdString(source));
                std::vector<detail::SimpleEvent> events;
                if (!detail::scanSimpleBlockDocument(source, &events))
                    continue;
                ++compared;
                EXPECT_EQ(outcome(source, true), outcome(source, false)) << name << "\n" << source;
            }
        }
    }
    EXPECT_GT(compared, 500);
}

// The scanner recurses per level: past 100 levels it leaves the document to yaml-cpp, whose depth
// guard and the builder's limit apply, instead of running out of stack.
TEST(SimpleBlockScanner, GivesUpBeyondOneHundredLevels) {
    const auto flow = [](int depth) {
        return "a: " + std::string(size_t(depth), '[') + "x" + std::string(size_t(depth), ']') + "\n";
    };
    const auto block = [](int depth) {
        std::string text;
        for (int level = 0; level < depth; ++level)
            text += std::string(size_t(level), ' ') + "k:\n";
        return text;
    };
    EXPECT_TRUE(isSimple(flow(98).c_str()));
    EXPECT_FALSE(isSimple(flow(101).c_str()));
    EXPECT_FALSE(isSimple(flow(50'000).c_str()));
    EXPECT_TRUE(isSimple(block(99).c_str()));
    EXPECT_FALSE(isSimple(block(101).c_str()));
    EXPECT_EQ(outcome(flow(150), true), outcome(flow(150), false));
}

TEST(SimpleBlockScanner, KeepChompingAtTheEndKeepsExactlyTheTrailingNewlines) {
    // Found by fuzzing: the final line break was read as one more empty line, so `|+` text grew by
    // a newline on every read and write.
    const auto once = driftdeck::yaml::parseDocument("keep: |+\n  two\n");
    ASSERT_TRUE(once.ok());
    EXPECT_EQ(once->toObject().value(QStringLiteral("keep")).toString(), QStringLiteral("two\n"));
    const auto twice = driftdeck::yaml::parseDocument("keep: |+\n  two\n\n");
    ASSERT_TRUE(twice.ok());
    EXPECT_EQ(twice->toObject().value(QStringLiteral("keep")).toString(), QStringLiteral("two\n\n"));
    // And the writer's output reads back as the same value.
    const auto again = driftdeck::yaml::parseDocument(driftdeck::yaml::toYaml(*once));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *once);
}
