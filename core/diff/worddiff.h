#pragma once

#include <QList>
#include <QString>

#include <optional>

// Intra-line highlights: which characters of a replaced line changed. Lines are cut into tokens
// (runs of letters and digits, runs of whitespace, single punctuation characters, single Han, kana
// and Thai characters) and the tokens are diffed with the line diff's algorithm.
namespace driftdeck::diff {

// Characters [start, start + length) of a line, in UTF-16 code units as QString indexes them.
struct Range {
    int start = 0;
    int length = 0;

    int end() const { return start + length; }
    friend bool operator==(const Range&, const Range&) = default;
};

struct WordDiffOptions {
    // Longer lines (an embedded certificate, a minified JSON value) are shown as wholly replaced:
    // highlighting inside them would cost much and tell little.
    int maxLineLength = 2000;
    int maxTokens = 400;
    // Share of non-whitespace characters (of both lines together) that must be unchanged for
    // highlights to be worth showing; below it the lines are unrelated. Low enough that a YAML
    // line keeping only its key ("kind: Service" -> "kind: ServiceAccount") still qualifies.
    double minUnchangedShare = 0.3;
};

struct WordDiff {
    QList<Range> left;  // changed characters of the left line, sorted, disjoint
    QList<Range> right; // changed characters of the right line
};

// Tokens of a line, as ranges covering it exactly.
QList<Range> wordTokens(const QString& line);

// The changed ranges of two lines, or nothing when they are too long or too dissimilar for
// highlights to help (show them as removed and added instead). Changed ranges separated only by
// unchanged whitespace are joined, so "a b" -> "c d" highlights one range, not two.
std::optional<WordDiff> diffWords(const QString& left, const QString& right,
                                  const WordDiffOptions& options = {});

} // namespace driftdeck::diff

Q_DECLARE_TYPEINFO(driftdeck::diff::Range, Q_PRIMITIVE_TYPE);
