#include "health/health.h"
#include "testsupport.h"
#include "yaml/yamlcodec.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QSet>

#include <functional>
#include <gtest/gtest.h>

// Every file under tests/data/health/<kind>/ is one case: a live object whose first line says what
// assess() must answer (format in tests/data/health/README.md). A new file is a new case.
namespace driftdeck::health {
namespace {

using namespace Qt::StringLiterals;

struct HealthCase {
    QString path; // relative to tests/data/health
    QString folder;
    HealthStatus status = HealthStatus::Unknown;
    QString fragment; // empty: the message must be empty too
    QJsonObject object;
};

// Reads one case; a malformed case file fails the test that reads it, naming the file.
HealthCase readCase(const QString& root, const QString& file) {
    HealthCase result;
    result.path = QDir(root).relativeFilePath(file);
    result.folder = result.path.section(u'/', 0, 0);
    const QByteArray text = test::readFile(file);
    const QString firstLine = QString::fromUtf8(text.left(text.indexOf('\n')));
    const QString prefix = u"# expect: "_s;
    EXPECT_TRUE(firstLine.startsWith(prefix))
        << qPrintable(result.path) << ": first line must be '# expect: ...'";
    const QString expectation = firstLine.mid(prefix.size()).trimmed();
    const qsizetype colon = expectation.indexOf(u':');
    const QString statusText = colon < 0 ? expectation : expectation.left(colon);
    EXPECT_TRUE(parseStatus(statusText, &result.status))
        << qPrintable(result.path) << ": '" << qPrintable(statusText) << "' is not a health status";
    if (colon >= 0)
        result.fragment = expectation.mid(colon + 1).trimmed();
    const auto documents = yaml::parseStream(text, result.path);
    EXPECT_TRUE(documents.ok()) << qPrintable(documents.ok() ? QString() : documents.error().message);
    if (documents.ok()) {
        EXPECT_EQ(documents->size(), 1) << qPrintable(result.path) << ": one object a file";
        if (!documents->isEmpty())
            result.object = documents->first().value.toObject();
    }
    return result;
}

QList<HealthCase> allCases() {
    const QString root = test::testDataPath(u"health"_s);
    QStringList files;
    QDirIterator it(root, {u"*.yaml"_s}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    QList<HealthCase> cases;
    for (const QString& file : files)
        cases.append(readCase(root, file));
    return cases;
}

TEST(HealthCases, EveryCaseGivesItsExpectedStatusAndMessage) {
    const QList<HealthCase> cases = allCases();
    ASSERT_GE(cases.size(), 50) << "tests/data/health lost its cases";
    for (const HealthCase& c : cases) {
        SCOPED_TRACE(c.path.toStdString());
        const Health health = assess(c.object);
        EXPECT_EQ(statusName(health.status), statusName(c.status))
            << "message: " << qPrintable(health.message);
        if (c.fragment.isEmpty())
            EXPECT_TRUE(health.message.isEmpty()) << "unexpected message: " << qPrintable(health.message);
        else
            EXPECT_TRUE(health.message.contains(c.fragment))
                << "message '" << qPrintable(health.message) << "' lacks '" << qPrintable(c.fragment) << "'";
        EXPECT_FALSE(health.message.contains(u'\n'));
    }
}

// A case in the wrong folder would test a kind other than the one it claims to.
TEST(HealthCases, EachFolderHoldsItsOwnKind) {
    for (const HealthCase& c : allCases()) {
        if (c.folder == "generic"_L1)
            continue;
        EXPECT_EQ(c.object.value("kind"_L1).toString().toLower(), c.folder) << qPrintable(c.path);
    }
}

// The issue lists these kinds; each must have cases, and between them every status but Missing
// (which no live object has) must be reached.
TEST(HealthCases, EveryListedKindAndStatusIsCovered) {
    const QStringList kinds{u"deployment"_s,
                            u"statefulset"_s,
                            u"daemonset"_s,
                            u"replicaset"_s,
                            u"pod"_s,
                            u"service"_s,
                            u"ingress"_s,
                            u"persistentvolumeclaim"_s,
                            u"job"_s,
                            u"cronjob"_s,
                            u"horizontalpodautoscaler"_s,
                            u"namespace"_s,
                            u"apiservice"_s,
                            u"customresourcedefinition"_s,
                            u"generic"_s};
    QHash<QString, QSet<QString>> statusesByFolder;
    QSet<QString> statuses;
    for (const HealthCase& c : allCases()) {
        statusesByFolder[c.folder].insert(statusName(c.status));
        statuses.insert(statusName(c.status));
    }
    for (const QString& kind : kinds)
        EXPECT_GE(statusesByFolder.value(kind).size(), 2)
            << qPrintable(kind) << " needs cases for 2+ statuses";
    for (const HealthStatus status :
         {HealthStatus::Healthy, HealthStatus::Suspended, HealthStatus::Progressing, HealthStatus::Degraded,
          HealthStatus::Unknown})
        EXPECT_TRUE(statuses.contains(statusName(status))) << qPrintable(statusName(status));
}

// Every field of every case, replaced in turn by a value of each JSON type: a live object with a
// field of the wrong type (a broken controller, a hostile API server) still gets a one-line answer.
void replaceEachField(const QJsonValue& value, const std::function<QJsonValue(const QJsonValue&)>& rebuild,
                      const std::function<void(const QJsonValue&)>& check) {
    static const QList<QJsonValue> kWrongTypes{QJsonValue(),     QJsonValue(u"x"_s), QJsonValue(-7.5),
                                               QJsonValue(true), QJsonArray{},       QJsonObject{}};
    for (const QJsonValue& wrong : kWrongTypes)
        check(rebuild(wrong));
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString key = it.key();
            replaceEachField(
                it.value(),
                [&](const QJsonValue& replacement) {
                    QJsonObject copy = object;
                    copy.insert(key, replacement);
                    return rebuild(copy);
                },
                check);
        }
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            replaceEachField(
                array.at(i),
                [&](const QJsonValue& replacement) {
                    QJsonArray copy = array;
                    copy.replace(i, replacement);
                    return rebuild(copy);
                },
                check);
        }
    }
}

TEST(HealthCases, FieldsOfTheWrongTypeNeverBreakAssess) {
    qsizetype variants = 0;
    for (const HealthCase& c : allCases()) {
        SCOPED_TRACE(c.path.toStdString());
        replaceEachField(
            c.object, [](const QJsonValue& v) { return v; },
            [&variants](const QJsonValue& variant) {
                ++variants;
                const Health health = assess(variant.toObject());
                EXPECT_FALSE(health.message.contains(u'\n'));
            });
    }
    EXPECT_GT(variants, 10000);
}

} // namespace
} // namespace driftdeck::health
