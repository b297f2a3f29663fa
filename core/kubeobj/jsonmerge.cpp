#include "kubeobj/jsonmerge.h"

#include <QJsonObject>

namespace driftdeck::kubeobj {

QJsonValue mergeJson(const QJsonValue& target, const QJsonValue& patch) {
    if (!patch.isObject())
        return patch;
    QJsonObject out = target.isObject() ? target.toObject() : QJsonObject();
    const QJsonObject p = patch.toObject();
    for (auto it = p.begin(); it != p.end(); ++it) {
        if (it.value().isNull())
            out.remove(it.key());
        else
            out.insert(it.key(), mergeJson(out.value(it.key()), it.value()));
    }
    return out;
}

} // namespace driftdeck::kubeobj
