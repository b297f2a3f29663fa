#pragma once

#include <QString>

namespace driftdeck {

// Replaces what looks like a credential with "<redacted>": PEM private keys, Authorization header
// values, URL user info (up to the last '@' before the host, as git and Go split it, so a password
// holding '@' goes whole), token-like query parameters and JSON/YAML fields. For text that comes
// from outside (a tool's stderr, a Git error, a server's message) before it reaches an Error or a
// log. Knows no particular secret: kube::SecretRegistry adds the ones of a connection.
QString redactCredentials(const QString& text);

} // namespace driftdeck
