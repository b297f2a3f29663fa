#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonValue>
#include <QMap>
#include <QString>
#include <QStringList>

#include <string>
#include <vector>

// Helpers for the data-driven YAML tests: tests/data/yaml/cases/NAME.yaml with NAME.json beside
// it (a JSON array of the stream's documents), and tests/data/yaml/errors/NAME.yaml with
// NAME.expect ("key: value" lines: line, message, kubectl accepts|rejects, lenient yes|no).
namespace driftdeck::yaml::testdata {

std::vector<std::string> caseNames(const QString& folder);
QString casePath(const QString& folder, const std::string& name, const QString& suffix);
QJsonArray expectedDocuments(const std::string& name);
QMap<QString, QString> errorExpectation(const std::string& name);
QString compact(const QJsonValue& value);

// JSON equality where a number is a number: 1 and 1.0 are equal, integers compare exactly.
bool sameJson(const QJsonValue& a, const QJsonValue& b);

// kubectl's `annotate --local -o json` output for a file: its objects without the probe annotation.
struct RefereeResult {
    bool ok = false;
    QString error; // kubectl's stderr when it rejected the file
    QJsonArray documents;
};
RefereeResult runReferee(const QString& path);

// A test name for gtest: letters, digits and underscores only.
std::string testName(const std::string& caseName);

} // namespace driftdeck::yaml::testdata
