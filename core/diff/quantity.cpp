#include "diff/quantity.h"

#include <cmath>

namespace driftdeck::diff {

std::optional<long double> parseQuantity(const QString& text) {
    const QString s = text.trimmed();
    if (s.isEmpty() || s.size() > 64)
        return std::nullopt;
    qsizetype i = 0;
    if (s.at(0) == QLatin1Char('+') || s.at(0) == QLatin1Char('-'))
        ++i;
    const qsizetype digitsStart = i;
    bool sawDot = false;
    while (i < s.size() && (s.at(i).isDigit() || (s.at(i) == QLatin1Char('.') && !sawDot))) {
        sawDot = sawDot || s.at(i) == QLatin1Char('.');
        ++i;
    }
    if (i == digitsStart || (i == digitsStart + 1 && sawDot))
        return std::nullopt;
    bool ok = false;
    const long double number = s.left(i).toDouble(&ok);
    if (!ok)
        return std::nullopt;
    const QString suffix = s.mid(i);
    static const struct {
        const char* name;
        long double factor;
    } suffixes[] = {
        {"", 1.0L},
        {"n", 1e-9L},
        {"u", 1e-6L},
        {"m", 1e-3L},
        {"k", 1e3L},
        {"M", 1e6L},
        {"G", 1e9L},
        {"T", 1e12L},
        {"P", 1e15L},
        {"E", 1e18L},
        {"Ki", 1024.0L},
        {"Mi", 1048576.0L},
        {"Gi", 1073741824.0L},
        {"Ti", 1099511627776.0L},
        {"Pi", 1125899906842624.0L},
        {"Ei", 1152921504606846976.0L},
    };
    for (const auto& entry : suffixes)
        if (suffix == QLatin1String(entry.name))
            return number * entry.factor;
    // Decimal exponent: 1e3, 12E-2.
    if (suffix.size() >= 2 && (suffix.at(0) == QLatin1Char('e') || suffix.at(0) == QLatin1Char('E'))) {
        bool expOk = false;
        const int exponent = suffix.mid(1).toInt(&expOk);
        if (expOk && std::abs(exponent) <= 30)
            return number * std::pow(10.0L, exponent);
    }
    return std::nullopt;
}

bool quantitiesEqual(const QString& a, const QString& b) {
    const auto qa = parseQuantity(a);
    const auto qb = parseQuantity(b);
    if (!qa || !qb)
        return false;
    const long double scale = std::max(std::fabs(*qa), std::fabs(*qb));
    return std::fabs(*qa - *qb) <= scale * 1e-12L;
}

} // namespace driftdeck::diff
