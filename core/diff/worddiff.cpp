#include "diff/worddiff.h"

#include "diff/linediff.h"

#include <QHash>
#include <QStringView>

#include <vector>

namespace driftdeck::diff {

namespace {

enum class CharClass { Word, Space, Other };

// The class of the character at `i`, and how many code units it takes (2 for a surrogate pair).
std::pair<CharClass, int> classify(const QString& line, int i) {
    const QChar c = line.at(i);
    char32_t code = c.unicode();
    int width = 1;
    if (c.isHighSurrogate() && i + 1 < line.size() && line.at(i + 1).isLowSurrogate()) {
        code = QChar::surrogateToUcs4(c, line.at(i + 1));
        width = 2;
    }
    if (QChar::isSpace(code))
        return {CharClass::Space, width};
    // Scripts written without spaces: each character is a word of its own, or a one-character
    // change would mark the whole sentence.
    switch (QChar::script(code)) {
    case QChar::Script_Han:
    case QChar::Script_Hiragana:
    case QChar::Script_Katakana:
    case QChar::Script_Thai:
        return {CharClass::Other, width};
    default:
        break;
    }
    // Combining marks stay with the letter they modify.
    if (QChar::isLetterOrNumber(code) || QChar::isMark(code) || code == U'_')
        return {CharClass::Word, width};
    return {CharClass::Other, width};
}

int nonSpaceLength(QStringView text) {
    int n = 0;
    for (QChar c : text)
        n += c.isSpace() ? 0 : 1;
    return n;
}

// Changed tokens as character ranges, joining neighbours and gaps of unchanged whitespace.
QList<Range> changedRanges(const QString& line, const QList<Range>& tokens,
                           const std::vector<bool>& changed) {
    QList<Range> out;
    for (qsizetype t = 0; t < tokens.size(); ++t) {
        if (!changed[size_t(t)])
            continue;
        const Range token = tokens[t];
        if (!out.isEmpty()) {
            const int gapStart = out.last().end();
            if (gapStart == token.start ||
                QStringView(line).mid(gapStart, token.start - gapStart).trimmed().isEmpty()) {
                out.last().length = token.end() - out.last().start;
                continue;
            }
        }
        out.append(token);
    }
    // A range with words in it starts and ends on them; which of two equal spaces the token diff
    // called changed is arbitrary.
    for (Range& range : out) {
        const QStringView text = QStringView(line).mid(range.start, range.length);
        const QStringView trimmed = text.trimmed();
        if (trimmed.isEmpty())
            continue;
        range.start += int(trimmed.data() - text.data());
        range.length = int(trimmed.size());
    }
    return out;
}

// Unchanged characters can be no more than those of the tokens both lines have (counted with
// multiplicity): a cheap upper bound that rejects unrelated lines before they are diffed.
int commonTokenBound(const QString& left, const QList<Range>& leftTokens, const std::vector<int>& a,
                     const std::vector<int>& b, int symbolCount) {
    std::vector<int> remaining(size_t(symbolCount), 0);
    for (int symbol : b)
        ++remaining[size_t(symbol)];
    int bound = 0;
    for (size_t t = 0; t < a.size(); ++t) {
        if (remaining[size_t(a[t])] > 0) {
            --remaining[size_t(a[t])];
            const Range token = leftTokens[qsizetype(t)];
            bound += nonSpaceLength(QStringView(left).mid(token.start, token.length));
        }
    }
    return bound;
}

// Beyond this many token edits per split the diff takes shortcuts (see LineDiffOptions): still a
// correct highlight, perhaps a wider one, and a bounded cost for long lines of shuffled words.
constexpr int kMaxTokenEditCost = 64;

} // namespace

QList<Range> wordTokens(const QString& line) {
    QList<Range> tokens;
    int i = 0;
    while (i < line.size()) {
        const auto [cls, width] = classify(line, i);
        int end = i + width;
        if (cls != CharClass::Other) {
            while (end < line.size()) {
                const auto [nextClass, nextWidth] = classify(line, end);
                if (nextClass != cls)
                    break;
                end += nextWidth;
            }
        }
        tokens.append({i, end - i});
        i = end;
    }
    return tokens;
}

std::optional<WordDiff> diffWords(const QString& left, const QString& right, const WordDiffOptions& options) {
    if (left.size() > options.maxLineLength || right.size() > options.maxLineLength)
        return std::nullopt;
    const QList<Range> leftTokens = wordTokens(left);
    const QList<Range> rightTokens = wordTokens(right);
    if (leftTokens.size() > options.maxTokens || rightTokens.size() > options.maxTokens)
        return std::nullopt;

    QHash<QStringView, int> symbols;
    auto intern = [&symbols](const QString& line, const QList<Range>& tokens) {
        std::vector<int> out;
        out.reserve(size_t(tokens.size()));
        for (const Range& token : tokens) {
            const QStringView text = QStringView(line).mid(token.start, token.length);
            auto it = symbols.constFind(text);
            if (it == symbols.constEnd())
                it = symbols.insert(text, int(symbols.size()));
            out.push_back(it.value());
        }
        return out;
    };
    const std::vector<int> a = intern(left, leftTokens);
    const std::vector<int> b = intern(right, rightTokens);
    const int total = nonSpaceLength(left) + nonSpaceLength(right);
    if (2.0 * commonTokenBound(left, leftTokens, a, b, int(symbols.size())) <
        options.minUnchangedShare * total)
        return std::nullopt;
    const EditScript script = diffSymbols(a, b, kMaxTokenEditCost);

    std::vector<bool> leftChanged(a.size(), false), rightChanged(b.size(), false);
    int unchanged = 0;
    for (const EditRange& run : script) {
        for (int k = 0; k < run.count; ++k) {
            if (run.kind == EditKind::Delete) {
                leftChanged[size_t(run.leftStart + k)] = true;
            } else if (run.kind == EditKind::Insert) {
                rightChanged[size_t(run.rightStart + k)] = true;
            } else {
                const Range token = leftTokens[run.leftStart + k];
                unchanged += nonSpaceLength(QStringView(left).mid(token.start, token.length));
            }
        }
    }
    // Lines differing only in whitespace are always related.
    if (total > 0 && 2.0 * unchanged < options.minUnchangedShare * total)
        return std::nullopt;

    WordDiff out;
    out.left = changedRanges(left, leftTokens, leftChanged);
    out.right = changedRanges(right, rightTokens, rightChanged);
    return out;
}

} // namespace driftdeck::diff
