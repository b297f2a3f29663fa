// YAML -> JSON, and the writer's promise (yamlcodec.h): parsing toYaml(value) gives back the same
// JSON value, and writing that again gives the same text. Line provenance rests on two more: the
// lines the reader records lie inside their document, and each canonical line's pointer
// (canonicalLinePointers) is recorded on that very line when the canonical text is read back.

#include "fuzzsupport.h"
#include "yaml/yamlcodec.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace driftdeck;

namespace {

QByteArray asJson(const QJsonValue& value) {
    return fuzz::compact(QJsonDocument(QJsonArray{value}));
}

// The provenance properties of one value read from `input` (`recorded`: its document read with
// recordLines).
void checkLines(const yaml::Document& recorded, const QByteArray& written,
                const yaml::ParseOptions& readBack) {
    for (auto it = recorded.pointerLines.cbegin(); it != recorded.pointerLines.cend(); ++it) {
        if (it.value() < recorded.line || it.value() > recorded.lastLine)
            fuzz::propertyFailed("a recorded line lies outside its document", it.key().toUtf8(),
                                 QByteArray::number(it.value()));
    }
    QByteArray text = written;
    if (text.endsWith('\n'))
        text.chop(1);
    const QStringList pointers = yaml::canonicalLinePointers(recorded.value);
    if (pointers.size() != text.count('\n') + 1)
        fuzz::propertyFailed("canonicalLinePointers gives another line count than toYaml", written,
                             pointers.join(u'\n').toUtf8());
    yaml::ParseOptions withLines = readBack;
    withLines.recordLines = true;
    const auto reread = yaml::parseStream(written, QStringLiteral("written.yaml"), withLines);
    if (!reread || reread->size() != 1)
        return; // the round trip itself is checked by the caller
    const QHash<QString, int>& lines = reread->front().pointerLines;
    for (qsizetype i = 0; i < pointers.size(); ++i) {
        if (i > 0 && pointers.at(i) == pointers.at(i - 1))
            continue; // a continuation line of a block scalar or a long key
        if (lines.value(pointers.at(i), -1) != int(i) + 1)
            fuzz::propertyFailed("a canonical line's pointer is recorded on another line", written,
                                 pointers.at(i).toUtf8() + " at line " + QByteArray::number(i + 1) +
                                     ", recorded " + QByteArray::number(lines.value(pointers.at(i), -1)));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray input = fuzz::bytes(data, size);
    const auto documents = yaml::parseStream(input, QStringLiteral("fuzz.yaml"));
    if (!documents)
        return 0;
    yaml::ParseOptions recording;
    recording.recordLines = true;
    const auto recorded = yaml::parseStream(input, QStringLiteral("fuzz.yaml"), recording);
    if (!recorded || recorded->size() != documents->size())
        fuzz::propertyFailed("recording lines changes what the stream reads as", input, {});
    yaml::ParseOptions readBack;
    readBack.allowNonFiniteNumbers = true; // the writer may print .inf for a huge number
    for (qsizetype n = 0; n < documents->size(); ++n) {
        const yaml::Document& document = documents->at(n);
        if (recorded->at(n).value != document.value || recorded->at(n).line != document.line)
            fuzz::propertyFailed("recording lines changes a document", asJson(document.value),
                                 asJson(recorded->at(n).value));
        const QByteArray written = yaml::toYaml(document.value);
        checkLines(recorded->at(n), written, readBack);
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
