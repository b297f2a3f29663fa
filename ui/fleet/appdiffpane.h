#pragma once

#include "diffview/diffdocument.h"
#include "engine/enginetypes.h"
#include "provenance/desiredprovenance.h"

#include <QFuture>
#include <QHash>
#include <QWidget>

#include <functional>

class QLabel;

// The Diff tab: the selected application's drifted resources side by side (Git left, live right)
// in one DiffView. The document is built on a worker thread; a result that a newer selection has
// overtaken is dropped, so a large application never blocks the window. With a provenance source,
// the gutter left of Git's side names the commit that last changed each line (asked per shown
// resource, at most kMaxProvenanceSections, answered off the GUI thread).
namespace driftdeck::ui {

class DiffView;

class AppDiffPane : public QWidget {
    Q_OBJECT
public:
    using ProvenanceSource = std::function<QFuture<Result<QList<provenance::LineProvenance>>>(
        const QString& application, const ResourceKey& key)>;
    static constexpr int kMaxProvenanceSections = 50;

    explicit AppDiffPane(QWidget* parent = nullptr);
    ~AppDiffPane() override;

    // Where the gutter's commits come from (EngineController::desiredLineProvenance); empty: none.
    void setProvenanceSource(ProvenanceSource source);
    // Provenance requests of the shown document still unanswered.
    int pendingProvenance() const { return m_pendingProvenance; }

    // Shows the drifted resources of `app`; with `focus` valid, that resource (even when synced).
    void showApplication(const engine::AppStatus& app, const ResourceKey& focus = {});
    // Shows one prepared document (e.g. live against a commit), with a title. With `hold` it stays
    // while the selection stays: snapshots of the application last shown (showApplication with the
    // same application and focus) do not replace it; selecting something else does.
    void showDocument(const QString& title, const DiffDocument& document, bool hold = false);
    // Grows with everything shown: a late result compares it with the value it started under.
    quint64 generation() const { return m_generation; }
    bool isHolding() const { return m_held; }
    void clear();

    DiffView* view() const { return m_view; }
    QString title() const;
    bool isBuilding() const { return m_building; }

    // The sections of `app` the pane shows (pure; any thread).
    static DiffDocument buildDocument(const engine::AppStatus& app, const ResourceKey& focus);

Q_SIGNALS:
    void documentShown();

private:
    void requestProvenance(const QString& application, const QString& commitId, quint64 generation);

    ProvenanceSource m_provenance;
    int m_pendingProvenance = 0;
    QHash<QString, QList<Provenance>> m_provenanceCache; // application|commit|resource|lines
    QLabel* m_title = nullptr;
    DiffView* m_view = nullptr;
    quint64 m_generation = 0;
    bool m_building = false;
    QString m_shownKey;        // application + commit + compare count + focus: unchanged input, no rebuild
    QString m_lastApplication; // what showApplication was last asked for
    ResourceKey m_lastFocus;
    bool m_held = false; // a document shown with hold
};

} // namespace driftdeck::ui
