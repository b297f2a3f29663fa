#include "diffcommand.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <gtest/gtest.h>

// `driftdeck-cli diff` on the multi-object files in tests/data/cli: exit codes as kubectl diff has
// them, the JSON document, errors, and that no Secret value reaches any output.
namespace driftdeck::cli {
namespace {

using namespace Qt::StringLiterals;

struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};

CliRun diffOf(const QStringList& arguments) {
    CliRun run;
    QTextStream out(&run.out);
    QTextStream err(&run.err);
    run.exitCode = runDiffCommand(arguments, out, err);
    out.flush();
    err.flush();
    return run;
}

QString data(const QString& name) {
    return test::testDataPath(u"cli/"_s + name);
}

const QStringList kSecretSpellings{
    u"s3cr3t-Pa55w0rd-driftdeck"_s,
    u"czNjcjN0LVBhNTV3MHJkLWRyaWZ0ZGVjaw=="_s,
    u"rotated-by-hand-secret"_s,
    u"cm90YXRlZC1ieS1oYW5kLXNlY3JldA=="_s,
};

void expectNoSecret(const CliRun& run) {
    for (const QString& secret : kSecretSpellings) {
        EXPECT_FALSE(run.out.contains(secret)) << "stdout shows " << secret.toStdString();
        EXPECT_FALSE(run.err.contains(secret)) << "stderr shows " << secret.toStdString();
    }
}

TEST(CliDiff, NoDriftExitsZero) {
    for (const QString& format : {u"text"_s, u"json"_s, u"yaml"_s}) {
        const CliRun run = diffOf({u"--desired"_s, data(u"diff-desired.yaml"_s), u"--live"_s,
                                   data(u"diff-live-synced.yaml"_s), u"-o"_s, format});
        EXPECT_EQ(run.exitCode, 0) << format.toStdString() << ": " << run.out.toStdString()
                                   << run.err.toStdString();
        expectNoSecret(run);
    }
}

TEST(CliDiff, DriftExitsOneAndJsonNamesEveryChange) {
    const CliRun run = diffOf({u"--desired"_s, data(u"diff-desired.yaml"_s), u"--live"_s,
                               data(u"diff-live-drifted.yaml"_s), u"-o"_s, u"json"_s});
    ASSERT_EQ(run.exitCode, 1) << run.err.toStdString();
    const QJsonObject doc = QJsonDocument::fromJson(run.out.toUtf8()).object();
    EXPECT_TRUE(doc.value(u"drift"_s).toBool());
    EXPECT_EQ(doc.value(u"summary"_s).toObject(),
              (QJsonObject{{u"synced"_s, 1}, {u"outOfSync"_s, 2}, {u"missing"_s, 1}, {u"extra"_s, 0}}));

    QStringList got;
    for (const QJsonValue& v : doc.value(u"objects"_s).toArray()) {
        const QJsonObject o = v.toObject();
        QStringList pointers;
        for (const QJsonValue& c : o.value(u"changes"_s).toArray())
            pointers.append(c.toObject().value(u"type"_s).toString() + u' ' +
                            c.toObject().value(u"pointer"_s).toString());
        got.append(o.value(u"kind"_s).toString() + u' ' + o.value(u"namespace"_s).toString() + u'/' +
                   o.value(u"name"_s).toString() + u' ' + o.value(u"state"_s).toString() + u" [" +
                   pointers.join(u", "_s) + u']');
    }
    EXPECT_EQ(got, (QStringList{u"Deployment default/web OutOfSync [changed /spec/replicas]"_s,
                                u"Service default/web Synced []"_s,
                                u"Secret default/web-db OutOfSync [changed /data/password]"_s,
                                u"ConfigMap default/web-settings Missing []"_s}));
    expectNoSecret(run);
}

TEST(CliDiff, TextOutputsShowTheChangeAndNoSecret) {
    const CliRun unified = diffOf(
        {u"--desired"_s, data(u"diff-desired.yaml"_s), u"--live"_s, data(u"diff-live-drifted.yaml"_s)});
    EXPECT_EQ(unified.exitCode, 1);
    EXPECT_TRUE(unified.out.contains(u"-  replicas: 5\n+  replicas: 2\n"_s)) << unified.out.toStdString();
    EXPECT_TRUE(unified.out.contains(u"3 of 4 objects differ"_s)) << unified.out.toStdString();
    expectNoSecret(unified);

    const CliRun twoColumns =
        diffOf({u"--desired"_s, data(u"diff-desired.yaml"_s), u"--live"_s, data(u"diff-live-drifted.yaml"_s),
                u"--side-by-side"_s, u"--width"_s, u"100"_s});
    EXPECT_EQ(twoColumns.exitCode, 1);
    EXPECT_TRUE(twoColumns.out.contains(u"replicas: 2"_s) && twoColumns.out.contains(u"replicas: 5"_s));
    expectNoSecret(twoColumns);

    const CliRun yaml = diffOf({u"--desired"_s, data(u"diff-desired.yaml"_s), u"--live"_s,
                                data(u"diff-live-drifted.yaml"_s), u"-o"_s, u"yaml"_s});
    EXPECT_EQ(yaml.exitCode, 1);
    expectNoSecret(yaml);
}

TEST(CliDiff, ManagersAndNamespaceOptions) {
    // In namespace "shop" nothing of the live file pairs: everything desired is Missing.
    const CliRun run = diffOf({u"--desired"_s, data(u"diff-desired.yaml"_s), u"--live"_s,
                               data(u"diff-live-synced.yaml"_s), u"-n"_s, u"shop"_s, u"-o"_s, u"json"_s});
    EXPECT_EQ(run.exitCode, 1);
    EXPECT_EQ(
        QJsonDocument::fromJson(run.out.toUtf8()).object().value(u"summary"_s).toObject().value(u"missing"_s),
        4);
}

TEST(CliDiff, BadInputIsAnErrorNamingTheFile) {
    const CliRun broken = diffOf(
        {u"--desired"_s, data(u"health-broken.yaml"_s), u"--live"_s, data(u"diff-live-synced.yaml"_s)});
    EXPECT_EQ(broken.exitCode, 2);
    EXPECT_TRUE(broken.err.contains(u"health-broken.yaml:"_s)) << broken.err.toStdString();
    EXPECT_TRUE(broken.out.isEmpty());
    expectNoSecret(broken);

    const CliRun missing =
        diffOf({u"--desired"_s, data(u"no-such-file.yaml"_s), u"--live"_s, data(u"diff-live-synced.yaml"_s)});
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_TRUE(missing.err.contains(u"no-such-file.yaml"_s)) << missing.err.toStdString();

    EXPECT_EQ(diffOf({u"--desired"_s, data(u"diff-desired.yaml"_s)}).exitCode, 2);
    EXPECT_EQ(diffOf({u"--desired"_s, u"-"_s, u"--live"_s, u"-"_s}).exitCode, 2);
    EXPECT_EQ(diffOf({u"--desired"_s, data(u"diff-desired.yaml"_s), u"--live"_s,
                      data(u"diff-live-synced.yaml"_s), u"-o"_s, u"xml"_s})
                  .exitCode,
              2);
    EXPECT_EQ(diffOf({u"--desired"_s, data(u"diff-desired.yaml"_s), u"--live"_s,
                      data(u"diff-live-synced.yaml"_s), u"stray"_s})
                  .exitCode,
              2);
}

TEST(CliDiff, DeepNestingIsRefusedNotACrash) {
    // 20,000 nested flow maps (about 100 KB): refused by the reader's depth limit with a clear
    // error, instead of exhausting the stack in the diff or the JSON writer.
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const int depth = 20000;
    QByteArray deep =
        "apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t, namespace: default}\nspec: ";
    deep += QByteArray("{a: ").repeated(depth) + "1" + QByteArray("}").repeated(depth) + "\n";
    const QString path = dir.filePath(u"deep.yaml"_s);
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(deep);
    file.close();
    const CliRun run = diffOf({u"--desired"_s, path, u"--live"_s, path, u"-o"_s, u"json"_s});
    EXPECT_EQ(run.exitCode, 2) << run.out.left(200).toStdString();
    EXPECT_TRUE(run.err.contains(u"deep.yaml"_s)) << run.err.toStdString();
    EXPECT_TRUE(run.err.contains(u"nest"_s, Qt::CaseInsensitive)) << run.err.toStdString();
}

TEST(CliDiff, TheBinaryRunsTheVerb) {
    const auto result =
        test::runProcess(qEnvironmentVariable("DRIFTDECK_BINARY_DIR") + u"/app/driftdeck-cli"_s,
                         {u"diff"_s, u"--desired"_s, data(u"diff-desired.yaml"_s), u"--live"_s,
                          data(u"diff-live-drifted.yaml"_s)});
    EXPECT_EQ(result.exitCode, 1) << result.err.toStdString();
    EXPECT_TRUE(result.out.contains("3 of 4 objects differ"));
}

} // namespace
} // namespace driftdeck::cli
