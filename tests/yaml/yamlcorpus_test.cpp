#include "testsupport.h"
#include "yaml/yamlcodec.h"
#include "yamltestdata.h"

#include <QDirIterator>
#include <QJsonArray>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::yaml;
using namespace driftdeck::yaml::testdata;

namespace {

// Every YAML file of the shared corpus, except Helm templates (Go templates are not YAML).
QStringList corpusFiles() {
    QStringList files;
    const QString root = test::sharedDir().filePath(QStringLiteral("corpus"));
    QDirIterator it(root, {QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (!test::readFile(path).contains("{{"))
            files.append(path);
    }
    files.sort();
    return files;
}

} // namespace

TEST(YamlCorpus, EveryFileRoundTripsAndCanonicalOutputIsStable) {
    const QStringList files = corpusFiles();
    if (files.isEmpty())
        GTEST_SKIP() << "no shared corpus at " << test::sharedDir().absolutePath().toStdString();
    int documents = 0;
    for (const QString& path : files) {
        SCOPED_TRACE(path.toStdString());
        auto stream = parseStream(test::readFile(path), path);
        ASSERT_TRUE(stream.ok()) << stream.error().message.toStdString();
        QList<QJsonValue> values;
        for (const Document& doc : *stream) {
            const QByteArray yaml = toYaml(doc.value);
            auto back = parseDocument(yaml, QStringLiteral("canonical.yaml"));
            ASSERT_TRUE(back.ok()) << back.error().message.toStdString() << "\n" << yaml.toStdString();
            EXPECT_TRUE(sameJson(*back, doc.value)) << yaml.toStdString();
            EXPECT_EQ(toYaml(*back), yaml);
            values.append(doc.value);
            ++documents;
        }
        auto again = parseStream(toYamlStream(values));
        ASSERT_TRUE(again.ok());
        EXPECT_EQ(again->size(), values.size());
    }
    EXPECT_GT(documents, 0);
}

// Where kubectl can read a corpus file as objects, it must read the same objects we do.
TEST(YamlCorpus, KubectlReadsTheSameObjects) {
    DRIFTDECK_REQUIRE_KUBECTL();
    const QStringList files = corpusFiles();
    if (files.isEmpty())
        GTEST_SKIP() << "no shared corpus";
    int compared = 0;
    for (const QString& path : files) {
        SCOPED_TRACE(path.toStdString());
        const RefereeResult referee = runReferee(path);
        if (!referee.ok)
            continue; // not Kubernetes objects (a values file, a chart), nothing to compare
        auto stream = parseStream(test::readFile(path), path);
        ASSERT_TRUE(stream.ok()) << stream.error().message.toStdString();
        QJsonArray ours;
        for (const Document& doc : *stream)
            ours.append(doc.value);
        EXPECT_TRUE(sameJson(ours, referee.documents))
            << "ours:    " << compact(ours).toStdString()
            << "\nkubectl: " << compact(referee.documents).toStdString();
        ++compared;
    }
    EXPECT_GT(compared, 0);
}
