#pragma once

// Small helpers for tests that build and inspect Kubernetes objects as JSON.

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <gtest/gtest.h>

namespace driftdeck::test {

// A JSON object from literal text (tests only: invalid text gives an empty object).
inline QJsonObject json(const char* text) {
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

// A step below a JSON value: a name indexes an object, a number an array.
struct JsonStep {
    JsonStep(const char* key)
        : name(QString::fromUtf8(key)) {}
    JsonStep(int i)
        : index(i) {}
    QString name;
    int index = -1;
};

// at(object, "spec", "containers", 0, "name")
template <typename... Keys>
QJsonValue at(const QJsonValue& root, Keys... keys) {
    QJsonValue v = root;
    for (const JsonStep& s : {JsonStep(keys)...})
        v = s.index >= 0 ? v.toArray().at(s.index) : v.toObject().value(s.name);
    return v;
}

} // namespace driftdeck::test
