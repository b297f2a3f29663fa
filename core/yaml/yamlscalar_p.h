#pragma once

#include <QJsonValue>
#include <QString>

#include <cstdint>
#include <string_view>

// Scalar resolution with the YAML 1.1 rules kubectl applies (sigs.k8s.io/yaml on go-yaml v2),
// shared by the reader (what a plain scalar means) and the writer (whether a string needs quotes).
namespace driftdeck::yaml::detail {

struct Scalar {
    enum class Kind { Null, Bool, Int, Unsigned, Float, String, Merge };
    Kind kind = Kind::String;
    bool boolean = false;
    qint64 integer = 0;
    quint64 unsignedInteger = 0;
    double real = 0;
    QString text; // for String (and the original text of every kind)
};

// UTF-8 to QString keeping a leading byte order mark, which QString::fromUtf8 would drop.
QString stringFromUtf8(std::string_view utf8);

// What an untagged plain scalar means: null, bool, int, float or string. `<<` is Merge.
Scalar resolvePlain(std::string_view text);

// True when `text`, written plain, would read back as something other than that string.
bool plainReadsAsOtherType(const QString& text);

// A double as kubectl's JSON round trip leaves it: integral values within int64 become integers
// (Go prints the shortest decimal and reads it back as int64 when it can).
QJsonValue jsonNumberFromDouble(double value);

// A map key as sigs.k8s.io/yaml turns a non-string key into a JSON key (floats use Go's
// FormatFloat(v, 'g', -1, 32)). False when kubectl rejects the key (null, beyond int64).
bool keyString(const Scalar& scalar, QString* out);

} // namespace driftdeck::yaml::detail
