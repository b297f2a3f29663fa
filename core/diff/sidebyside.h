#pragma once

#include "diff/linediff.h"
#include "diff/worddiff.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <array>

// The side-by-side model of a diff between desired (left) and live (right) canonical YAML:
// SideBySide -> Chunk -> Row -> two SideLines. Rows align: a filler line sits opposite every line
// that has no partner, so both sides always have the same number of rows and the view can scroll
// them together. Built by a pure function, so it is prepared on a worker thread and only shown on
// the GUI thread.
namespace driftdeck::diff {

enum class LineKind : quint8 {
    Context, // the same on both sides
    Removed, // only on the left (or replaced by an unrelated line)
    Added,   // only on the right (or replacing an unrelated line)
    Changed, // replaced by a similar line; `changed` says which characters differ
    Filler,  // no line: stands opposite a Removed or Added line
};

enum class Side : quint8 { Left = 0, Right = 1 };

// Who owns a live line, from the object's managedFields.
struct LineOwner {
    QString manager;   // field manager, e.g. "kubectl-client-side-apply"
    QString operation; // "Apply" or "Update"
    QDateTime time;

    bool isNull() const { return manager.isEmpty(); }
    friend bool operator==(const LineOwner&, const LineOwner&) = default;
};

struct SideLine {
    int number = 0; // 1-based line number on its side; 0 for a filler
    QString text;
    QList<Range> changed; // intra-line changes, only for LineKind::Changed
    LineKind kind = LineKind::Filler;
    QString provenance; // left side: where the desired line came from (opaque to the diff)
    LineOwner owner;    // right side: who owns the live line

    bool isFiller() const { return kind == LineKind::Filler; }
    friend bool operator==(const SideLine&, const SideLine&) = default;
};

struct Row {
    std::array<SideLine, 2> sides;

    const SideLine& left() const { return sides[0]; }
    const SideLine& right() const { return sides[1]; }
    const SideLine& side(Side s) const { return sides[size_t(s)]; }
    bool isContext() const { return sides[0].kind == LineKind::Context; }
    friend bool operator==(const Row&, const Row&) = default;
};

// A run of rows. A folded chunk is unchanged text far from any change: the view shows one
// "N unchanged lines" row for it and expands it from `rows` on request.
struct Chunk {
    QList<Row> rows;
    bool folded = false;
    bool hasChanges = false; // holds at least one non-context row

    int hiddenRows() const { return folded ? int(rows.size()) : 0; }
    friend bool operator==(const Chunk&, const Chunk&) = default;
};

struct SideBySideOptions {
    int context = 3;           // unchanged rows kept visible around each change
    bool fold = true;          // fold unchanged runs longer than 2 * context (or context at either end)
    int maxAlignCells = 40000; // replaced blocks up to this many line pairs are aligned by similarity
    LineDiffOptions lines;
    WordDiffOptions words;
};

// Optional per-line annotations carried into the rows, aligned by line index.
struct LineAnnotations {
    QStringList leftProvenance;   // one per left line, or fewer (missing ones stay empty)
    QList<LineOwner> rightOwners; // one per right line, or fewer
};

struct SideBySide {
    QList<Chunk> chunks;
    int leftLineCount = 0;
    int rightLineCount = 0;
    int removedLines = 0; // left lines not on the right, including the left of changed rows
    int addedLines = 0;   // right lines not on the left, including the right of changed rows

    bool identical() const { return removedLines == 0 && addedLines == 0; }
    int rowCount() const;
    // All rows in order, folded or not.
    QList<Row> rows() const;
    friend bool operator==(const SideBySide&, const SideBySide&) = default;
};

// Splits text into lines; a final newline ends the last line instead of starting an empty one.
QStringList splitLines(const QString& text);

// Aligns two texts (usually canonical YAML of desired and live) into the side-by-side model.
SideBySide buildSideBySide(const QStringList& left, const QStringList& right,
                           const SideBySideOptions& options = {}, const LineAnnotations& annotations = {});

struct UnifiedTextOptions {
    QString leftName = QStringLiteral("desired");
    QString rightName = QStringLiteral("live");
};

// `diff -u` text of the model: ---/+++ headers, then one @@ hunk per unfolded chunk with changes
// (so hunks follow the model's context; a model built with fold = false is one hunk). Empty when
// both sides are identical. `patch` applies it to the left text to give the right.
QString unifiedText(const SideBySide& model, const UnifiedTextOptions& options = {});

struct SideBySideTextOptions {
    int width = 160;         // terminal columns for both sides together
    bool ansiColour = false; // red/green lines, inverse video on intra-line changes
};

// Columns `text` takes in a terminal: 0 for combining marks, 2 for East Asian wide characters and
// emoji, 1 otherwise (an approximation of wcwidth that needs no locale).
int terminalColumns(QStringView text);

// Two columns for a terminal: "number marker text | number marker text", long lines cut with "…",
// folds as one "… N unchanged lines …" row. Markers: ' ' context, '-' removed, '+' added, '~'
// changed.
QString sideBySideText(const SideBySide& model, const SideBySideTextOptions& options = {});

} // namespace driftdeck::diff

// Rows are moved by memcpy when lists grow: everything in them is a relocatable Qt value.
Q_DECLARE_TYPEINFO(driftdeck::diff::LineOwner, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(driftdeck::diff::SideLine, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(driftdeck::diff::Row, Q_RELOCATABLE_TYPE);
Q_DECLARE_TYPEINFO(driftdeck::diff::Chunk, Q_RELOCATABLE_TYPE);
Q_DECLARE_METATYPE(driftdeck::diff::SideBySide)
