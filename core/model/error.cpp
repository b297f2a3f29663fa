#include "model/error.h"

namespace driftdeck {

QString Error::codeName(Code code) {
    switch (code) {
    case Code::Invalid:
        return QStringLiteral("invalid");
    case Code::NotFound:
        return QStringLiteral("not found");
    case Code::Conflict:
        return QStringLiteral("conflict");
    case Code::Unauthorized:
        return QStringLiteral("unauthorized");
    case Code::Forbidden:
        return QStringLiteral("forbidden");
    case Code::Unavailable:
        return QStringLiteral("unavailable");
    case Code::Cancelled:
        return QStringLiteral("cancelled");
    case Code::TooLarge:
        return QStringLiteral("too large");
    case Code::External:
        return QStringLiteral("external tool failed");
    case Code::Internal:
        return QStringLiteral("internal error");
    }
    return QStringLiteral("unknown");
}

QString Error::toString() const {
    if (detail.isEmpty())
        return message;
    return message + QLatin1Char('\n') + detail;
}

} // namespace driftdeck
