#include "diff/quantity.h"

namespace driftdeck::diff {
namespace {

using Nanos = __int128; // base units × 10^9: exact for every quantity the API stores

constexpr Nanos kNanosLimit = Nanos(1) << 120;

// Multiplies with an overflow check; nothing when the product leaves kNanosLimit.
std::optional<Nanos> times(Nanos a, Nanos b) {
    if (a == 0 || b == 0)
        return Nanos(0);
    const Nanos absA = a < 0 ? -a : a;
    const Nanos absB = b < 0 ? -b : b;
    if (absA > kNanosLimit / absB)
        return std::nullopt;
    return a * b;
}

std::optional<Nanos> parseNanos(const QString& text) {
    const QString s = text.trimmed();
    if (s.isEmpty() || s.size() > 64)
        return std::nullopt;
    qsizetype i = 0;
    bool negative = false;
    if (s.at(0) == QLatin1Char('+') || s.at(0) == QLatin1Char('-')) {
        negative = s.at(0) == QLatin1Char('-');
        ++i;
    }
    Nanos mantissa = 0;
    int fractionDigits = 0;
    bool sawDigit = false;
    bool sawDot = false;
    for (; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c == QLatin1Char('.') && !sawDot) {
            sawDot = true;
            continue;
        }
        if (!c.isDigit() || c.unicode() > '9')
            break;
        sawDigit = true;
        if (mantissa > kNanosLimit / 10)
            return std::nullopt;
        mantissa = mantissa * 10 + (c.unicode() - '0');
        if (sawDot)
            ++fractionDigits;
    }
    if (!sawDigit)
        return std::nullopt;
    const QString suffix = s.mid(i);
    int exponent10 = -fractionDigits;
    Nanos binaryFactor = 1;
    static const struct {
        const char* name;
        int exponent10;
        int exponent2;
    } suffixes[] = {
        {"", 0, 0},    {"n", -9, 0},  {"u", -6, 0},  {"m", -3, 0},  {"k", 3, 0},   {"M", 6, 0},
        {"G", 9, 0},   {"T", 12, 0},  {"P", 15, 0},  {"E", 18, 0},  {"Ki", 0, 10}, {"Mi", 0, 20},
        {"Gi", 0, 30}, {"Ti", 0, 40}, {"Pi", 0, 50}, {"Ei", 0, 60},
    };
    bool known = false;
    for (const auto& entry : suffixes) {
        if (suffix == QLatin1String(entry.name)) {
            exponent10 += entry.exponent10;
            binaryFactor = Nanos(1) << entry.exponent2;
            known = true;
            break;
        }
    }
    if (!known) {
        if (suffix.size() < 2 || (suffix.at(0) != QLatin1Char('e') && suffix.at(0) != QLatin1Char('E')))
            return std::nullopt;
        bool ok = false;
        const int e = suffix.mid(1).toInt(&ok);
        if (!ok || e < -40 || e > 40)
            return std::nullopt;
        exponent10 += e;
    }
    // value = mantissa × 10^exponent10 × binaryFactor; in nanos: × 10^(exponent10 + 9).
    exponent10 += 9;
    auto value = times(mantissa, binaryFactor);
    for (; value && exponent10 > 0; --exponent10)
        value = times(*value, 10);
    if (!value)
        return std::nullopt;
    // Below a nano the API rounds up; the same rounding keeps equal values equal.
    for (; exponent10 < 0; ++exponent10)
        *value = *value / 10 + (*value % 10 != 0 ? 1 : 0);
    return negative ? -*value : *value;
}

} // namespace

std::optional<long double> parseQuantity(const QString& text) {
    const auto nanos = parseNanos(text);
    if (!nanos)
        return std::nullopt;
    return static_cast<long double>(*nanos) / 1e9L;
}

bool quantitiesEqual(const QString& a, const QString& b) {
    const auto qa = parseNanos(a);
    const auto qb = parseNanos(b);
    return qa && qb && *qa == *qb;
}

} // namespace driftdeck::diff
