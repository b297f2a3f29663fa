#include "history/historytypes.h"

#include <QtGlobal>

#include <pwd.h>
#include <unistd.h>

namespace driftdeck::history {

bool isKnownKind(const QString& kind) {
    return kind == kinds::sync || kind == kinds::rollback || kind == kinds::revert || kind == kinds::resume ||
           kind == kinds::pause;
}

bool isKnownOutcome(const QString& outcome) {
    return outcome == outcomes::succeeded || outcome == outcomes::failed || outcome == outcomes::cancelled ||
           outcome == outcomes::partiallySucceeded || outcome == outcomes::running;
}

QString currentOsUser() {
    for (const char* variable : {"USER", "LOGNAME"}) {
        const QString value = qEnvironmentVariable(variable).trimmed();
        if (!value.isEmpty())
            return value;
    }
    // getpwuid_r: the history thread and the UI may ask at the same time.
    long size = sysconf(_SC_GETPW_R_SIZE_MAX);
    if (size <= 0)
        size = 16384;
    QByteArray buffer(static_cast<qsizetype>(size), Qt::Uninitialized);
    passwd entry{};
    passwd* found = nullptr;
    if (getpwuid_r(geteuid(), &entry, buffer.data(), static_cast<size_t>(buffer.size()), &found) == 0 &&
        found && found->pw_name && *found->pw_name)
        return QString::fromLocal8Bit(found->pw_name);
    return QStringLiteral("unknown");
}

} // namespace driftdeck::history
