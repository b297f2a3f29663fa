#include "yamltestdata.h"

#include "testsupport.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>

namespace driftdeck::yaml::testdata {

std::vector<std::string> caseNames(const QString& folder) {
    const QDir dir(test::testDataPath(QStringLiteral("yaml/") + folder));
    std::vector<std::string> names;
    for (const QString& file : dir.entryList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Name))
        names.push_back(file.chopped(5).toStdString());
    return names;
}

QString casePath(const QString& folder, const std::string& name, const QString& suffix) {
    return test::testDataPath(QStringLiteral("yaml/") + folder + QLatin1Char('/') +
                              QString::fromStdString(name) + suffix);
}

QJsonArray expectedDocuments(const std::string& name) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(
        test::readFile(casePath(QStringLiteral("cases"), name, QStringLiteral(".json"))), &error);
    return doc.array();
}

QMap<QString, QString> errorExpectation(const std::string& name) {
    QMap<QString, QString> out;
    const QByteArray text =
        test::readFile(casePath(QStringLiteral("errors"), name, QStringLiteral(".expect")));
    for (const QByteArray& line : text.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            out.insert(QString::fromUtf8(line.left(colon).trimmed()),
                       QString::fromUtf8(line.mid(colon + 1).trimmed()));
    }
    return out;
}

QString compact(const QJsonValue& value) {
    QJsonArray wrapper{value};
    return QString::fromUtf8(QJsonDocument(wrapper).toJson(QJsonDocument::Compact));
}

namespace {

bool exactInteger(const QJsonValue& v, qint64* out) {
    *out = v.toInteger(0);
    return *out == v.toInteger(1);
}

} // namespace

bool sameJson(const QJsonValue& a, const QJsonValue& b) {
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case QJsonValue::Double: {
        qint64 x = 0;
        qint64 y = 0;
        if (exactInteger(a, &x) && exactInteger(b, &y))
            return x == y;
        const double p = a.toDouble();
        const double q = b.toDouble();
        return p == q || (p != p && q != q);
    }
    case QJsonValue::Array: {
        const QJsonArray x = a.toArray();
        const QJsonArray y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!sameJson(x.at(i), y.at(i)))
                return false;
        }
        return true;
    }
    case QJsonValue::Object: {
        const QJsonObject x = a.toObject();
        const QJsonObject y = b.toObject();
        if (x.keys() != y.keys())
            return false;
        for (auto it = x.begin(); it != x.end(); ++it) {
            if (!sameJson(it.value(), y.value(it.key())))
                return false;
        }
        return true;
    }
    default:
        return a == b;
    }
}

namespace {

// kubectl prints one JSON object after another; split them at depth zero.
QList<QByteArray> splitJsonObjects(const QByteArray& text) {
    QList<QByteArray> out;
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    qsizetype start = -1;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (depth++ == 0)
                start = i;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                out.append(text.mid(start, i - start + 1));
        }
    }
    return out;
}

QJsonObject withoutProbe(QJsonObject object) {
    QJsonObject metadata = object.value(QStringLiteral("metadata")).toObject();
    QJsonObject annotations = metadata.value(QStringLiteral("annotations")).toObject();
    annotations.remove(QStringLiteral("driftdeck.io/probe"));
    if (annotations.isEmpty())
        metadata.remove(QStringLiteral("annotations"));
    else
        metadata.insert(QStringLiteral("annotations"), annotations);
    // annotate adds the metadata it annotates; an object that had none gets it back empty.
    if (metadata.isEmpty())
        object.remove(QStringLiteral("metadata"));
    else
        object.insert(QStringLiteral("metadata"), metadata);
    return object;
}

} // namespace

RefereeResult runReferee(const QString& path) {
    RefereeResult result;
    const test::ProcessResult run = test::runProcess(
        test::kubectlPath(),
        {QStringLiteral("annotate"), QStringLiteral("--local"), QStringLiteral("-f"), path,
         QStringLiteral("driftdeck.io/probe=1"), QStringLiteral("-o"), QStringLiteral("json")},
        {}, std::chrono::seconds(30), {QStringLiteral("KUBECONFIG=/dev/null")});
    if (run.exitCode != 0 || run.timedOut) {
        result.error = QString::fromUtf8(run.err).trimmed();
        return result;
    }
    // Qt's JSON reader drops a raw byte order mark at the start of a string; keep it as an escape.
    QByteArray out = run.out;
    out.replace("\xEF\xBB\xBF", "\\ufeff");
    for (const QByteArray& chunk : splitJsonObjects(out)) {
        const QJsonObject object = QJsonDocument::fromJson(chunk).object();
        if (object.value(QStringLiteral("kind")).toString() == QStringLiteral("List") &&
            object.contains(QStringLiteral("items")) && !object.contains(QStringLiteral("metadata"))) {
            for (const QJsonValue& item : object.value(QStringLiteral("items")).toArray())
                result.documents.append(withoutProbe(item.toObject()));
        } else {
            result.documents.append(withoutProbe(object));
        }
    }
    result.ok = true;
    return result;
}

std::string testName(const std::string& caseName) {
    std::string out;
    for (const char c : caseName)
        out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
    return out;
}

} // namespace driftdeck::yaml::testdata
