#pragma once

#include "diffcolors.h"
#include "diffdocument.h"
#include "diffview.h"
#include "yamlhighlighter.h"

// The diff view's state and geometry, shared by its behaviour (diffview.cpp) and its painting
// (diffviewpaint.cpp).
namespace driftdeck::ui {

struct DiffView::Private {
    DiffDocument document;
    Mode mode = Mode::Application;
    int currentRow = 0;
    diff::Side currentSide = diff::Side::Left;
    int currentChange = -1;
    int lastSection = -1; // last reported by currentSectionChanged
    bool provenanceVisible = true;
    DiffColors colors;
    YamlHighlighter highlighter;
    mutable int lastPainted = 0;

    // Metrics, from the widget's (fixed-pitch) font.
    int lineHeight = 16;
    int charWidth = 8;
    int ascent = 12;
    int viewportWidth = 0;
    int numberWidth = 0;
    int provenanceWidth = 0;
    int liveOwnerWidth = 0;
    int markerWidth = 0;
    static constexpr int kDivider = 3;
    static constexpr int kProvenanceChars = 20; // "1a2b3c4 " and an author, elided
    static constexpr int kPadding = 4;

    int paneWidth() const { return std::max(0, (viewportWidth - kDivider) / 2); }
    int paneX(diff::Side side) const { return side == diff::Side::Left ? 0 : paneWidth() + kDivider; }
    // The provenance column of a side: commits on Git's side, field managers on live's. Live's
    // is only as wide as a manager name needs when the document names any (else no width).
    int provenanceWidthOf(diff::Side side) const {
        return side == diff::Side::Left ? provenanceWidth : liveOwnerWidth;
    }
    int columnOffset(Column column, diff::Side side) const {
        switch (column) {
        case Column::LineNumber:
            return 0;
        case Column::Provenance:
            return numberWidth;
        case Column::Marker:
            return numberWidth + provenanceWidthOf(side);
        case Column::Text:
            return numberWidth + provenanceWidthOf(side) + markerWidth;
        }
        return 0;
    }
    int columnWidth(Column column, diff::Side side) const {
        switch (column) {
        case Column::LineNumber:
            return numberWidth;
        case Column::Provenance:
            return provenanceWidthOf(side);
        case Column::Marker:
            return markerWidth;
        case Column::Text:
            return std::max(0, paneWidth() - columnOffset(Column::Text, side));
        }
        return 0;
    }
    int textAreaWidth(diff::Side side) const { return columnWidth(Column::Text, side); }
    // The narrower side's: the horizontal scroll range must reveal the longest line on both.
    int textAreaWidth() const {
        return std::min(textAreaWidth(diff::Side::Left), textAreaWidth(diff::Side::Right));
    }
};

} // namespace driftdeck::ui
