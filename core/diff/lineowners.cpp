#include "diff/lineowners.h"

#include "kubeobj/applymerge.h"
#include "kubeobj/managedfields.h"

#include <QJsonDocument>

namespace driftdeck::diff {
namespace {

using kubeobj::FieldSet;
namespace managed = kubeobj::managed;
namespace schema = kubeobj::schema;

struct Owners {
    QList<managed::ManagerEntry> entries;

    LineOwner of(const FieldSet::Path& path) const {
        const managed::ManagerEntry* best = nullptr;
        for (const managed::ManagerEntry& entry : entries) {
            if (!entry.fields.contains(path))
                continue;
            const bool better =
                !best ||
                (entry.operation == QLatin1String("Apply") && best->operation != QLatin1String("Apply")) ||
                (entry.operation == best->operation && entry.time > best->time);
            if (better)
                best = &entry;
        }
        if (!best)
            return {};
        return {best->manager, best->operation, QDateTime::fromString(best->time, Qt::ISODate)};
    }
};

// One open container while the lines are walked: a map whose keys sit at `indent`, or a list whose
// "- " items sit at `indent`.
struct Frame {
    int indent = 0;
    FieldSet::Path path;
    QJsonValue value;
    const schema::Type* type = nullptr;
    bool isList = false;
    qsizetype nextItem = 0;
    // For atomic values (atomic lists and structs, which managedFields own as a whole): the owner of
    // the whole value, which every line inside it inherits.
    LineOwner inherited;
};

LineOwner inheritedFor(const schema::Type* type, bool isList, const LineOwner& own, const LineOwner& outer) {
    const bool atomic = isList ? !schema::isItemised(type) : !schema::isGranular(type);
    if (!outer.isNull())
        return outer;
    return atomic ? own : LineOwner();
}

QString unquotedKey(const QString& raw) {
    if (raw.size() >= 2 && raw.startsWith(QLatin1Char('"')) && raw.endsWith(QLatin1Char('"'))) {
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + raw.toUtf8() + "]");
        return doc.array().at(0).toString();
    }
    if (raw.size() >= 2 && raw.startsWith(QLatin1Char('\'')) && raw.endsWith(QLatin1Char('\''))) {
        QString inner = raw.mid(1, raw.size() - 2);
        return inner.replace(QLatin1String("''"), QLatin1String("'"));
    }
    return raw;
}

// Splits "key: rest" (the key may be quoted); false when the text is not a mapping entry.
bool splitKey(const QString& text, QString& key, QString& rest) {
    qsizetype colon = -1;
    if (text.startsWith(QLatin1Char('"')) || text.startsWith(QLatin1Char('\''))) {
        const QChar quote = text.at(0);
        for (qsizetype i = 1; i < text.size(); ++i) {
            if (text.at(i) == QLatin1Char('\\') && quote == QLatin1Char('"')) {
                ++i;
                continue;
            }
            if (text.at(i) == quote) {
                if (quote == QLatin1Char('\'') && i + 1 < text.size() && text.at(i + 1) == quote) {
                    ++i;
                    continue;
                }
                colon = i + 1;
                break;
            }
        }
        if (colon < 0 || colon >= text.size() || text.at(colon) != QLatin1Char(':'))
            return false;
    } else {
        colon = text.indexOf(QLatin1String(": "));
        if (colon < 0 && text.endsWith(QLatin1Char(':')))
            colon = text.size() - 1;
        if (colon < 0)
            return false;
    }
    key = unquotedKey(text.left(colon));
    rest = text.mid(colon + 1).trimmed();
    return true;
}

bool opensBlockScalar(const QString& rest) {
    return rest.startsWith(QLatin1Char('|')) || rest.startsWith(QLatin1Char('>'));
}

} // namespace

QList<LineOwner> lineOwners(const kubeobj::Object& shown, const QJsonArray& managedFields) {
    const QStringList& lines = shown.yamlLines();
    QList<LineOwner> out(lines.size());
    Owners owners{managed::decode(managedFields)};
    if (owners.entries.isEmpty())
        return out;

    const schema::Type* rootType = managed::typeFor(kubeobj::KindRef::fromObject(shown.json()));
    QList<Frame> stack{Frame{0, {}, shown.json(), rootType, false, 0, {}}};
    int blockIndent = -1; // the indent of a key whose block scalar is being read
    LineOwner blockOwner;

    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QString& line = lines.at(n);
        int indent = 0;
        while (indent < line.size() && line.at(indent) == QLatin1Char(' '))
            ++indent;
        if (blockIndent >= 0) {
            if (indent > blockIndent || line.trimmed().isEmpty()) {
                out[n] = blockOwner;
                continue;
            }
            blockIndent = -1;
        }
        while (stack.size() > 1 &&
               (indent < stack.last().indent || (stack.last().isList && indent == stack.last().indent &&
                                                 !line.mid(indent).startsWith(QLatin1Char('-')))))
            stack.removeLast();

        QString text = line.mid(indent);
        int column = indent;
        // "- " items, possibly nested ("- - x"), each opening the item's frame.
        while (text.startsWith(QLatin1String("- ")) || text == QLatin1String("-")) {
            Frame& list = stack.last();
            if (!list.isList)
                return out; // not the shape the writer produces: leave the rest unowned
            const QJsonArray items = list.value.toArray();
            if (list.nextItem >= items.size())
                return out;
            const QJsonValue item = items.at(list.nextItem++);
            const schema::Type* listType = schema::orAny(list.type);
            FieldSet::Path itemPath = list.path;
            if (schema::isItemised(listType))
                itemPath.append(kubeobj::listItemElement(listType, item));
            else
                itemPath.append(QStringLiteral("i:") + QString::number(list.nextItem - 1));
            const LineOwner itemOwner = owners.of(itemPath);
            out[n] = itemOwner.isNull() ? list.inherited : itemOwner;
            const schema::Type* elemType =
                listType->shape == schema::Shape::List && listType->elem ? listType->elem : schema::anyType();
            const LineOwner inherited = list.inherited;
            column += 2;
            text = text.mid(2);
            stack.append(Frame{column, itemPath, item, elemType, item.isArray(), 0, inherited});
            if (!item.isObject() && !item.isArray())
                break;
        }
        if (!stack.last().value.isObject())
            continue;
        QString key;
        QString rest;
        if (!splitKey(text, key, rest))
            continue;
        Frame& map = stack.last();
        const QJsonValue value = map.value.toObject().value(key);
        FieldSet::Path path = map.path;
        path.append(FieldSet::fieldElement(key));
        LineOwner owner = owners.of(path);
        if (owner.isNull())
            owner = map.inherited;
        if (!owner.isNull())
            out[n] = owner;
        const schema::Type* childType = schema::orAny(schema::childType(schema::orAny(map.type), key));
        const LineOwner outer = map.inherited;
        if (rest.isEmpty() && value.isObject())
            stack.append(Frame{column + 2, path, value, childType, false, 0,
                               inheritedFor(childType, false, owner, outer)});
        else if (rest.isEmpty() && value.isArray())
            stack.append(
                Frame{column, path, value, childType, true, 0, inheritedFor(childType, true, owner, outer)});
        else if (opensBlockScalar(rest)) {
            blockIndent = column;
            blockOwner = owner;
        }
    }
    return out;
}

} // namespace driftdeck::diff
