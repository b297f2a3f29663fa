#pragma once

#include "yamltokens.h"

#include <QColor>
#include <QPalette>

// Colours of the diff view, derived from the widget's palette so they read in light and dark
// themes alike: line backgrounds are the base colour tinted towards red or green, syntax colours
// follow the Breeze light or dark scheme (KSyntaxHighlighting's default themes) by the base's
// lightness.
namespace driftdeck::ui {

struct DiffColors {
    QColor base;
    QColor text;
    QColor dimText; // line numbers, provenance, fold labels
    QColor gutter;
    QColor removedLine;
    QColor addedLine;
    QColor removedWord; // intra-line change on the left
    QColor addedWord;   // and on the right
    QColor filler;
    QColor fold;
    QColor header;
    QColor headerText;
    QColor divider;
    QColor current; // the keyboard cursor's frame
    QColor link;    // a provenance cell that can be clicked
    // Syntax
    QColor key;
    QColor string;
    QColor number;
    QColor constant;
    QColor comment;
    QColor punctuation;

    bool dark = false;

    static DiffColors fromPalette(const QPalette& palette);
    QColor forToken(YamlTokenKind kind) const;
};

// `a` moved towards `b` by `amount` (0..1).
QColor blend(const QColor& a, const QColor& b, double amount);

} // namespace driftdeck::ui
