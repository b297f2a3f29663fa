#pragma once

#include "kubesim/objectstore.h"

#include <QObject>
#include <QSet>
#include <QString>

namespace driftdeck::kubesim {

// Deletes dependents of deleted owners, as the real garbage collector does: an object whose every
// owner reference points to an object that no longer exists is deleted (in the background). An
// owner being deleted in the foreground (finalizer foregroundDeletion) first loses its dependents,
// then its finalizer, so the store completes its deletion. Orphaning is done by the store itself.
class GarbageCollector : public QObject {
    Q_OBJECT
public:
    explicit GarbageCollector(ObjectStore& store, QObject* parent = nullptr);
    ~GarbageCollector() override;

    // Checks every object now (after loading a snapshot); normally changes drive the collector.
    void collectAll();

private:
    void onEvent(const WatchEvent& event);
    void schedule();
    void run();
    bool ownerExists(const QJsonObject& ownerRef, const QString& ns) const;

    ObjectStore& m_store;
    int m_listener = 0;
    bool m_scheduled = false;
    bool m_fullPass = false;
};

} // namespace driftdeck::kubesim
