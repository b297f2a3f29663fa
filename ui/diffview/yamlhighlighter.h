#pragma once

#include "diffcolors.h"

#include <QColor>
#include <QList>
#include <QStringView>

#include <memory>

// Colours one YAML line for painting: KSyntaxHighlighting's YAML definition when the build found
// KF6SyntaxHighlighting (DRIFTDECK_HAVE_KSYNTAX), else the built-in tokenizer with the same scheme.
namespace driftdeck::ui {

struct StyledSpan {
    int start = 0;
    int length = 0;
    QColor color;
    bool bold = false;
    bool italic = false;
};

class YamlHighlighter {
public:
    YamlHighlighter();
    ~YamlHighlighter();
    YamlHighlighter(const YamlHighlighter&) = delete;
    YamlHighlighter& operator=(const YamlHighlighter&) = delete;

    void setColors(const DiffColors& colors);
    // Spans of `line` to colour, sorted and disjoint; the rest is plain text.
    QList<StyledSpan> highlight(QStringView line, bool insideBlockScalar) const;

    static bool usesKSyntaxHighlighting();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace driftdeck::ui

Q_DECLARE_TYPEINFO(driftdeck::ui::StyledSpan, Q_RELOCATABLE_TYPE);
