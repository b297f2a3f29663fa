// fieldsV1 and managedFields decoding. A JSON object is read as one fieldsV1 set, an array as a
// managedFields list. Property: a set written back with toFieldsV1 reads as the same set, and
// encode(decode(x)) decodes to the same entries.

#include "fuzzsupport.h"
#include "kubeobj/fieldset.h"
#include "kubeobj/managedfields.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace driftdeck;
using kubeobj::FieldSet;

namespace {

void checkRoundTrip(const FieldSet& set) {
    const QJsonObject written = set.toFieldsV1();
    const FieldSet reread = FieldSet::fromFieldsV1(written);
    if (!(reread == set))
        fuzz::propertyFailed("toFieldsV1 reads back as another set", fuzz::compact(QJsonDocument(written)),
                             fuzz::compact(QJsonDocument(reread.toFieldsV1())));
    for (const FieldSet::Path& path : set.paths()) {
        if (!set.contains(path) || !set.containsPrefix(path))
            fuzz::propertyFailed("a member of paths() is not contained", path.join(u'/').toUtf8(),
                                 QByteArray());
        (void)FieldSet::pathString(path);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QJsonDocument doc = QJsonDocument::fromJson(fuzz::bytes(data, size));
    if (doc.isObject()) {
        const FieldSet set = FieldSet::fromFieldsV1(doc.object());
        checkRoundTrip(set);
        const FieldSet half = FieldSet::fromFieldsV1(doc.object().value(QStringLiteral("f:spec")).toObject());
        (void)set.united(half).subtracted(set).intersected(half);
        return 0;
    }
    if (!doc.isArray())
        return 0;
    const QList<kubeobj::managed::ManagerEntry> entries = kubeobj::managed::decode(doc.array());
    for (const auto& entry : entries) {
        checkRoundTrip(entry.fields);
        (void)entry.identity();
        (void)entry.printable();
    }
    const QJsonArray encoded = kubeobj::managed::encode(entries);
    const QList<kubeobj::managed::ManagerEntry> again = kubeobj::managed::decode(encoded);
    if (kubeobj::managed::encode(again) != encoded)
        fuzz::propertyFailed("encode(decode(encode(x))) differs from encode(x)",
                             fuzz::compact(QJsonDocument(encoded)),
                             fuzz::compact(QJsonDocument(kubeobj::managed::encode(again))));
    return 0;
}
