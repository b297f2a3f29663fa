#include "kubesim/labelselector.h"

namespace driftdeck::kubesim {
namespace {

ApiError badSelector(const QString& text, const QString& why) {
    return ApiError{400,
                    QStringLiteral("BadRequest"),
                    QStringLiteral("unable to parse requirement: %1: %2").arg(why, text),
                    {}};
}

// Splits on commas outside parentheses.
QStringList splitTerms(const QString& text) {
    QStringList terms;
    int depth = 0;
    QString current;
    for (QChar c : text) {
        if (c == QLatin1Char('('))
            ++depth;
        else if (c == QLatin1Char(')'))
            --depth;
        if (c == QLatin1Char(',') && depth == 0) {
            terms.append(current.trimmed());
            current.clear();
        } else {
            current.append(c);
        }
    }
    if (!current.trimmed().isEmpty())
        terms.append(current.trimmed());
    return terms;
}

bool validKey(const QString& key) {
    if (key.isEmpty())
        return false;
    for (QChar c : key) {
        if (!(c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_') ||
              c == QLatin1Char('.') || c == QLatin1Char('/')))
            return false;
    }
    return true;
}

} // namespace

std::variant<LabelSelector, ApiError> LabelSelector::parse(const QString& text) {
    LabelSelector selector;
    for (const QString& term : splitTerms(text)) {
        Requirement req;
        const qsizetype open = term.indexOf(QLatin1Char('('));
        if (open >= 0) {
            if (!term.endsWith(QLatin1Char(')')))
                return badSelector(text, QStringLiteral("missing closing parenthesis"));
            const QStringList head = term.left(open).simplified().split(QLatin1Char(' '));
            if (head.size() != 2 ||
                (head.at(1) != QLatin1String("in") && head.at(1) != QLatin1String("notin")))
                return badSelector(text, QStringLiteral("expected in or notin"));
            req.key = head.at(0);
            req.op = head.at(1) == QLatin1String("in") ? Op::In : Op::NotIn;
            for (const QString& v : term.mid(open + 1, term.size() - open - 2).split(QLatin1Char(',')))
                req.values.append(v.trimmed());
        } else if (const qsizetype ne = term.indexOf(QStringLiteral("!=")); ne >= 0) {
            req.key = term.left(ne).trimmed();
            req.op = Op::NotEquals;
            req.values = {term.mid(ne + 2).trimmed()};
        } else if (const qsizetype eq = term.indexOf(QLatin1Char('=')); eq >= 0) {
            req.key = term.left(eq).trimmed();
            req.op = Op::Equals;
            QString value = term.mid(eq + 1);
            if (value.startsWith(QLatin1Char('=')))
                value.remove(0, 1);
            req.values = {value.trimmed()};
        } else if (term.startsWith(QLatin1Char('!'))) {
            req.key = term.mid(1).trimmed();
            req.op = Op::NotExists;
        } else {
            req.key = term.trimmed();
            req.op = Op::Exists;
        }
        if (!validKey(req.key))
            return badSelector(text, QStringLiteral("invalid label key \"%1\"").arg(req.key));
        selector.m_requirements.append(req);
    }
    return selector;
}

bool LabelSelector::matches(const QJsonObject& labels) const {
    for (const Requirement& req : m_requirements) {
        const bool has = labels.contains(req.key);
        const QString value = labels.value(req.key).toString();
        switch (req.op) {
        case Op::Equals:
        case Op::In:
            if (!has || !req.values.contains(value))
                return false;
            break;
        case Op::NotEquals:
        case Op::NotIn:
            if (has && req.values.contains(value))
                return false;
            break;
        case Op::Exists:
            if (!has)
                return false;
            break;
        case Op::NotExists:
            if (has)
                return false;
            break;
        }
    }
    return true;
}

std::variant<FieldSelector, ApiError> FieldSelector::parse(const QString& text) {
    FieldSelector selector;
    for (const QString& term : splitTerms(text)) {
        Requirement req;
        qsizetype pos = term.indexOf(QStringLiteral("!="));
        int skip = 2;
        if (pos >= 0) {
            req.negated = true;
        } else if ((pos = term.indexOf(QStringLiteral("=="))) >= 0) {
            skip = 2;
        } else if ((pos = term.indexOf(QLatin1Char('='))) >= 0) {
            skip = 1;
        } else {
            return ApiError{400,
                            QStringLiteral("BadRequest"),
                            QStringLiteral("invalid selector: '%1'; can't understand '%2'").arg(text, term),
                            {}};
        }
        req.field = term.left(pos).trimmed();
        req.value = term.mid(pos + skip).trimmed();
        if (req.field != QLatin1String("metadata.name") && req.field != QLatin1String("metadata.namespace"))
            return ApiError{400,
                            QStringLiteral("BadRequest"),
                            QStringLiteral("field label not supported: %1").arg(req.field),
                            {}};
        selector.m_requirements.append(req);
    }
    return selector;
}

bool FieldSelector::matches(const QJsonObject& object) const {
    const QJsonObject meta = object.value(QStringLiteral("metadata")).toObject();
    for (const Requirement& req : m_requirements) {
        const QString actual = meta.value(req.field.mid(9)).toString();
        if ((actual == req.value) == req.negated)
            return false;
    }
    return true;
}

} // namespace driftdeck::kubesim
