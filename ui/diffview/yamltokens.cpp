#include "yamltokens.h"

#include <algorithm>

namespace driftdeck::ui {

namespace {

// Longer lines are coloured only this far: the view paints no further either.
constexpr int kMaxTokenizedChars = 4096;

bool isSpace(QChar c) {
    return c == QLatin1Char(' ') || c == QLatin1Char('\t');
}

int skipSpaces(QStringView line, int i) {
    while (i < line.size() && isSpace(line.at(i)))
        ++i;
    return i;
}

// Index of the quote closing the quoted scalar opening at `open`, or the line's last index.
int closingQuote(QStringView line, int open) {
    const QChar quote = line.at(open);
    for (int i = open + 1; i < line.size(); ++i) {
        if (quote == QLatin1Char('"') && line.at(i) == QLatin1Char('\\')) {
            ++i; // an escaped character, possibly the quote
        } else if (line.at(i) == quote) {
            if (quote == QLatin1Char('\'') && i + 1 < line.size() && line.at(i + 1) == quote)
                ++i; // '' is an escaped single quote
            else
                return i;
        }
    }
    return int(line.size()) - 1;
}

bool endsToken(QStringView line, int i) {
    return i >= line.size() || isSpace(line.at(i));
}

// Position of the ':' ending a mapping key that starts at `i`, or -1.
int keyColon(QStringView line, int i) {
    if (i >= line.size())
        return -1;
    const QChar first = line.at(i);
    if (first == QLatin1Char('"') || first == QLatin1Char('\'')) {
        const int close = closingQuote(line, i);
        const int colon = close + 1;
        return colon < line.size() && line.at(colon) == QLatin1Char(':') && endsToken(line, colon + 1) ? colon
                                                                                                       : -1;
    }
    if (first == QLatin1Char('[') || first == QLatin1Char('{') || first == QLatin1Char('#'))
        return -1;
    for (int j = i; j < line.size(); ++j) {
        if (line.at(j) == QLatin1Char(':') && endsToken(line, j + 1))
            return j;
        if (line.at(j) == QLatin1Char('#') && isSpace(line.at(j - 1)))
            return -1;
    }
    return -1;
}

class Tokenizer {
public:
    explicit Tokenizer(QStringView line)
        : m_line(line) {}

    QList<YamlToken> run(bool insideBlockScalar) {
        int i = skipSpaces(m_line, 0);
        if (insideBlockScalar) {
            add(i, int(m_line.size()) - i, YamlTokenKind::String);
            return std::move(m_tokens);
        }
        if (i == 0 && (m_line.startsWith(u"---") || m_line.startsWith(u"...")) && endsToken(m_line, 3)) {
            add(0, 3, YamlTokenKind::Punctuation);
            i = skipSpaces(m_line, 3);
        }
        while (i < m_line.size() && m_line.at(i) == QLatin1Char('-') && endsToken(m_line, i + 1)) {
            add(i, 1, YamlTokenKind::Dash);
            i = skipSpaces(m_line, i + 1);
        }
        const int colon = keyColon(m_line, i);
        if (colon >= 0) {
            add(i, colon - i, YamlTokenKind::Key);
            add(colon, 1, YamlTokenKind::Punctuation);
            i = skipSpaces(m_line, colon + 1);
        }
        value(i);
        return std::move(m_tokens);
    }

private:
    void add(int start, int length, YamlTokenKind kind) {
        if (length > 0)
            m_tokens.append(YamlToken{start, length, kind});
    }

    void comment(int i) { add(i, int(m_line.size()) - i, YamlTokenKind::Comment); }

    void value(int i) {
        if (i >= m_line.size())
            return;
        const QChar c = m_line.at(i);
        if (c == QLatin1Char('#')) {
            comment(i);
        } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            const int close = closingQuote(m_line, i);
            add(i, close - i + 1, YamlTokenKind::String);
            trailingComment(close + 1);
        } else if (c == QLatin1Char('|') || c == QLatin1Char('>')) {
            int end = i;
            while (end < m_line.size() && !isSpace(m_line.at(end)))
                ++end;
            add(i, end - i, YamlTokenKind::Punctuation);
            trailingComment(end);
        } else if (c == QLatin1Char('[') || c == QLatin1Char('{')) {
            flow(i);
        } else {
            int end = i;
            while (end < m_line.size() &&
                   !(m_line.at(end) == QLatin1Char('#') && isSpace(m_line.at(end - 1))))
                ++end;
            const int commentAt = end;
            while (end > i && isSpace(m_line.at(end - 1)))
                --end;
            scalar(i, end);
            if (commentAt < m_line.size())
                comment(commentAt);
        }
    }

