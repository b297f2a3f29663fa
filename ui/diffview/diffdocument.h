#pragma once

#include "diff/drift.h"
#include "diff/sidebyside.h"
#include "model/resourcekey.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

// What the side-by-side diff view shows: a list of resource sections (one per changed resource of an
// application, or just one), each a side-by-side model with its provenance, plus which unchanged
// runs are folded. A plain value: sections are built off the GUI thread (makeDiffSection is pure)
// and the view only lays out and paints them.
namespace driftdeck::ui {

// Where a desired line came from: the commit that last changed it (git blame). Supplied by the
// caller; the diff view only shows it and reports clicks on it.
struct Provenance {
    QString shortId; // e.g. "1a2b3c4"
    QString author;
    QDateTime date;
    QString commitId; // the full id, emitted when the cell is clicked

    bool isNull() const { return commitId.isEmpty() && shortId.isEmpty(); }
    friend bool operator==(const Provenance&, const Provenance&) = default;
};

struct DiffSection {
    ResourceKey key;
    diff::ObjectDiff::State state = diff::ObjectDiff::State::Synced;
    QStringList desiredLines; // left pane, as copied by "Copy as YAML"
    QStringList liveLines;    // right pane
    diff::SideBySide sideBySide;
    QList<Provenance> desiredProvenance; // index = desired line number - 1 (may be shorter)
    QList<diff::LineOwner> liveOwners;   // index = live line number - 1 (may be shorter)
    // Lines inside a YAML block scalar (`key: |`), per side, index = line number - 1: the
    // highlighter colours them as text, not as keys, without scanning from the top at paint time.
    QList<bool> desiredInBlockScalar;
    QList<bool> liveInBlockScalar;
    int longestLine = 0; // characters, capped at DiffDocument::kMaxPaintedChars
};

// Builds a section from two YAML texts (canonical lines of desired and live). Pure; any thread.
DiffSection makeDiffSection(const ResourceKey& key, diff::ObjectDiff::State state,
                            const QStringList& desiredLines, const QStringList& liveLines,
                            const QList<diff::LineOwner>& liveOwners = {},
                            const diff::SideBySideOptions& options = {});
// Builds a section from a compared object; `liveManagedFields` (metadata.managedFields of the full
// live object) gives the live lines their owners. Pure; any thread.
DiffSection makeDiffSection(const diff::ObjectDiff& objectDiff, const QJsonArray& liveManagedFields = {},
                            const diff::SideBySideOptions& options = {});

// Lines of `lines` that are the body of a block scalar (`|`, `>` and their chomping variants).
QList<bool> blockScalarBodyLines(const QStringList& lines);

// One row of the laid-out document.
struct DisplayRow {
    enum class Type : quint8 { Header, Line, Fold };
    Type type = Type::Line;
    int section = 0;
    int chunk = -1; // -1 for a header
    int row = 0;    // index in the chunk; 0 for a fold and a header

    friend bool operator==(const DisplayRow&, const DisplayRow&) = default;
};

// A change: a run of consecutive non-context rows of one chunk.
struct ChangeLocation {
    int section = 0;
    int chunk = 0;
    int firstRow = 0;
    int rowCount = 0;

    friend bool operator==(const ChangeLocation&, const ChangeLocation&) = default;
};

class DiffDocument {
public:
    // Lines longer than this are painted cut (an embedded certificate must not stall painting).
    static constexpr int kMaxPaintedChars = 4096;

    DiffDocument() = default;

    int addSection(DiffSection section);
    int sectionCount() const { return int(m_sections.size()); }
    const DiffSection& section(int index) const { return m_sections.at(index); }

    // Provenance of desired lines: by 1-based line number, or a list aligned with the lines.
    void setDesiredProvenance(int section, const QHash<int, Provenance>& byLine);
    void setDesiredProvenance(int section, const QList<Provenance>& byIndex);
    void setLiveOwners(int section, const QList<diff::LineOwner>& byIndex);
    Provenance desiredProvenance(int section, int lineNumber) const;
    diff::LineOwner liveOwner(int section, const diff::SideLine& line) const;

    // -1 (the default) lays out every section under its header; a section index lays out only
    // that section, without header (the single-resource view).
    void setSingleSection(int section);
    int singleSection() const { return m_singleSection; }

    // Folded chunks shorter than this stay expanded: a fold row for two lines hides nothing.
    void setMinimumFoldRows(int rows);
    int minimumFoldRows() const { return m_minimumFoldRows; }
    bool isFolded(int section, int chunk) const;
    void setFoldExpanded(int section, int chunk, bool expanded);
    void expandAllFolds();
    void collapseAllFolds();
    int foldCount() const;       // fold rows in the layout
    int hiddenLineCount() const; // rows hidden behind them

    // A collapsed section shows only its header (whole-application view).
    void setSectionCollapsed(int section, bool collapsed);
    bool isSectionCollapsed(int section) const;

    int displayRowCount() const { return int(m_display.size()); }
    const DisplayRow& displayRow(int index) const { return m_display.at(index); }
    // The display row showing `row` of a chunk (its fold row when folded), or -1 when not laid out.
    int displayRowOf(int section, int chunk, int row) const;
    int headerRowOf(int section) const;
    // The side-by-side row of a Line display row.
    const diff::Row& rowAt(const DisplayRow& row) const;
    int hiddenRowsOfFold(const DisplayRow& row) const;

    // Changes of all sections, in document order.
    int changeCount() const { return int(m_changes.size()); }
    const ChangeLocation& change(int index) const { return m_changes.at(index); }
    int displayRowOfChange(int index) const;
    // The first laid-out change starting after display row `row` (-1: none), and the last one
    // starting before it. Changes of collapsed or other sections are not laid out, so skipped.
    int nextChange(int row) const;
    int previousChange(int row) const;
    // The change whose rows include display row `row`, or -1.
    int changeAt(int row) const;

    // The YAML text of one side of a section, for the clipboard.
    QString yaml(int section, diff::Side side) const;
    int longestLine() const { return m_longestLine; }

private:
    void relayout();
    void appendLayout(int section);
    bool chunkShowsFold(int section, int chunk) const;

    QList<DiffSection> m_sections;
    QList<QList<bool>> m_expanded; // per section, per chunk: a folded chunk the user opened
    QList<bool> m_collapsed;       // per section
    QList<ChangeLocation> m_changes;
    QList<DisplayRow> m_display;
    int m_singleSection = -1;
    int m_minimumFoldRows = 4;
    int m_longestLine = 0;
};

} // namespace driftdeck::ui

Q_DECLARE_TYPEINFO(driftdeck::ui::Provenance, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(driftdeck::ui::DisplayRow, Q_PRIMITIVE_TYPE);
Q_DECLARE_TYPEINFO(driftdeck::ui::ChangeLocation, Q_PRIMITIVE_TYPE);
Q_DECLARE_TYPEINFO(driftdeck::ui::DiffSection, Q_RELOCATABLE_TYPE);
Q_DECLARE_METATYPE(driftdeck::ui::DiffDocument)
