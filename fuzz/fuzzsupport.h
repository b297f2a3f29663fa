#pragma once

#include <QByteArray>
#include <QJsonDocument>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

// Helpers shared by the fuzz targets. Each target defines LLVMFuzzerTestOneInput; it is linked
// either with libFuzzer (cmake --preset fuzz) or with replaymain.cpp (the fuzz-regression tests).
namespace driftdeck::fuzz {

inline QByteArray bytes(const uint8_t* data, size_t size) {
    return QByteArray(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
}

// Splits an input at its first `separator` byte: two independent inputs from one. Without the
// byte the whole input is the second part and the first is empty.
inline std::pair<QByteArray, QByteArray> splitAt(const QByteArray& input, char separator) {
    const qsizetype at = input.indexOf(separator);
    if (at < 0)
        return {QByteArray(), input};
    return {input.left(at), input.mid(at + 1)};
}

// A broken property is a finding like a crash: print what differs, then abort so that libFuzzer
// saves the input and the replay test fails.
[[noreturn]] inline void propertyFailed(const char* what, const QByteArray& expected,
                                        const QByteArray& actual) {
    std::fprintf(stderr, "fuzz property failed: %s\n--- expected\n%s\n--- actual\n%s\n", what,
                 expected.constData(), actual.constData());
    std::abort();
}

inline QByteArray compact(const QJsonDocument& doc) {
    return doc.toJson(QJsonDocument::Compact);
}

} // namespace driftdeck::fuzz
