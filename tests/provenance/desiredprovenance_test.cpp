// Provenance of desired lines: a real repository with commits by different authors, rendered by
// the plain renderer and blamed by libgit2, mapped onto the canonical YAML the diff shows.

#include "../git/gittestrepo.h"
#include "git/gitrepository.h"
#include "manifest/plainrenderer.h"
#include "provenance/desiredprovenance.h"
#include "yaml/yamlcodec.h"

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::provenance;
using driftdeck::test::GitTestRepo;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kVersion1 = "# web application\n"           // 1
                             "apiVersion: v1\n"              // 2
                             "kind: Service\n"               // 3
                             "metadata:\n"                   // 4
                             "  name: web\n"                 // 5
                             "spec:\n"                       // 6
                             "  ports:\n"                    // 7
                             "    - port: 80\n"              // 8
                             "---\n"                         // 9
                             "apiVersion: apps/v1\n"         // 10
                             "kind: Deployment\n"            // 11
                             "metadata:\n"                   // 12
                             "  name: web\n"                 // 13
                             "  labels:\n"                   // 14
                             "    app: web\n"                // 15
                             "spec:\n"                       // 16
                             "  replicas: 1\n"               // 17
                             "  template:\n"                 // 18
                             "    spec:\n"                   // 19
                             "      containers:\n"           // 20
                             "        - name: web\n"         // 21
                             "          image: nginx:1.25\n" // 22
                             "          env:\n"              // 23
                             "            - name: MODE\n"    // 24
                             "              value: |\n"      // 25
                             "                a\n"           // 26
                             "                b\n";          // 27

class DesiredProvenanceTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(repo.valid());
        QByteArray text = kVersion1;
        commit(text, u"Ada Author <ada@example.com>"_s, u"Add web"_s, u"2024-01-01T10:00:00Z"_s, c1);
        text.replace("replicas: 1", "replicas: 3");
        commit(text, u"Bob Builder <bob@example.com>"_s, u"Scale web to 3"_s, u"2024-02-01T10:00:00Z"_s, c2);
        text.replace("nginx:1.25", "nginx:1.27").replace("                b\n", "                c\n");
        commit(text, u"Cleo Coder <cleo@example.com>"_s, u"Bump nginx, mode c"_s, u"2024-03-01T10:00:00Z"_s,
               c3);
        text.replace("port: 80", "port: 8080");
        commit(text, u"Dan Dev <dan@example.com>"_s, u"Service on 8080"_s, u"2024-04-01T10:00:00Z"_s, c4);

        Result<git::GitRepository> opened = git::GitRepository::open(repo.workPath());
        ASSERT_TRUE(opened.ok()) << opened.error().message.toStdString();
        git = std::make_unique<git::GitRepository>(std::move(opened).value());

        // The desired objects as the plain renderer finds them in the application's directory.
        manifest::RenderRequest request;
        request.directory = repo.workPath() + u"/apps/web"_s;
        request.appName = u"web"_s;
        request.appPath = u"apps/web"_s;
        Result<manifest::RenderResult> rendered = manifest::PlainRenderer().render(request);
        ASSERT_TRUE(rendered.ok()) << rendered.error().message.toStdString();
        ASSERT_EQ(rendered->objects.size(), 2);
        service = rendered->objects.at(0);
        deployment = rendered->objects.at(1);
        ASSERT_EQ(deployment.source.documentIndex, 1);
        ASSERT_EQ(deployment.source.line, 10);

        // Read and blamed at the revision that was rendered, as the engine does on the Git thread.
        Result<BlamedFile> file = blameSourceFile(*git, c4, u"apps/web"_s, deployment.source.file);
        ASSERT_TRUE(file.ok()) << file.error().message.toStdString();
        EXPECT_EQ(file->path, u"apps/web/web.yaml"_s);
        blame = file->lines;
        fileText = file->text;
        ASSERT_EQ(fileText, readFileFromDisk());
    }

    QByteArray readFileFromDisk() const { return test::readFile(repo.workPath() + u"/apps/web/web.yaml"_s); }

    void commit(const QByteArray& text, const QString& author, const QString& message, const QString& date,
                QString& id) {
        repo.write(u"apps/web/web.yaml"_s, text);
        repo.gitWork({u"add"_s, u"-A"_s});
        repo.gitWork({u"commit"_s, u"-q"_s, u"-m"_s, message, u"--author="_s + author, u"--date="_s + date});
        id = repo.workRev(u"HEAD"_s);
    }

    DesiredProvenance build(const manifest::DesiredObject& object) const {
        Result<DesiredProvenance> built = DesiredProvenance::build(
            kubeobj::Object::fromTrustedJson(object.object), object.source, fileText, blame);
        EXPECT_TRUE(built.ok()) << built.error().message.toStdString();
        return built.ok() ? *built : DesiredProvenance();
    }

    GitTestRepo repo;
    QString c1, c2, c3, c4;
    std::unique_ptr<git::GitRepository> git;
    manifest::DesiredObject service, deployment;
    QList<git::BlameLine> blame;
    QByteArray fileText;
};

