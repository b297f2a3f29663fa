#pragma once

// The promises of the side-by-side model, checked on any model and its inputs.

#include "diff/sidebyside.h"

#include <QStringList>

#include <gtest/gtest.h>

namespace driftdeck::diff {

inline ::testing::AssertionResult rangesFit(const SideLine& line) {
    int at = 0;
    for (const Range& r : line.changed) {
        if (r.length <= 0 || r.start < at || r.end() > line.text.size())
            return ::testing::AssertionFailure() << "bad intra-line range on line " << line.number;
        at = r.end();
    }
    if (!line.changed.isEmpty() && line.kind != LineKind::Changed)
        return ::testing::AssertionFailure() << "ranges on a line that is not Changed: " << line.number;
    return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult kindsFit(const Row& row) {
    const LineKind l = row.left().kind, r = row.right().kind;
    const bool ok = (l == LineKind::Context && r == LineKind::Context) ||
                    (l == LineKind::Changed && r == LineKind::Changed) ||
                    (l == LineKind::Removed && (r == LineKind::Added || r == LineKind::Filler)) ||
                    (l == LineKind::Filler && r == LineKind::Added);
    if (!ok)
        return ::testing::AssertionFailure()
               << "impossible pair of kinds in row " << ::testing::PrintToString(row);
    for (const SideLine& side : row.sides) {
        if (side.isFiller() && (side.number != 0 || !side.text.isEmpty()))
            return ::testing::AssertionFailure() << "filler with a number or text";
    }
    return ::testing::AssertionSuccess();
}

// Rows align both inputs: every line of each side appears exactly once, in order, with its text;
// fillers only stand opposite a line; folds hold only unchanged rows and never touch each other.
inline ::testing::AssertionResult modelFits(const SideBySide& model, const QStringList& left,
                                            const QStringList& right) {
    if (model.leftLineCount != left.size() || model.rightLineCount != right.size())
        return ::testing::AssertionFailure() << "line counts differ from the inputs";
    int nextLeft = 1, nextRight = 1, removed = 0, added = 0;
    for (qsizetype c = 0; c < model.chunks.size(); ++c) {
        const Chunk& chunk = model.chunks[c];
        if (chunk.rows.isEmpty())
            return ::testing::AssertionFailure() << "empty chunk " << c;
        if (chunk.folded && c > 0 && model.chunks[c - 1].folded)
            return ::testing::AssertionFailure() << "two folds in a row at chunk " << c;
        bool changes = false;
        for (const Row& row : chunk.rows) {
            if (auto fits = kindsFit(row); !fits)
                return fits;
            changes = changes || !row.isContext();
            if (chunk.folded && !row.isContext())
                return ::testing::AssertionFailure()
                       << "a fold hides a change: " << ::testing::PrintToString(row);
            const QStringList* inputs[] = {&left, &right};
            int* next[] = {&nextLeft, &nextRight};
            for (int s = 0; s < 2; ++s) {
                const SideLine& line = row.sides[size_t(s)];
                if (line.isFiller())
                    continue;
                if (line.number != *next[s])
                    return ::testing::AssertionFailure() << "side " << s << " has line " << line.number
                                                         << " where " << *next[s] << " belongs";
                if (line.text != inputs[s]->at(line.number - 1))
                    return ::testing::AssertionFailure()
                           << "side " << s << " line " << line.number << " has other text";
                if (auto fits = rangesFit(line); !fits)
                    return fits;
                ++*next[s];
            }
            if (!row.isContext()) {
                removed += row.left().isFiller() ? 0 : 1;
                added += row.right().isFiller() ? 0 : 1;
            }
        }
        if (changes != chunk.hasChanges)
            return ::testing::AssertionFailure() << "hasChanges is wrong on chunk " << c;
    }
    if (nextLeft != left.size() + 1 || nextRight != right.size() + 1)
        return ::testing::AssertionFailure()
               << "rows end at lines " << nextLeft - 1 << " and " << nextRight - 1 << " of " << left.size()
               << " and " << right.size();
    if (removed != model.removedLines || added != model.addedLines)
        return ::testing::AssertionFailure() << "removed/added counts differ from the rows";
    return ::testing::AssertionSuccess();
}

} // namespace driftdeck::diff
