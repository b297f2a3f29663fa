#include "model/secretstring.h"

#include <QDebug>

namespace driftdeck {

QDebug operator<<(QDebug debug, const SecretString& secret) {
    QDebugStateSaver saver(debug);
    debug.noquote() << (secret.isEmpty() ? QStringLiteral("<empty>") : QStringLiteral("<redacted>"));
    return debug;
}

} // namespace driftdeck
