#include "healthcommand.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

// `driftdeck-cli health` on the multi-object files in tests/data/cli: exit codes, the JSON document,
// errors, and that a Secret's value never reaches any output.
namespace driftdeck::cli {
namespace {

using namespace Qt::StringLiterals;

const QByteArray kSecretPlain = "s3cr3t-Pa55w0rd-driftdeck";
const QByteArray kSecretBase64 = "czNjcjN0LVBhNTV3MHJkLWRyaWZ0ZGVjaw==";

struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};

CliRun health(const QStringList& arguments) {
    CliRun run;
    QTextStream out(&run.out);
    QTextStream err(&run.err);
    run.exitCode = runHealthCommand(arguments, out, err);
    out.flush();
    err.flush();
    return run;
}

QString data(const QString& name) {
    return test::testDataPath(u"cli/"_s + name);
}

QJsonObject parseJson(const QString& text) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    EXPECT_EQ(error.error, QJsonParseError::NoError) << qPrintable(error.errorString());
    return document.object();
}

QJsonObject row(const char* apiVersion, const char* kind, const char* ns, const char* name,
                const char* health, const QString& message) {
    QJsonObject object;
    object.insert(u"apiVersion"_s, QString::fromUtf8(apiVersion));
    object.insert(u"kind"_s, QString::fromUtf8(kind));
    object.insert(u"namespace"_s, QString::fromUtf8(ns));
    object.insert(u"name"_s, QString::fromUtf8(name));
    object.insert(u"health"_s, QString::fromUtf8(health));
    object.insert(u"message"_s, message);
    return object;
}

const QString kCrashLoop =
    u"container worker: CrashLoopBackOff (restarted 7 times, last exit: Error (exit code 1))"_s;

TEST(CliHealth, MixedFileGivesEveryObjectAndTheWorstAsJson) {
    const CliRun run = health({u"-o"_s, u"json"_s, data(u"health-mixed.yaml"_s)});
    EXPECT_EQ(run.exitCode, 1) << qPrintable(run.err);
    EXPECT_TRUE(run.err.isEmpty()) << qPrintable(run.err);
    QJsonObject expected;
    expected.insert(
        u"objects"_s,
        QJsonArray{
            row("apps/v1", "Deployment", "shop", "web", "Healthy", u"2 of 2 replicas available"_s),
            row("v1", "Secret", "shop", "db-credentials", "Healthy", {}),
            row("v1", "Pod", "shop", "worker-5c9f7d8b4-zt6qp", "Degraded", kCrashLoop),
            row("v1", "Service", "shop", "web-public", "Progressing",
                u"waiting for a load balancer address"_s),
            row("v1", "Namespace", "", "shop", "Healthy", {}),
        });
    expected.insert(u"health"_s, u"Degraded"_s);
    expected.insert(u"message"_s,
                    QString(u"1 of 5 resources Degraded: Pod shop/worker-5c9f7d8b4-zt6qp: "_s + kCrashLoop));
    EXPECT_EQ(parseJson(run.out), expected);
}

TEST(CliHealth, ListFromKubectlIsFlattenedAndHealthyOrSuspendedExitsZero) {
    for (const QString& file : {u"health-list.yaml"_s, u"health-list.json"_s}) {
        SCOPED_TRACE(file.toStdString());
        const CliRun run = health({u"--output=json"_s, data(file)});
        EXPECT_EQ(run.exitCode, 0) << qPrintable(run.err);
        const QJsonObject document = parseJson(run.out);
        EXPECT_EQ(document.value("health"_L1).toString(), u"Suspended"_s);
        const QJsonArray objects = document.value("objects"_L1).toArray();
        ASSERT_EQ(objects.size(), 3);
        EXPECT_EQ(objects.at(0).toObject().value("kind"_L1).toString(), u"Deployment"_s);
        EXPECT_EQ(objects.at(1).toObject().value("health"_L1).toString(), u"Suspended"_s);
        EXPECT_EQ(objects.at(2).toObject().value("kind"_L1).toString(), u"Secret"_s);
    }
}

TEST(CliHealth, SeveralFilesAreOneApplication) {
    const CliRun run =
        health({u"-o"_s, u"json"_s, data(u"health-list.yaml"_s), data(u"health-mixed.yaml"_s)});
    EXPECT_EQ(run.exitCode, 1);
    const QJsonObject document = parseJson(run.out);
    EXPECT_EQ(document.value("objects"_L1).toArray().size(), 8);
    EXPECT_EQ(document.value("message"_L1).toString(),
              u"1 of 8 resources Degraded: Pod shop/worker-5c9f7d8b4-zt6qp: "_s + kCrashLoop);
}

TEST(CliHealth, TextAndYamlCarryTheSameRows) {
    const CliRun text = health({data(u"health-mixed.yaml"_s)});
    EXPECT_EQ(text.exitCode, 1);
    const QStringList lines = text.out.split(u'\n');
    ASSERT_GE(lines.size(), 8) << qPrintable(text.out);
    EXPECT_TRUE(lines.at(0).startsWith(u"KIND"_s));
    EXPECT_TRUE(lines.at(0).contains(u"NAMESPACE/NAME"_s));
    EXPECT_TRUE(lines.at(3).contains(u"shop/worker-5c9f7d8b4-zt6qp"_s));
    EXPECT_TRUE(lines.at(3).contains(u"Degraded"_s));
    EXPECT_TRUE(lines.at(3).endsWith(kCrashLoop));
    EXPECT_TRUE(text.out.contains(u"\nDegraded: 1 of 5 resources Degraded"_s));

    const CliRun yaml = health({u"-o"_s, u"yaml"_s, data(u"health-mixed.yaml"_s)});
    EXPECT_EQ(yaml.exitCode, 1);
    EXPECT_TRUE(yaml.out.startsWith(u"health: Degraded\n"_s)) << qPrintable(yaml.out);
    EXPECT_TRUE(yaml.out.contains(u"  name: worker-5c9f7d8b4-zt6qp\n"_s));
}

