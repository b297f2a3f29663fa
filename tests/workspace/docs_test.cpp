// The documentation's workspace examples are complete workspace files: they must load as written,
// without a warning, so the docs cannot drift from what the reader accepts.
#include "testsupport.h"
#include "workspace/workspace.h"

#include <QDir>
#include <QRegularExpression>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::workspace;
using namespace Qt::StringLiterals;

namespace {

struct Snippet {
    QString where; // "docs/git.md:41"
    QByteArray text;
};

// Every ```yaml block of `file` that declares itself a workspace.
QList<Snippet> workspaceSnippets(const QString& file) {
    const QString path = test::sourceDir().filePath(file);
    const QList<QByteArray> lines = test::readFile(path).split('\n');
    QList<Snippet> snippets;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines.at(i).trimmed() != "```yaml")
            continue;
        Snippet snippet{file + u':' + QString::number(i + 2), {}};
        for (++i; i < lines.size() && lines.at(i).trimmed() != "```"; ++i)
            snippet.text += lines.at(i) + '\n';
        if (snippet.text.contains("\nkind: Workspace\n") && !snippet.text.contains("[...]"))
            snippets.append(snippet);
    }
    return snippets;
}

} // namespace

TEST(DocsTest, WorkspaceExamplesInTheDocsLoadWithoutWarnings) {
    int checked = 0;
    for (const QString& file : {u"docs/workspace.md"_s, u"docs/git.md"_s}) {
        const QList<Snippet> snippets = workspaceSnippets(file);
        EXPECT_FALSE(snippets.isEmpty()) << file.toStdString() << " has no complete workspace example";
        for (const Snippet& snippet : snippets) {
            const Result<LoadedWorkspace> loaded = parseWorkspace(snippet.text, snippet.where);
            ASSERT_TRUE(loaded.ok()) << loaded.error().toString().toStdString();
            EXPECT_TRUE(loaded->warnings.isEmpty()) << loaded->warnings.join(u'\n').toStdString();
            ++checked;
        }
    }
    EXPECT_GE(checked, 2);
}

// docs/git.md once documented `inPlace: true` and C++ enum names (TokenEnv, SshKeyFile) that the
// workspace rejects; every credentials type it shows now is one the reader accepts.
TEST(DocsTest, GitDocsNameOnlyCredentialTypesTheWorkspaceAccepts) {
    const QString text = QString::fromUtf8(test::readFile(test::sourceDir().filePath(u"docs/git.md"_s)));
    EXPECT_FALSE(text.contains(u"inPlace: true"_s));
    const QRegularExpression type(u"type: ([A-Za-z-]+)"_s);
    int types = 0;
    for (auto it = type.globalMatch(text); it.hasNext(); ++types) {
        const QString name = it.next().captured(1);
        EXPECT_TRUE(CredentialsRef::parseType(name).has_value()) << name.toStdString();
    }
    EXPECT_GE(types, 4);
    for (const char* cppName : {"TokenEnv", "TokenFile", "SshKeyFile", "CredentialHelper"})
        EXPECT_FALSE(text.contains(QLatin1StringView(cppName))) << cppName;
}
