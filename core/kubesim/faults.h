#pragma once

#include <QJsonObject>
#include <QStringList>

// Failures a simulated cluster can be told to produce, so clients' retry and resync paths get
// exercised. All off by default. Set by kubesim flags or POST /kubesim/faults (admin only).
namespace driftdeck::kubesim {

struct FaultSettings {
    int latencyMs = 0;           // added before every API response
    double errorRate = 0.0;      // share of API requests answered 500 InternalError
    double throttleRate = 0.0;   // share answered 429 TooManyRequests with Retry-After
    int retryAfterSeconds = 1;   // the Retry-After value of those 429s
    int dropWatchSeconds = 0;    // every watch stream is ended after this many seconds
    int refuseConnectionsMs = 0; // from the moment it is set: connections are dropped for this long
    // Watch streams go silent for good, as over a half-open connection (a laptop that slept, an
    // expired NAT entry): the connection stays open but nothing more is written, not even the end of
    // the stream. A stream that has stalled stays stalled after the fault is cleared.
    bool stallWatches = false;
    // The next N requests that authenticate with a bearer token are answered 401 Unauthorized, as if
    // the token had been revoked; counts down as they arrive.
    int rejectTokenRequests = 0;
    // Resources (plural names, e.g. "configmaps") every user is refused (403 Forbidden) on every verb,
    // as RBAC refuses them to a user without a role for them; clearing the list grants them again.
    QStringList forbiddenResources;

    QJsonObject toJson() const;
    // Keys as in toJson(); missing keys keep the current value.
    static FaultSettings fromJson(const QJsonObject& json, const FaultSettings& base);
    static FaultSettings fromJson(const QJsonObject& json) { return fromJson(json, FaultSettings()); }
};

} // namespace driftdeck::kubesim