TEST(CliHealth, BadInputIsAnErrorNamingFileAndLine) {
    const CliRun broken = health({u"-o"_s, u"json"_s, data(u"health-broken.yaml"_s)});
    EXPECT_EQ(broken.exitCode, 2);
    EXPECT_TRUE(broken.out.isEmpty()) << "nothing is printed when the input is bad";
    EXPECT_TRUE(broken.err.contains(data(u"health-broken.yaml"_s) + u":15:"_s)) << qPrintable(broken.err);

    const CliRun notObject = health({data(u"health-not-an-object.yaml"_s)});
    EXPECT_EQ(notObject.exitCode, 2);
    EXPECT_TRUE(notObject.err.contains(u"health-not-an-object.yaml:7: document 1 in the input has no kind"_s))
        << qPrintable(notObject.err);
    EXPECT_FALSE(notObject.err.contains(u"renderer"_s)) << qPrintable(notObject.err);

    const CliRun absent = health({data(u"no-such-file.yaml"_s)});
    EXPECT_EQ(absent.exitCode, 2);
    EXPECT_TRUE(absent.err.contains(u"no-such-file.yaml"_s));
}

TEST(CliHealth, UsageErrorsExitTwo) {
    EXPECT_EQ(health({}).exitCode, 2);
    EXPECT_EQ(health({u"-o"_s, u"xml"_s, data(u"health-list.yaml"_s)}).exitCode, 2);
    EXPECT_EQ(health({u"--no-such-flag"_s, data(u"health-list.yaml"_s)}).exitCode, 2);
    const CliRun help = health({u"--help"_s});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_TRUE(help.out.startsWith(u"Usage: driftdeck-cli health [options] FILE..."_s))
        << qPrintable(help.out);
}

TEST(CliHealth, SecretValueNeverAppearsInAnyOutput) {
    QStringList runs;
    for (const QString& file :
         {u"health-mixed.yaml"_s, u"health-list.yaml"_s, u"health-list.json"_s, u"health-broken.yaml"_s}) {
        for (const QString& format : {u"text"_s, u"json"_s, u"yaml"_s}) {
            const CliRun run = health({u"-o"_s, format, data(file)});
            EXPECT_NE(run.exitCode, -1);
            runs << run.out + run.err;
        }
    }
    ASSERT_TRUE(test::readFile(data(u"health-mixed.yaml"_s)).contains(kSecretPlain))
        << "the test lost its secret";
    ASSERT_TRUE(test::readFile(data(u"health-broken.yaml"_s)).contains(kSecretPlain));
    for (const QString& output : std::as_const(runs)) {
        EXPECT_FALSE(output.contains(QString::fromLatin1(kSecretPlain))) << qPrintable(output);
        EXPECT_FALSE(output.contains(QString::fromLatin1(kSecretBase64))) << qPrintable(output);
        EXPECT_FALSE(output.contains(QString::fromLatin1(kSecretBase64.chopped(2)))) << qPrintable(output);
    }
}

// The same verb through main(): proves the dispatch and the process exit code.
TEST(CliHealthBinary, RunsTheBuiltExecutable) {
    const QString binary = QString::fromLocal8Bit(qgetenv("DRIFTDECK_BINARY_DIR")) + u"/app/driftdeck-cli"_s;
    ASSERT_TRUE(QFileInfo::exists(binary)) << qPrintable(binary) << " is not built";

    const test::ProcessResult mixed =
        test::runProcess(binary, {u"health"_s, u"-o"_s, u"json"_s, data(u"health-mixed.yaml"_s)});
    EXPECT_EQ(mixed.exitCode, 1) << mixed.err.constData();
    EXPECT_EQ(parseJson(QString::fromUtf8(mixed.out)).value("health"_L1).toString(), u"Degraded"_s);
    EXPECT_FALSE(mixed.out.contains(kSecretPlain) || mixed.out.contains(kSecretBase64));

    const test::ProcessResult piped =
        test::runProcess(binary, {u"health"_s, u"-"_s}, test::readFile(data(u"health-list.yaml"_s)));
    EXPECT_EQ(piped.exitCode, 0) << piped.err.constData();
    EXPECT_TRUE(piped.out.contains("CronJob     shop/nightly-report  Suspended  CronJob is suspended"))
        << piped.out.constData();

    const test::ProcessResult broken = test::runProcess(binary, {u"health"_s, data(u"health-broken.yaml"_s)});
    EXPECT_EQ(broken.exitCode, 2);
    EXPECT_TRUE(broken.err.contains("health-broken.yaml:15:")) << broken.err.constData();
    EXPECT_FALSE(broken.err.contains(kSecretPlain));
}

} // namespace
} // namespace driftdeck::cli
