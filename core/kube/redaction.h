#pragma once

#include "model/error.h"

#include <QLoggingCategory>
#include <QString>

Q_DECLARE_LOGGING_CATEGORY(lcKube)

// Credentials reach this library from kubeconfigs, token files and exec plugins. Every string that
// leaves it — a log line or an Error — goes through redact() first, so a token or key can only leak
// if a new code path forgets the call; tests capture all log output to catch that.
namespace driftdeck::kube {

// Remembers a credential so redact() can replace it verbatim wherever it shows up (a server echoing
// a header, a plugin printing its token to stderr). Short values are ignored: they would mangle text.
void registerSecret(const QString& secret);
void registerSecret(const QByteArray& secret);

// Replaces registered secrets, PEM private keys, Authorization header values, URL user info and
// token-like query parameters or JSON fields with "<redacted>".
QString redact(const QString& text);

// An Error whose message and detail are redacted.
Error kubeError(Error::Code code, const QString& message, const QString& detail = {});

} // namespace driftdeck::kube
