#include "kubeobj/applymerge.h"

#include "kubeobj/fieldset.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>

namespace driftdeck::kubeobj {

QString listItemElement(const schema::Type* list, const QJsonValue& item) {
    if (list->listKind == schema::ListKind::Set)
        return FieldSet::valueElement(item);
    return FieldSet::keyElement(schema::listMapKey(list, item.toObject()));
}

QJsonValue applyMerge(const schema::Type* type, const QJsonValue& live, const QJsonValue& config) {
    type = schema::orAny(type);
    if (live.isObject() && config.isObject() && schema::isGranular(type)) {
        QJsonObject out = live.toObject();
        const QJsonObject c = config.toObject();
        for (auto it = c.begin(); it != c.end(); ++it) {
            if (it.value().isNull()) {
                out.remove(it.key());
                continue;
            }
            out.insert(it.key(),
                       applyMerge(schema::childType(type, it.key()), out.value(it.key()), it.value()));
        }
        return out;
    }
    if (live.isArray() && config.isArray() && schema::isItemised(type)) {
        QJsonArray out = live.toArray();
        QMap<QString, qsizetype> index;
        for (qsizetype i = 0; i < out.size(); ++i)
            index.insert(listItemElement(type, out.at(i)), i);
        for (const QJsonValue& item : config.toArray()) {
            const QString id = listItemElement(type, item);
            const auto found = index.constFind(id);
            if (found == index.constEnd()) {
                index.insert(id, out.size());
                out.append(item);
            } else if (type->listKind == schema::ListKind::Map) {
                out.replace(*found, applyMerge(type->elem, out.at(*found), item));
            }
        }
        return out;
    }
    return config;
}

} // namespace driftdeck::kubeobj
