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
    int markerWidth = 0;
    static constexpr int kDivider = 3;
    static constexpr int kProvenanceChars = 26;
    static constexpr int kPadding = 4;

    int paneWidth() const { return std::max(0, (viewportWidth - kDivider) / 2); }
    int paneX(diff::Side side) const { return side == diff::Side::Left ? 0 : paneWidth() + kDivider; }
    int columnOffset(Column column) const {
        switch (column) {
        case Column::LineNumber:
            return 0;
        case Column::Provenance:
            return numberWidth;
        case Column::Marker:
            return numberWidth + provenanceWidth;
        case Column::Text:
            return numberWidth + provenanceWidth + markerWidth;
        }
        return 0;
    }
    int columnWidth(Column column) const {
        switch (column) {
        case Column::LineNumber:
            return numberWidth;
        case Column::Provenance:
            return provenanceWidth;
        case Column::Marker:
            return markerWidth;
        case Column::Text:
            return std::max(0, paneWidth() - columnOffset(Column::Text));
        }
        return 0;
    }
    int textAreaWidth() const { return columnWidth(Column::Text); }
};

} // namespace driftdeck::ui
