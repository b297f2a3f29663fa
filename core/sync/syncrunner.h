#pragma once

#include "health/health.h"
#include "kube/resourceapi.h"
#include "sync/syncplan.h"
#include "sync/syncstate.h"

#include <QDeadlineTimer>
#include <QFuture>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

namespace driftdeck::kube {
class ClusterClient;
class Discovery;
} // namespace driftdeck::kube

namespace driftdeck::sync {

struct SyncRunSettings {
    int healthTimeoutSeconds = 300; // per wave: Progressing longer than this fails the run
    int healthPollMs = 1000;
    QString fieldManager = QStringLiteral("driftdeck");
    QString destinationNamespace; // for objects without a namespace, and for createNamespace
    // Also wait for the last wave when nothing (no later wave, no prune) follows it.
    bool waitForHealthAtEnd = false;
};

// Runs a SyncPlan against one cluster: a resumable state machine on the caller's thread that never
// blocks it. Every request goes through the ClusterClient's futures (its own thread); answers come
// back here through watchers owned by this object, so nothing arrives after it is gone.
//
// Order: the optional destination namespace, then Create and Update wave by wave in plan order; after
// a wave that applied something (not in a dry run) it waits until those objects are Healthy or
// Suspended (health::assess on polled GETs) — Degraded fails at once, anything else past
// healthTimeoutSeconds fails naming the object. Prune comes last (plan order: reverse waves) and only
// when every apply succeeded.
//
// Failures: a 409 conflict is a Conflict result naming the other field managers and is never
// retried; a request the server refuses is Failed. Either way the rest of the wave is still applied
// and the run stops before the next wave (later waves may depend on this one) and never prunes. A
// cluster that cannot be reached (connection, timeout, 5xx or 429 after the client's own retries)
// stops the run at once. The SyncState in every result resumes it: done items are never repeated.
//
// Safety: every applied object carries driftdeck.io/tracking-id; a Prune re-reads the object and
// deletes it only when it still carries this application's tracking id for that very object and its
// sync-options do not say Prune=false or Delete=false. No Secret value reaches a result, progress or
// log: results carry keys and messages, and a server message about a Secret is scrubbed of its values.
class SyncRunner : public QObject {
    Q_OBJECT
public:
    // `client` and `discovery` must outlive the runner. Destroying a running runner aborts the
    // request in flight; finished() is then not emitted.
    SyncRunner(kube::ClusterClient* client, kube::Discovery* discovery, SyncOptions options,
               SyncRunSettings settings = {}, QObject* parent = nullptr);
    ~SyncRunner() override;

    // False (and nothing happens) while a run is in progress. Otherwise finished() follows, always
    // asynchronously — also when the run cannot start (no application name, state of another run).
    bool start(const SyncPlan& plan);
    bool resume(const SyncState& state);
    // The request in flight is allowed to finish (its result is recorded) unless it is a health
    // poll, which is aborted; then finished() reports Cancelled with a state to resume.
    void cancel();

    bool isRunning() const { return m_running; }
    const SyncState& state() const { return m_state; }

Q_SIGNALS:
    void progress(const SyncProgress& progress);
    void finished(const SyncResult& result);

private:
    void begin(const QString& refusal = {});
    void scheduleStep();
    void step();
    void ensureNamespace();
    void namespaceReady();
    void stepApply();
    void endWave(int wave, bool moreFollows);
    void applyItem(int index, const kube::ResourceInfo& info);
    void onApplied(int index, const kube::ApiReply& reply, bool replaceCreate);
    void stepPrune();
    void checkBeforePrune(int index, const kube::ResourceInfo& info);
    void pruneItem(int index, const kube::ResourceInfo& info, const kubeobj::Object& live);
    void startHealthWait();
    void pollHealth();
    void onHealthReply(int position, const kube::ApiReply& reply);
    void evaluateHealthRound();

    // Result handling.
    void settle(int index, ResourceStatus status, const QString& message, int httpStatus = 0,
                const QStringList& managers = {});
    void settleFailure(int index, const kube::ApiReply& reply);
    bool stopsTheRun(const kube::ApiReply& reply) const;
    bool stopsTheRun(const Error& error) const;
    void stopRun(const QString& message);
    // Stops the run after item `index` failed with an error that every further request would share;
    // the summary says what happened (unreachable, refused credentials, a server error with its reason).
    void stopAfter(int index, Error::Code code, int httpStatus);
    QString stopMessage(int index, Error::Code code, int httpStatus, const QString& detail) const;
    void finishRun();
    void emitProgress(const ResourceKey& current, const QString& message = {});
    QString scrubbed(int index, const QString& text) const;

    // Async plumbing.
    void resolve(const GroupVersionKind& gvk, std::function<void(const kube::ResourceInfo&)> then,
                 std::function<void(const Error&)> failed);
    void whenDone(QFuture<kube::ApiReply> future, std::function<void(const kube::ApiReply&)> handler);
    bool stale(quint64 run) const { return run != m_run; }

    kube::ClusterClient* m_client;
    kube::Discovery* m_discovery;
    SyncOptions m_options;
    SyncRunSettings m_settings;

    SyncState m_state;
    bool m_running = false;
    bool m_cancelRequested = false;
    quint64 m_run = 0; // a new run makes the callbacks of the old one stale
    int m_cursor = 0;
    std::optional<int> m_waveInProgress; // the wave of the last item applied in this run
    QString m_runError;                  // why the run stopped, when it stopped early
    QString m_stopNote;                  // why it stopped after a wave with failed items
    std::optional<SyncResourceResult> m_namespaceResult;
    QHash<GroupVersionKind, kube::ResourceInfo> m_infos;
    QFuture<kube::ApiReply> m_inflight;
    bool m_inflightIsHealthPoll = false;

    // Health wait of one wave.
    QList<int> m_healthItems;
    QList<health::Health> m_roundHealth;
    QDeadlineTimer m_healthDeadline;
    QTimer m_healthTimer;
};

} // namespace driftdeck::sync
