#pragma once

#include <QList>
#include <QStringList>

#include <span>

// Line diff for the side-by-side view: Myers' O(ND) algorithm in linear space, on lines interned to
// integers after the common prefix and suffix are trimmed. Pure functions: safe on any thread.
namespace driftdeck::diff {

enum class EditKind : quint8 { Equal, Delete, Insert };

// One run of an edit script. Equal covers `count` lines on both sides, Delete `count` left lines
// and Insert `count` right lines; the other side's start says where the run sits on that side.
struct EditRange {
    EditKind kind = EditKind::Equal;
    int leftStart = 0;  // 0-based index into the left lines
    int rightStart = 0; // 0-based index into the right lines
    int count = 0;

    friend bool operator==(const EditRange&, const EditRange&) = default;
};

// Runs in order, covering both inputs exactly once, no empty runs, no two neighbours of the same
// kind, and between two Equal runs at most one Delete followed by at most one Insert.
using EditScript = QList<EditRange>;

struct LineDiffOptions {
    // Myers costs O((N+M)·D). When one split point needs more than this many edits, the search
    // takes the furthest-reaching path found so far (the bound GNU diff also uses): the script
    // stays correct but may not be minimal. 0 chooses a bound from the input size.
    int maxEditCost = 0;
    // Moves an inserted or deleted block among its equivalent positions so that it starts at its
    // least indented line (then next to a "---" separator): an added YAML list item then reads as
    // "- name: b ..." rather than as the tail of one item and the head of the next.
    bool slideToIndentation = true;
};

// Diffs two symbol sequences (interned lines, or word tokens).
EditScript diffSymbols(std::span<const int> left, std::span<const int> right, int maxEditCost = 0);

// Diffs two lists of lines.
EditScript diffLines(const QStringList& left, const QStringList& right, const LineDiffOptions& options = {});

// Counts of lines deleted and inserted by a script.
struct EditCounts {
    int deleted = 0;
    int inserted = 0;
};
EditCounts editCounts(const EditScript& script);

} // namespace driftdeck::diff
