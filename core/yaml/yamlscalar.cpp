#include "yaml/yamlscalar_p.h"

#include <QByteArray>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace driftdeck::yaml::detail {
namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

int digitValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99;
}

// Go's strconv.ParseUint(s, 0, 64) magnitude part: 0x/0o/0b prefixes, leading 0 means octal.
bool parseMagnitude(std::string_view s, quint64* out) {
    if (s.empty())
        return false;
    int base = 10;
    if (s.size() >= 2 && s[0] == '0') {
        const char p = s[1];
        if (p == 'x' || p == 'X') {
            base = 16;
            s.remove_prefix(2);
        } else if (p == 'o' || p == 'O') {
            base = 8;
            s.remove_prefix(2);
        } else if (p == 'b' || p == 'B') {
            base = 2;
            s.remove_prefix(2);
        } else {
            base = 8;
            s.remove_prefix(1);
        }
        if (s.empty())
            return false;
    }
    quint64 value = 0;
    for (const char c : s) {
        const int d = digitValue(c);
        if (d >= base)
            return false;
        if (value > (std::numeric_limits<quint64>::max() - quint64(d)) / quint64(base))
            return false; // out of range: Go reports ErrRange
        value = value * quint64(base) + quint64(d);
    }
    *out = value;
    return true;
}

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool matchesYamlFloat(std::string_view s) {
    size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
        ++i;
    if (i < s.size() && s[i] == '.') {
        ++i;
        const size_t start = i;
        while (i < s.size() && isDigit(s[i]))
            ++i;
        if (i == start)
            return false;
    } else {
        const size_t start = i;
        while (i < s.size() && isDigit(s[i]))
            ++i;
        if (i == start)
            return false;
        if (i < s.size() && s[i] == '.') {
            ++i;
            while (i < s.size() && isDigit(s[i]))
                ++i;
        }
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        const size_t start = i;
        while (i < s.size() && isDigit(s[i]))
            ++i;
        if (i == start)
            return false;
    }
    return i == s.size();
}

// strconv.ParseFloat for text already known to be a plain decimal float; overflow fails like Go.
bool parseFloat(std::string_view s, double* out) {
    const std::string copy(s.starts_with('+') ? s.substr(1) : s);
    double value = 0;
    const auto [end, ec] = std::from_chars(copy.data(), copy.data() + copy.size(), value);
    if (end != copy.data() + copy.size())
        return false;
    if (ec == std::errc::result_out_of_range) {
        // from_chars reports underflow as out of range too; Go gives 0 there and Inf is an error.
        const double probe = std::strtod(copy.c_str(), nullptr);
        if (std::isinf(probe))
            return false;
        value = probe;
    } else if (ec != std::errc()) {
        return false;
    }
    *out = value;
    return true;
}

Scalar make(Scalar::Kind kind, std::string_view text) {
    Scalar s;
    s.kind = kind;
    s.text = stringFromUtf8(text);
    return s;
}

bool lookupWord(std::string_view t, Scalar* out) {
    static constexpr std::string_view trues[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                                 "True", "TRUE", "on",  "On",  "ON"};
    static constexpr std::string_view falses[] = {"n",     "N",     "no",  "No",  "NO", "false",
                                                  "False", "FALSE", "off", "Off", "OFF"};
    static constexpr std::string_view nulls[] = {"", "~", "null", "Null", "NULL"};
    static constexpr std::string_view nans[] = {".nan", ".NaN", ".NAN"};
    static constexpr std::string_view infs[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"};
    static constexpr std::string_view negInfs[] = {"-.inf", "-.Inf", "-.INF"};
    auto in = [t](const auto& list) {
        for (const auto& w : list) {
            if (w == t)
                return true;
        }
        return false;
    };
    if (in(trues) || in(falses)) {
        *out = make(Scalar::Kind::Bool, t);
        out->boolean = in(trues);
        return true;
    }
    if (in(nulls)) {
        *out = make(Scalar::Kind::Null, t);
        return true;
    }
    if (in(nans) || in(infs) || in(negInfs)) {
        *out = make(Scalar::Kind::Float, t);
        out->real = in(nans) ? std::numeric_limits<double>::quiet_NaN()
                             : (in(infs) ? std::numeric_limits<double>::infinity()
                                         : -std::numeric_limits<double>::infinity());
        return true;
    }
    return false;
}

} // namespace

QString stringFromUtf8(std::string_view utf8) {
    QString out = QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
    if (utf8.starts_with("\xEF\xBB\xBF"))
        out.prepend(QChar(0xFEFF));
    return out;
}