TEST_F(DesiredProvenanceTest, EachCanonicalLineGetsTheCommitOfItsSourceLine) {
    const kubeobj::Object desired = kubeobj::Object::fromTrustedJson(deployment.object);
    Result<QList<LineProvenance>> lines = provenanceOfLines(desired, deployment.source, fileText, blame);
    ASSERT_TRUE(lines.ok()) << lines.error().message.toStdString();
    const QStringList& text = desired.yamlLines();
    ASSERT_EQ(lines->size(), text.size());
    QHash<QString, LineProvenance> byText;
    for (qsizetype i = 0; i < text.size(); ++i) {
        EXPECT_TRUE(lines->at(i).exact) << text.at(i).toStdString(); // every line is written in the file
        byText.insert(text.at(i).trimmed(), lines->at(i));
    }
    // The canonical YAML sorts keys and re-indents, so lines are found by their text.
    EXPECT_EQ(byText.value(u"replicas: 3"_s).commitId, c2);
    EXPECT_EQ(byText.value(u"replicas: 3"_s).sourceLine, 17);
    EXPECT_EQ(byText.value(u"image: nginx:1.27"_s).commitId, c3);
    EXPECT_EQ(byText.value(u"image: nginx:1.27"_s).author, u"Cleo Coder"_s);
    EXPECT_EQ(byText.value(u"kind: Deployment"_s).commitId, c1);
    EXPECT_EQ(byText.value(u"app: web"_s).commitId, c1);
    EXPECT_EQ(byText.value(u"- env:"_s).commitId, c1); // the item's first line is its first sorted key
    EXPECT_EQ(byText.value(u"- env:"_s).sourceLine, 23);
    EXPECT_EQ(byText.value(u"- name: MODE"_s).commitId, c1);
    // A block scalar changed inside: its key line and content lines name the commit that changed it.
    EXPECT_EQ(byText.value(u"value: |"_s).commitId, c3);
    EXPECT_EQ(byText.value(u"a"_s).commitId, c3);
    // A map's key line is its own line's commit, not its children's.
    EXPECT_EQ(byText.value(u"spec:"_s).commitId, c1);
}

TEST_F(DesiredProvenanceTest, ReplicasFieldNamesTheCommitThatScaled) {
    Result<LineProvenance> replicas =
        provenanceOfPointer(u"/spec/replicas"_s, kubeobj::Object::fromTrustedJson(deployment.object),
                            deployment.source, fileText, blame);
    ASSERT_TRUE(replicas.ok()) << replicas.error().message.toStdString();
    EXPECT_EQ(replicas->commitId, c2);
    EXPECT_EQ(replicas->shortId, c2.left(7));
    EXPECT_EQ(replicas->author, u"Bob Builder"_s);
    EXPECT_EQ(replicas->summary, u"Scale web to 3"_s);
    EXPECT_TRUE(replicas->exact);
    EXPECT_EQ(replicas->sourceLine, 17);
    EXPECT_EQ(replicas->toText(), c2.left(7) + u" Bob Builder 2024-02-01"_s);
}

TEST_F(DesiredProvenanceTest, FieldsTheFileDoesNotWriteFallBackToTheObjectsNewestCommit) {
    const DesiredProvenance provenance = build(deployment);
    // The Service's later commit (c4) is another document: the Deployment's newest is c3.
    const LineProvenance perObject = provenance.perObject();
    EXPECT_EQ(perObject.commitId, c3);
    EXPECT_FALSE(perObject.exact);
    EXPECT_EQ(perObject.sourceLine, 0);
    for (const QString& pointer : {u"/spec/template/spec/containers/1/name"_s, u"/spec/strategy"_s,
                                   u"/metadata/namespace"_s, u"not a pointer"_s}) {
        const LineProvenance missing = provenance.ofPointer(pointer);
        EXPECT_EQ(missing, perObject) << pointer.toStdString();
    }

    // A line the renderer adds (the destination namespace) has no source line either.
    const kubeobj::Object placed =
        kubeobj::Object::fromTrustedJson(deployment.object).withNamespace(u"prod"_s);
    Result<QList<LineProvenance>> lines = provenanceOfLines(placed, deployment.source, fileText, blame);
    ASSERT_TRUE(lines.ok()) << lines.error().message.toStdString();
    const qsizetype at = placed.yamlLines().indexOf(u"  namespace: prod"_s);
    ASSERT_GE(at, 0);
    EXPECT_FALSE(lines->at(at).exact);
    EXPECT_EQ(lines->at(at).commitId, c3);
    EXPECT_TRUE(lines->at(at - 1).exact); // "  name: web" just above it
}

