#pragma once

#include "kubesim/apierror.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <variant>

namespace driftdeck::kubesim {

// ?labelSelector= as the API server reads it: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
// `a`, `!a`, joined by commas.
class LabelSelector {
public:
    static std::variant<LabelSelector, ApiError> parse(const QString& text);
    bool matches(const QJsonObject& labels) const;
    bool isEmpty() const { return m_requirements.isEmpty(); }

private:
    enum class Op { Equals, NotEquals, In, NotIn, Exists, NotExists };
    struct Requirement {
        QString key;
        Op op = Op::Exists;
        QStringList values;
    };
    QList<Requirement> m_requirements;
};

// ?fieldSelector= for the fields every type supports: metadata.name and metadata.namespace, with
// =, == and !=.
class FieldSelector {
public:
    static std::variant<FieldSelector, ApiError> parse(const QString& text);
    bool matches(const QJsonObject& object) const;

private:
    struct Requirement {
        QString field;
        bool negated = false;
        QString value;
    };
    QList<Requirement> m_requirements;
};

} // namespace driftdeck::kubesim