    void trailingComment(int i) {
        i = skipSpaces(m_line, i);
        if (i < m_line.size() && m_line.at(i) == QLatin1Char('#'))
            comment(i);
    }

    void scalar(int start, int end) {
        const QStringView text = m_line.mid(start, end - start);
        if (isYamlNumber(text))
            add(start, end - start, YamlTokenKind::Number);
        else if (isYamlConstant(text))
            add(start, end - start, YamlTokenKind::Constant);
    }

    // `[a, "b", 1]` and `{k: v}` on one line: brackets and separators, quoted and plain scalars.
    void flow(int i) {
        while (i < m_line.size()) {
            const QChar c = m_line.at(i);
            if (QStringView(u"[]{},:").contains(c)) {
                add(i, 1, YamlTokenKind::Punctuation);
                ++i;
            } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
                const int close = closingQuote(m_line, i);
                add(i, close - i + 1, YamlTokenKind::String);
                i = close + 1;
            } else if (c == QLatin1Char('#') && i > 0 && isSpace(m_line.at(i - 1))) {
                comment(i);
                return;
            } else if (isSpace(c)) {
                ++i;
            } else {
                int end = i;
                while (end < m_line.size() && !QStringView(u"[]{},").contains(m_line.at(end)) &&
                       !(m_line.at(end) == QLatin1Char(':') && endsToken(m_line, end + 1)))
                    ++end;
                int trimmed = end;
                while (trimmed > i && isSpace(m_line.at(trimmed - 1)))
                    --trimmed;
                scalar(i, trimmed);
                i = std::max(end, i + 1);
            }
        }
    }

    QStringView m_line;
    QList<YamlToken> m_tokens;
};

bool allOf(QStringView text, bool (*pred)(QChar)) {
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), pred);
}

bool isDecimalDigit(QChar c) {
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

bool isHexDigit(QChar c) {
    return isDecimalDigit(c) || (c >= QLatin1Char('a') && c <= QLatin1Char('f')) ||
           (c >= QLatin1Char('A') && c <= QLatin1Char('F'));
}

bool isOctalDigit(QChar c) {
    return c >= QLatin1Char('0') && c <= QLatin1Char('7');
}

} // namespace

QList<YamlToken> yamlTokens(QStringView line, bool insideBlockScalar) {
    return Tokenizer(line.left(kMaxTokenizedChars)).run(insideBlockScalar);
}

bool isYamlNumber(QStringView text) {
    if (text.startsWith(u"0x"))
        return allOf(text.mid(2), isHexDigit);
    if (text.startsWith(u"0o"))
        return allOf(text.mid(2), isOctalDigit);
    if (text.startsWith(QLatin1Char('-')) || text.startsWith(QLatin1Char('+')))
        text = text.mid(1);
    if (text == u".inf" || text == u".Inf" || text == u".INF")
        return true;
    if (text == u".nan" || text == u".NaN" || text == u".NAN")
        return true;
    int i = 0;
    int digits = 0;
    while (i < text.size() && isDecimalDigit(text.at(i))) {
        ++i;
        ++digits;
    }
    if (i < text.size() && text.at(i) == QLatin1Char('.')) {
        ++i;
        while (i < text.size() && isDecimalDigit(text.at(i))) {
            ++i;
            ++digits;
        }
    }
    if (digits == 0)
        return false;
    if (i < text.size() && (text.at(i) == QLatin1Char('e') || text.at(i) == QLatin1Char('E'))) {
        ++i;
        if (i < text.size() && (text.at(i) == QLatin1Char('-') || text.at(i) == QLatin1Char('+')))
            ++i;
        if (i >= text.size())
            return false;
        while (i < text.size() && isDecimalDigit(text.at(i)))
            ++i;
    }
    return i == text.size();
}

bool isYamlConstant(QStringView text) {
    static const QStringView words[] = {u"true", u"false", u"yes", u"no", u"on", u"off", u"y", u"n", u"null"};
    if (text == u"~")
        return true;
    for (QStringView word : words) {
        if (text.compare(word, Qt::CaseInsensitive) != 0)
            continue;
        // Lower case, Capitalised or UPPER CASE, as YAML 1.1 spells them ("tRUE" is a string).
        const QStringView rest = text.mid(1);
        return text == word || rest == word.mid(1) ||
               std::all_of(text.begin(), text.end(), [](QChar c) { return c.isUpper(); });
    }
    return false;
}

} // namespace driftdeck::ui
