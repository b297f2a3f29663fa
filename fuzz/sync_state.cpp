// The saved state of a sync (SyncState::fromJson): read back when an operator resumes a sync, possibly
// in another process, from a file anyone could have edited. Property: a state that reads writes back
// to JSON that reads as the same state (toJson(fromJson(toJson(s))) == toJson(s)).

#include "fuzzsupport.h"
#include "sync/syncstate.h"

#include <QJsonObject>

using namespace driftdeck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QJsonDocument doc = QJsonDocument::fromJson(fuzz::bytes(data, size));
    if (!doc.isObject())
        return 0;
    const Result<sync::SyncState> state = sync::SyncState::fromJson(doc.object());
    if (!state.ok())
        return 0;
    (void)state->applyPhaseComplete();
    (void)state->actionsDone();
    const QJsonObject written = state->toJson();
    const Result<sync::SyncState> again = sync::SyncState::fromJson(written);
    if (!again.ok())
        fuzz::propertyFailed("a state written by toJson does not read back",
                             fuzz::compact(QJsonDocument(written)), again.error().message.toUtf8());
    if (again->toJson() != written)
        fuzz::propertyFailed("toJson(fromJson(toJson(s))) differs from toJson(s)",
                             fuzz::compact(QJsonDocument(written)),
                             fuzz::compact(QJsonDocument(again->toJson())));
    return 0;
}
