// YAML -> JSON, and the writer's promise (yamlcodec.h): parsing toYaml(value) gives back the same
// JSON value, and writing that again gives the same text.

#include "fuzzsupport.h"
#include "yaml/yamlcodec.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace driftdeck;

namespace {

QByteArray asJson(const QJsonValue& value) {
    return fuzz::compact(QJsonDocument(QJsonArray{value}));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray input = fuzz::bytes(data, size);
    const auto documents = yaml::parseStream(input, QStringLiteral("fuzz.yaml"));
    if (!documents)
        return 0;
    yaml::ParseOptions readBack;
    readBack.allowNonFiniteNumbers = true; // the writer may print .inf for a huge number
    for (const yaml::Document& document : *documents) {
        const QByteArray written = yaml::toYaml(document.value);
        const auto reread = yaml::parseDocument(written, QStringLiteral("written.yaml"), readBack);
        if (!reread)
            fuzz::propertyFailed("toYaml output does not parse", written, reread.error().message.toUtf8());
        if (*reread != document.value)
            fuzz::propertyFailed("toYaml output reads back as another value", asJson(document.value),
                                 asJson(*reread));
        const QByteArray rewritten = yaml::toYaml(*reread);
        if (rewritten != written)
            fuzz::propertyFailed("toYaml is not stable", written, rewritten);
    }
    // The stream writer joins documents; reading it back gives the same documents.
    QList<QJsonValue> values;
    for (const yaml::Document& document : *documents)
        values.append(document.value);
    const auto stream =
        yaml::parseStream(yaml::toYamlStream(values), QStringLiteral("stream.yaml"), readBack);
    if (!stream)
        fuzz::propertyFailed("toYamlStream output does not parse", yaml::toYamlStream(values),
                             stream.error().message.toUtf8());
    QList<QJsonValue> rereadValues;
    for (const yaml::Document& document : *stream)
        rereadValues.append(document.value);
    if (rereadValues != values)
        fuzz::propertyFailed("toYamlStream output reads back as other documents", yaml::toYamlStream(values),
                             yaml::toYamlStream(rereadValues));
    return 0;
}
