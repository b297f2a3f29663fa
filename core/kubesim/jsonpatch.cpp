// RFC 6902 JSON patch, with RFC 6901 pointers (~0 and ~1 escapes, "-" for the end of an array).

#include "kubesim/patch.h"
#include "kubesim/semantics.h"

#include <QJsonArray>
#include <QJsonObject>

namespace driftdeck::kubesim {
namespace {

enum class Mode { Add, Replace, Remove };

std::optional<QStringList> parsePointer(const QString& pointer) {
    if (pointer.isEmpty())
        return QStringList();
    if (!pointer.startsWith(QLatin1Char('/')))
        return std::nullopt;
    QStringList tokens = pointer.mid(1).split(QLatin1Char('/'));
    for (QString& t : tokens) {
        t.replace(QLatin1String("~1"), QLatin1String("/"));
        t.replace(QLatin1String("~0"), QLatin1String("~"));
    }
    return tokens;
}

// An array index token: digits only, no leading zero (RFC 6901).
std::optional<qsizetype> arrayIndex(const QString& token) {
    if (token.isEmpty() || (token.size() > 1 && token.startsWith(QLatin1Char('0'))))
        return std::nullopt;
    bool ok = false;
    const qsizetype i = token.toLongLong(&ok);
    if (!ok || i < 0 || token.startsWith(QLatin1Char('+')))
        return std::nullopt;
    return i;
}

std::optional<QJsonValue> getAt(const QJsonValue& root, const QStringList& tokens) {
    QJsonValue node = root;
    for (const QString& t : tokens) {
        if (node.isObject()) {
            const QJsonObject o = node.toObject();
            if (!o.contains(t))
                return std::nullopt;
            node = o.value(t);
        } else if (node.isArray()) {
            const QJsonArray a = node.toArray();
            const auto i = arrayIndex(t);
            if (!i || *i >= a.size())
                return std::nullopt;
            node = a.at(*i);
        } else {
            return std::nullopt;
        }
    }
    return node;
}

bool setAt(QJsonValue& node, const QStringList& tokens, qsizetype at, Mode mode, const QJsonValue& value) {
    const QString& t = tokens.at(at);
    const bool last = at == tokens.size() - 1;
    if (node.isObject()) {
        QJsonObject o = node.toObject();
        if (last) {
            if (mode != Mode::Add && !o.contains(t))
                return false;
            if (mode == Mode::Remove)
                o.remove(t);
            else
                o.insert(t, value);
        } else {
            if (!o.contains(t))
                return false;
            QJsonValue child = o.value(t);
            if (!setAt(child, tokens, at + 1, mode, value))
                return false;
            o.insert(t, child);
        }
        node = o;
        return true;
    }
    if (node.isArray()) {
        QJsonArray a = node.toArray();
        if (last && mode == Mode::Add && t == QLatin1String("-")) {
            a.append(value);
            node = a;
            return true;
        }
        const auto i = arrayIndex(t);
        if (!i)
            return false;
        if (last) {
            if (mode == Mode::Add) {
                if (*i > a.size())
                    return false;
                a.insert(*i, value);
            } else {
                if (*i >= a.size())
                    return false;
                if (mode == Mode::Remove)
                    a.removeAt(*i);
                else
                    a.replace(*i, value);
            }
        } else {
            if (*i >= a.size())
                return false;
            QJsonValue child = a.at(*i);
            if (!setAt(child, tokens, at + 1, mode, value))
                return false;
            a.replace(*i, child);
        }
        node = a;
        return true;
    }
    return false;
}

bool apply(QJsonValue& doc, const QStringList& tokens, Mode mode, const QJsonValue& value) {
    if (tokens.isEmpty()) {
        if (mode == Mode::Remove)
            return false;
        doc = value; // the whole document
        return true;
    }
    return setAt(doc, tokens, 0, mode, value);
}

} // namespace

std::variant<QJsonObject, ApiError> jsonPatch(const KindRef& kind, const QJsonObject& live,
                                              const QByteArray& patchJson) {
    Q_UNUSED(kind);
    auto parsed = patch::parseBody(patchJson);
    if (auto* error = std::get_if<ApiError>(&parsed))
        return *error;
    const QJsonValue body = std::get<QJsonValue>(parsed);
    if (!body.isArray())
        return patch::badRequest(
            QStringLiteral("json: cannot unmarshal object into Go value of type jsonpatch.Patch"));

    QJsonValue doc = live;
    for (const QJsonValue& opValue : body.toArray()) {
        const QJsonObject op = opValue.toObject();
        const QString name = op.value(QLatin1String("op")).toString();
        const QString pathText = op.value(QLatin1String("path")).toString();
        const auto path = parsePointer(pathText);
        if (!op.contains(QLatin1String("path")) || !path)
            return patch::badRequest(QStringLiteral("invalid JSON Pointer: \"%1\"").arg(pathText));
        const QJsonValue value = op.value(QLatin1String("value"));
        const bool needsValue =
            name == QLatin1String("add") || name == QLatin1String("replace") || name == QLatin1String("test");
        if (needsValue && !op.contains(QLatin1String("value")))
            return patch::badRequest(QStringLiteral("%1 operation does not apply: missing value").arg(name));

        if (name == QLatin1String("add")) {
            if (!apply(doc, *path, Mode::Add, value))
                return patch::invalid(
                    QStringLiteral("add operation does not apply: doc is missing path: \"%1\"")
                        .arg(pathText));
        } else if (name == QLatin1String("remove")) {
            if (!apply(doc, *path, Mode::Remove, {}))
                return patch::invalid(
                    QStringLiteral("remove operation does not apply: doc is missing path: \"%1\"")
                        .arg(pathText));
        } else if (name == QLatin1String("replace")) {
            if (!apply(doc, *path, Mode::Replace, value))
                return patch::invalid(
                    QStringLiteral("replace operation does not apply: doc is missing key: %1").arg(pathText));
        } else if (name == QLatin1String("test")) {
            const auto current = getAt(doc, *path);
            if (!current || *current != value)
                return patch::invalid(QStringLiteral("testing value %1 failed: test failed").arg(pathText));
        } else if (name == QLatin1String("move") || name == QLatin1String("copy")) {
            const QString fromText = op.value(QLatin1String("from")).toString();
            const auto from = parsePointer(fromText);
            if (!op.contains(QLatin1String("from")) || !from)
                return patch::badRequest(
                    QStringLiteral("%1 operation does not apply: missing from").arg(name));
            const auto source = getAt(doc, *from);
            if (!source)
                return patch::invalid(
                    QStringLiteral("%1 operation does not apply: doc is missing from path: \"%2\"")
                        .arg(name, fromText));
            if (name == QLatin1String("move")) {
                if (pathText.startsWith(fromText + QLatin1Char('/')))
                    return patch::invalid(
                        QStringLiteral("move operation does not apply: \"from\" is a prefix of \"path\""));
                apply(doc, *from, Mode::Remove, {});
            }
            if (!apply(doc, *path, Mode::Add, *source))
                return patch::invalid(
                    QStringLiteral("%1 operation does not apply: doc is missing destination path: \"%2\"")
                        .arg(name, pathText));
        } else {
            return patch::badRequest(QStringLiteral("Unexpected kind: %1").arg(name));
        }
    }
    if (!doc.isObject())
        return patch::invalid(QStringLiteral("the patched document is not an object"));
    return doc.toObject();
}

} // namespace driftdeck::kubesim
