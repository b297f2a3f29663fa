#pragma once

#include <QList>
#include <QStringView>

// The built-in YAML tokenizer behind the diff view's colouring: one line at a time, no allocation
// beyond the result, linear in the line's length. It only has to be good enough to colour
// canonical YAML (our writer's output), and must never fail on anything else.
namespace driftdeck::ui {

enum class YamlTokenKind : quint8 {
    Key,         // mapping key, quoted or plain
    Punctuation, // ':' after a key, flow brackets, block scalar indicators
    Dash,        // "- " of a sequence item
    String,      // quoted scalar, or the body of a block scalar
    Number,
    Constant, // booleans (YAML 1.1 spellings too) and null
    Comment,
};

struct YamlToken {
    int start = 0;
    int length = 0;
    YamlTokenKind kind = YamlTokenKind::Key;
    friend bool operator==(const YamlToken&, const YamlToken&) = default;
};

// Tokens of one line, sorted and disjoint; characters outside every token are plain text.
// `insideBlockScalar`: the line is the body of a `|` or `>` scalar (see blockScalarBodyLines).
QList<YamlToken> yamlTokens(QStringView line, bool insideBlockScalar = false);

// Whether a plain scalar reads as a number, or as a boolean or null, the way kubectl's YAML does.
bool isYamlNumber(QStringView text);
bool isYamlConstant(QStringView text);

} // namespace driftdeck::ui

Q_DECLARE_TYPEINFO(driftdeck::ui::YamlToken, Q_PRIMITIVE_TYPE);