Scalar resolvePlain(std::string_view t) {
    Scalar result;
    if (t == "<<")
        return make(Scalar::Kind::Merge, t);
    // go-yaml only looks further when the first character hints at a non-string.
    const char first = t.empty() ? 'N' : t.front();
    const bool wordHint = std::string_view("yYnNtTfFoO~.N").find(first) != std::string_view::npos;
    const bool numberHint = isDigit(first) || first == '+' || first == '-';
    if ((wordHint || numberHint) && lookupWord(t, &result))
        return result;
    if (first == '.') {
        double value = 0;
        if (matchesYamlFloat(t) && parseFloat(t, &value)) {
            result = make(Scalar::Kind::Float, t);
            result.real = value;
            return result;
        }
    } else if (numberHint) {
        std::string plain;
        plain.reserve(t.size());
        for (const char c : t) {
            if (c != '_')
                plain.push_back(c);
        }
        std::string_view p(plain);
        const bool negative = p.starts_with('-');
        const bool signedText = negative || p.starts_with('+');
        quint64 magnitude = 0;
        if (parseMagnitude(signedText ? p.substr(1) : p, &magnitude)) {
            const quint64 limit = quint64(std::numeric_limits<qint64>::max()) + (negative ? 1 : 0);
            if (magnitude <= limit) {
                result = make(Scalar::Kind::Int, t);
                result.integer = negative ? qint64(0 - magnitude) : qint64(magnitude);
                return result;
            }
            if (!signedText) { // ParseUint takes no sign
                result = make(Scalar::Kind::Unsigned, t);
                result.unsignedInteger = magnitude;
                return result;
            }
        }
        double value = 0;
        if (matchesYamlFloat(p) && parseFloat(p, &value)) {
            result = make(Scalar::Kind::Float, t);
            result.real = value;
            return result;
        }
    }
    return make(Scalar::Kind::String, t);
}

bool plainReadsAsOtherType(const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    return resolvePlain(std::string_view(utf8.constData(), size_t(utf8.size()))).kind != Scalar::Kind::String;
}

QJsonValue jsonNumberFromDouble(double value) {
    if (!std::isfinite(value) || value != std::trunc(value) || std::fabs(value) >= 9223372036854775808.0)
        return QJsonValue(value);
    if (std::fabs(value) < 9007199254740992.0)
        return QJsonValue(qint64(value)); // exact, and -0 becomes 0 as in kubectl
    // Go prints the shortest decimal that reads back as this double, padded with zeros, and
    // that integer (not the double's exact value) is what kubectl ends up with.
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    if (ec != std::errc())
        return QJsonValue(value);
    const std::string_view s(buf, size_t(end - buf));
    const size_t e = s.find('e');
    std::string digits;
    for (const char c : s.substr(0, e)) {
        if (isDigit(c))
            digits.push_back(c);
    }
    int exponent = 0;
    std::from_chars(s.data() + e + 1 + (s[e + 1] == '+' ? 1 : 0), s.data() + s.size(), exponent);
    while (int(digits.size()) < exponent + 1)
        digits.push_back('0');
    qint64 magnitude = 0;
    const auto [p, ec2] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
    Q_UNUSED(p);
    if (ec2 != std::errc())
        return QJsonValue(value);
    return QJsonValue(value < 0 ? -magnitude : magnitude);
}

namespace {

// strconv.FormatFloat(v, 'g', -1, 32): the shortest float32 digits, in exponent form when the
// decimal exponent is below -4 or at least 6.
QString goFormatFloat32(double v) {
    if (std::isnan(v))
        return QStringLiteral(".nan");
    // A finite double beyond float32's range is infinite as a float32 (Go's "+Inf"), which
    // sigs.k8s.io/yaml spells as YAML does.
    const float f = float(v);
    if (std::isinf(f))
        return f > 0 ? QStringLiteral(".inf") : QStringLiteral("-.inf");
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
    if (ec != std::errc())
        return QString::number(v);
    const std::string_view s(buf, size_t(end - buf));
    const size_t e = s.find('e');
    const bool negative = s.front() == '-';
    std::string digits;
    for (const char c : s.substr(0, e)) {
        if (isDigit(c))
            digits.push_back(c);
    }
    int exp = 0;
    std::from_chars(s.data() + e + 1 + (s[e + 1] == '+' ? 1 : 0), s.data() + s.size(), exp);
    const int nd = int(digits.size());
    const int eprec = 6; // Go's choice for the shortest form
    std::string out = negative ? "-" : "";
    if (exp < -4 || exp >= eprec) {
        out += digits[0];
        if (nd > 1) {
            out += '.';
            out += digits.substr(1);
        }
        out += 'e';
        out += exp < 0 ? '-' : '+';
        const int a = std::abs(exp);
        if (a < 10)
            out += '0';
        out += std::to_string(a);
    } else if (exp < 0) {
        out += "0.";
        out += std::string(size_t(-exp - 1), '0');
        out += digits;
    } else {
        if (nd <= exp + 1) {
            out += digits + std::string(size_t(exp + 1 - nd), '0');
        } else {
            out += digits.substr(0, size_t(exp + 1));
            out += '.';
            out += digits.substr(size_t(exp + 1));
        }
    }
    return QString::fromLatin1(out.data(), qsizetype(out.size()));
}

} // namespace

bool keyString(const Scalar& scalar, QString* out) {
    switch (scalar.kind) {
    case Scalar::Kind::Null:
        return false;
    case Scalar::Kind::Bool:
        *out = scalar.boolean ? QStringLiteral("true") : QStringLiteral("false");
        return true;
    case Scalar::Kind::Int:
        *out = QString::number(scalar.integer);
        return true;
    case Scalar::Kind::Unsigned: // sigs.k8s.io/yaml has no case for uint64 keys
        return false;
    case Scalar::Kind::Float:
        *out = goFormatFloat32(scalar.real);
        return true;
    case Scalar::Kind::String:
    case Scalar::Kind::Merge:
        *out = scalar.text;
        return true;
    }
    return false;
}

} // namespace driftdeck::yaml::detail