TEST_F(DesiredProvenanceTest, TheFirstDocumentOfTheFileIsItsOwnObject) {
    ASSERT_EQ(service.source.documentIndex, 0);
    const DesiredProvenance provenance = build(service);
    EXPECT_EQ(provenance.ofPointer(u"/spec/ports/0/port"_s).commitId, c4);
    EXPECT_EQ(provenance.ofPointer(u"/spec/ports/0/port"_s).author, u"Dan Dev"_s);
    EXPECT_EQ(provenance.ofPointer(u"/kind"_s).commitId, c1);
    EXPECT_EQ(provenance.perObject().commitId, c4);
}

TEST_F(DesiredProvenanceTest, InputsFromDifferentRevisionsAreRefused) {
    const kubeobj::Object desired = kubeobj::Object::fromTrustedJson(deployment.object);
    QList<git::BlameLine> shorter = blame;
    shorter.removeLast();
    Result<DesiredProvenance> wrongLength =
        DesiredProvenance::build(desired, deployment.source, fileText, shorter);
    ASSERT_FALSE(wrongLength.ok());
    EXPECT_EQ(wrongLength.error().code, Error::Code::Invalid);
    EXPECT_TRUE(wrongLength.error().message.contains(u"web.yaml"_s))
        << wrongLength.error().message.toStdString();

    manifest::DesiredObject::Source source = deployment.source;
    source.documentIndex = 5;
    Result<DesiredProvenance> noDocument = DesiredProvenance::build(desired, source, fileText, blame);
    ASSERT_FALSE(noDocument.ok());
    EXPECT_TRUE(noDocument.error().message.contains(u"no document 5"_s))
        << noDocument.error().message.toStdString();

    source.documentIndex = 0; // the Service
    Result<DesiredProvenance> otherObject = DesiredProvenance::build(desired, source, fileText, blame);
    ASSERT_FALSE(otherObject.ok());
    EXPECT_TRUE(otherObject.error().message.contains(u"Service/web"_s))
        << otherObject.error().message.toStdString();

    QByteArray broken = fileText;
    broken.replace("kind: Deployment", "kind: [Deployment");
    Result<DesiredProvenance> unparsable =
        DesiredProvenance::build(desired, deployment.source, broken, blame);
    ASSERT_FALSE(unparsable.ok());
    EXPECT_EQ(unparsable.error().code, Error::Code::Invalid);

    QList<git::BlameLine> renumbered = blame;
    renumbered[0].line = 1000;
    ASSERT_FALSE(DesiredProvenance::build(desired, deployment.source, fileText, renumbered).ok());
}

TEST_F(DesiredProvenanceTest, SourceFilesAreReadAtTheRenderedRevision) {
    // At c2 the image line was still c1's: provenance follows the revision, not the branch tip.
    Result<BlamedFile> old = blameSourceFile(*git, c2, u"apps/web"_s, deployment.source.file);
    ASSERT_TRUE(old.ok()) << old.error().message.toStdString();
    Result<QList<yaml::Document>> documents = yaml::parseStream(old->text);
    ASSERT_TRUE(documents.ok());
    ASSERT_EQ(documents->size(), 2);
    Result<DesiredProvenance> built = DesiredProvenance::build(
        kubeobj::Object::fromTrustedJson(documents->at(1).value.toObject()), deployment.source, *old);
    ASSERT_TRUE(built.ok()) << built.error().message.toStdString();
    EXPECT_EQ(built->ofPointer(u"/spec/template/spec/containers/0/image"_s).commitId, c1);
    EXPECT_EQ(built->ofPointer(u"/spec/replicas"_s).commitId, c2);

    Result<BlamedFile> escaping = blameSourceFile(*git, c4, u"apps/web"_s, u"../../etc/passwd"_s);
    ASSERT_FALSE(escaping.ok());
    EXPECT_EQ(escaping.error().code, Error::Code::Invalid);
    Result<BlamedFile> missing = blameSourceFile(*git, c4, u"apps/web"_s, u"gone.yaml"_s);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, Error::Code::NotFound);
}

TEST_F(DesiredProvenanceTest, ToolOutputIsAnsweredPerObjectFromTheWholeFile) {
    manifest::DesiredObject::Source tool = deployment.source;
    tool.line = 0; // as Helm and Kustomize report: the index counts the tool's output
    tool.documentIndex = 7;
    const kubeobj::Object desired = kubeobj::Object::fromTrustedJson(deployment.object);
    Result<QList<LineProvenance>> lines = provenanceOfLines(desired, tool, fileText, blame);
    ASSERT_TRUE(lines.ok()) << lines.error().message.toStdString();
    for (const LineProvenance& line : *lines) {
        EXPECT_FALSE(line.exact);
        EXPECT_EQ(line.commitId, c4);
    }
}

} // namespace
