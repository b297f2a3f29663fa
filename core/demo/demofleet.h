#pragma once

#include "model/error.h"
#include "model/resourcekey.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace driftdeck::kubesim {
class SimulatedCluster;
}

// Demo mode (`driftdeck --demo`, `driftdeck-cli --demo`): a Git repository of a small fleet and three
// simulated clusters seeded with every kind of drift, all under one directory of its own. It never
// reads or writes the user's kubeconfig, workspace or clusters. Reference: docs/demo.md.
namespace driftdeck::demo {

struct DemoOptions {
    QString root;       // empty: DemoFleet::defaultRoot()
    bool reset = false; // delete everything under the root (only if it holds the demo's marker) first
};

// Where the demo lives and what it holds. Paths are absolute.
struct DemoLayout {
    QString root;
    QString repositoryPath; // bare Git repository <root>/fleet.git, branch main (revert pushes land here)
    QString workspacePath;  // <root>/workspace.yaml
    QString kubeconfigPath; // <root>/kubeconfig, written by startClusters() (the ports are random)
    // For engine::EngineSettings, so the engine keeps its files under the root too.
    QString gitCacheRoot;       // <root>/cache/repos
    QString discoveryCacheRoot; // <root>/cache/discovery
    QString historyPath;        // <root>/state/history.sqlite
    QString stateDirectory;     // <root>/state
    QStringList clusters;       // "dev", "staging", "prod": cluster, context and kubesim names alike
    QStringList applications;
    QString headCommitId;
    QString badCommitId; // the commit worth reverting
    QString badCommitSummary;
    int commitCount = 0; // commits on main when prepared
    bool reused = false; // an existing demo repository was kept (a revert made earlier is still there)
    QStringList notes;   // for the operator: what was left out and why, what was rebuilt
};

// One piece of drift the demo seeded, so a front end can point at it.
struct SeededDrift {
    enum class Kind {
        EditedField,    // a field edited by hand (manager kubectl-edit)
        MissingObject,  // an object of the application deleted from the cluster
        ExtraObject,    // an object carrying the application's tracking id that Git does not have
        ForeignManager, // a field Git sets, now owned by another field manager with another value
        Degraded,       // in sync with Git, but Git's image crash-loops (the bad commit)
        SelfHeal,       // drift on an application with automated sync and self-heal: the engine heals it
    };
    Kind kind = Kind::EditedField;
    QString cluster;
    QString application;
    ResourceKey object;
    QString manager;     // the field manager that made the change, if any
    QString description; // one line for the operator
};

QString kindName(SeededDrift::Kind kind); // "edited-field", "missing-object", ...

// Prepares the demo's files, then starts and seeds its clusters in this process. Use it on one
// thread (the caller's; the clusters run on threads of their own). Destroying it stops the clusters.
class DemoFleet {
public:
    DemoFleet();
    ~DemoFleet();
    DemoFleet(const DemoFleet&) = delete;
    DemoFleet& operator=(const DemoFleet&) = delete;

    // $XDG_DATA_HOME/driftdeck/demo (~/.local/share/driftdeck/demo when unset).
    static QString defaultRoot();

    // Creates the repository with its history, the workspace file and the directories under the
    // root. An existing demo is reused when its repository is intact and was built from the same
    // content (the one shipped in resources/demo), else rebuilt. A root that exists, is not empty and
    // holds no demo marker is refused (reset included): nothing is deleted outside a demo. The root
    // stays locked until this DemoFleet is destroyed: a second one (in any process) is refused.
    Result<DemoLayout> prepare(const DemoOptions& options = {});

    // Starts the three clusters on 127.0.0.1 (random ports), writes the kubeconfig, applies each
    // application's desired state as field manager "driftdeck" with the tracking annotation, then
    // seeds the drift. Needs prepare() first; starting twice is an error.
    Status startClusters();
    void stopClusters();
    bool clustersRunning() const;

    const DemoLayout& layout() const;
    // What startClusters() seeded, in the order of SeededDrift::Kind.
    const QList<SeededDrift>& seededDrift() const;
    // The running cluster of that name, or nullptr.
    kubesim::SimulatedCluster* cluster(const QString& name) const;

    // Edits the self-healing application by hand again (for a front end's "show me self-heal").
    Status reintroduceSelfHealDrift();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace driftdeck::demo
