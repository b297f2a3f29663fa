#include "yaml/simpleblock_p.h"

#include <algorithm>
#include <string_view>

namespace driftdeck::yaml::detail {
namespace {

struct Line {
    size_t offset = 0;        // of the line in the source
    int indent = 0;           // column where the content starts
    std::string_view content; // from `indent`, without the line break or a trailing '\r'
    std::string_view raw;     // the whole line with its trailing spaces (for literal blocks)
};

// Thrown inside this file only: the document is not in the simple subset.
struct NotSimple {};

[[noreturn]] void giveUp() {
    throw NotSimple{};
}

// The scanner recurses once per nested block or flow collection. Manifests nest far less than
// this; deeper documents go to yaml-cpp, whose depth guard and the builder's limit report them.
constexpr int kMaxDepth = 100;

class DepthGuard {
public:
    explicit DepthGuard(int& depth)
        : m_depth(depth) {
        if (++m_depth > kMaxDepth) {
            --m_depth;
            giveUp();
        }
    }
    ~DepthGuard() { --m_depth; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

private:
    int& m_depth;
};

bool isBlankOrComment(std::string_view content) {
    return content.empty() || content.front() == '#';
}

std::string_view trimRight(std::string_view s) {
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    return s;
}

// Characters that make a scalar something other than a one-line plain scalar when first.
bool isIndicator(char c) {
    return std::string_view("-?:,[]{}#&*!|>'\"%@`").find(c) != std::string_view::npos;
}

class Scanner {
public:
    Scanner(const std::string& source, std::vector<SimpleEvent>* events)
        : m_source(source)
        , m_events(events) {}

    void run() {
        splitLines();
        skipBlank();
        if (m_pos >= m_lines.size())
            giveUp(); // empty document: let yaml-cpp say so
        const Line& first = m_lines[m_pos];
        if (first.indent != 0)
            giveUp();
        parseBlock(first.indent);
        skipBlank();
        if (m_pos < m_lines.size())
            giveUp();
    }

private:
    void splitLines() {
        const std::string_view all(m_source);
        if (all.starts_with("\xEF\xBB\xBF"))
            giveUp();
        size_t start = 0;
        while (start <= all.size()) {
            // A final line break ends the last line; it does not start an empty one (which a `|+`
            // block at the end would keep as one more trailing newline).
            if (start == all.size() && start > 0)
                break;
            size_t end = all.find('\n', start);
            if (end == std::string_view::npos)
                end = all.size();
            std::string_view text = all.substr(start, end - start);
            if (!text.empty() && text.back() == '\r')
                text.remove_suffix(1);
            for (const char c : text) {
                const auto u = static_cast<unsigned char>(c);
                if (u < 0x20 || u == 0x7F)
                    giveUp(); // tabs, stray carriage returns, controls
            }
            // NEL, LS, PS are line breaks to go-yaml and a BOM is dropped: not simple.
            if (text.find("\xC2\x85") != std::string_view::npos ||
                text.find("\xE2\x80\xA8") != std::string_view::npos ||
                text.find("\xE2\x80\xA9") != std::string_view::npos ||
                text.find("\xEF\xBB\xBF") != std::string_view::npos)
                giveUp();
            Line line;
            line.offset = start;
            size_t indent = 0;
            while (indent < text.size() && text[indent] == ' ')
                ++indent;
            line.indent = int(indent);
            line.content = trimRight(text.substr(indent));
            line.raw = text;
            if (indent == 0 && (line.content.starts_with("...") || line.content.starts_with("---")))
                giveUp();
            m_lines.push_back(line);
            if (end == all.size())
                break;
            start = end + 1;
        }
    }

    void skipBlank() {
        while (m_pos < m_lines.size() && isBlankOrComment(m_lines[m_pos].content))
            ++m_pos;
    }

    YAML::Mark markAt(const Line& line, int column) const {
        YAML::Mark mark;
        mark.pos = int(line.offset) + column;
        mark.line = int(&line - m_lines.data());
        mark.column = column;
        return mark;
    }

    void emit(SimpleEvent::Type type, const YAML::Mark& mark, bool quoted = false, std::string value = {}) {
        m_events->push_back(SimpleEvent{type, mark, quoted, std::move(value)});
    }

    static bool isSequenceEntry(std::string_view content) {
        return content == "-" || content.starts_with("- ");
    }

    // The node whose first line is the current one, at exactly `indent`.
    void parseBlock(int indent) {
        if (isSequenceEntry(m_lines[m_pos].content))
            parseSequence(indent);
        else
            parseMap(indent);
    }

    // What follows "key:" or "-" with nothing after it on the line.
    void parseNestedOrNull(int parentIndent, bool allowIndentlessSequence, const YAML::Mark& mark) {
        ++m_pos;
        skipBlank();
        if (m_pos < m_lines.size()) {
            const Line& next = m_lines[m_pos];
            if (next.indent > parentIndent) {
                parseBlock(next.indent);
                return;
            }
            if (allowIndentlessSequence && next.indent == parentIndent && isSequenceEntry(next.content)) {
                parseSequence(parentIndent);
                return;
            }
        }
        emit(SimpleEvent::Type::Null, mark);
    }

    // A one-line scalar starting at `column` of the current line; the next line must not continue it.
    void parseInlineScalar(int column, int parentIndent) {
        const Line& line = m_lines[m_pos];
        std::string_view text = line.content.substr(size_t(column - line.indent));
        const YAML::Mark mark = markAt(line, column);
        const char first = text.front();
        if (first == '|') {
            parseLiteral(text, mark, parentIndent);
            return;
        }
        if (first == '[' || first == '{') {
            size_t i = 0;
            parseFlowNode(text, i, line, column);
            if (i < text.size() && !(text[i] == '#' && text[i - 1] == ' '))
                giveUp();
            ++m_pos;
            skipBlank();
            if (m_pos < m_lines.size() && m_lines[m_pos].indent > parentIndent)
                giveUp();
            return;
        }
        if (first == '"' || first == '\'') {
            std::string value;
            size_t i = 1;
            bool closed = false;
            for (; i < text.size(); ++i) {
                const char c = text[i];
                if (first == '"' && c == '\\')
                    giveUp(); // escapes: yaml-cpp decodes them
                if (c == first) {
                    if (first == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
                        value.push_back('\'');
                        ++i;
                        continue;
                    }
                    closed = true;
                    break;
                }
                value.push_back(c);
            }
            if (!closed)
                giveUp();
            const std::string_view after = text.substr(i + 1);
            if (!after.empty() && !after.starts_with(" #") && trimRight(after).size() != 0)
                giveUp();
            emit(SimpleEvent::Type::Scalar, mark, true, std::move(value));
        } else {
            // "-x" and "--flag" are plain; "-", "- x" and "---" are not.
            if (isIndicator(first) &&
                !(first == '-' && text.size() > 1 && text[1] != ' ' && !text.starts_with("---")))
                giveUp();
            const size_t comment = text.find(" #");
            if (comment != std::string_view::npos)
                text = trimRight(text.substr(0, comment));
            if (text.find(": ") != std::string_view::npos || text.back() == ':')
                giveUp();
            emit(SimpleEvent::Type::Scalar, mark, false, std::string(text));
        }
        ++m_pos;
        skipBlank();
        if (m_pos < m_lines.size() && m_lines[m_pos].indent > parentIndent)
            giveUp(); // a multi-line scalar or a stray indented line
    }

    // A literal block scalar (`|`, `|-`, `|+`) whose lines follow the current one.
    void parseLiteral(std::string_view header, const YAML::Mark& mark, int parentIndent) {
        char chomping = ' ';
        size_t i = 1;
        if (i < header.size() && (header[i] == '-' || header[i] == '+'))
            chomping = header[i++];
        const std::string_view rest = header.substr(i);
        if (!rest.empty() && !(rest.front() == ' ' && rest.find_first_not_of(' ') != std::string_view::npos &&
                               rest[rest.find_first_not_of(' ')] == '#'))
            giveUp(); // an indentation indicator or something else after the header
        std::vector<std::string_view> body;
        int blockIndent = -1;
        int leadingBlankIndent = 0;
        size_t p = m_pos + 1;
        for (; p < m_lines.size(); ++p) {
            const Line& l = m_lines[p];
            if (l.content.empty()) {
                if (blockIndent < 0)
                    leadingBlankIndent = std::max(leadingBlankIndent, l.indent);
                else if (l.indent > blockIndent)
                    giveUp(); // spaces that belong to the text
                body.emplace_back();
                continue;
            }
            if (blockIndent < 0) {
                if (l.indent <= parentIndent)
                    break;
                blockIndent = l.indent;
            } else if (l.indent < blockIndent) {
                break;
            }
            body.push_back(l.raw.substr(size_t(blockIndent)));
        }
        if (blockIndent < 0 || leadingBlankIndent > blockIndent)
            giveUp();
        size_t count = body.size();
        size_t trailing = 0;
        while (count > 0 && body[count - 1].empty()) {
            --count;
            ++trailing;
        }
        std::string value;
        for (size_t k = 0; k < count; ++k) {
            value.append(body[k]);
            value.push_back('\n');
        }
        if (chomping == '-')
            value.pop_back();
        else if (chomping == '+')
            value.append(trailing, '\n');
        emit(SimpleEvent::Type::Scalar, mark, true, std::move(value));
        m_pos = p;
        skipBlank();
        if (m_pos < m_lines.size() && m_lines[m_pos].indent > parentIndent)
            giveUp();
    }

    static void skipSpaces(std::string_view text, size_t& i) {
        while (i < text.size() && text[i] == ' ')
            ++i;
    }

    // A one-line flow collection or a scalar inside one; `i` moves past it.
    void parseFlowNode(std::string_view text, size_t& i, const Line& line, int column) {
        const DepthGuard guard(m_depth);
        skipSpaces(text, i);
        if (i >= text.size())
            giveUp();
        const char open = text[i];
        if (open != '[' && open != '{') {
            parseFlowScalar(text, i, line, column);
            return;
        }
        const bool map = open == '{';
        const char close = map ? '}' : ']';
        emit(map ? SimpleEvent::Type::MapStart : SimpleEvent::Type::SeqStart, markAt(line, column + int(i)));
        ++i;
        skipSpaces(text, i);
        if (i < text.size() && text[i] == close) {
            ++i;
        } else {
            while (true) {
                if (map) {
                    skipSpaces(text, i);
                    if (i >= text.size() || text[i] == '[' || text[i] == '{')
                        giveUp();
                    parseFlowScalar(text, i, line, column);
                    if (i + 1 >= text.size() || text[i] != ':' || text[i + 1] != ' ')
                        giveUp();
                    i += 2;
                }
                parseFlowNode(text, i, line, column);
                skipSpaces(text, i);
                if (i < text.size() && text[i] == ',') {
                    ++i;
                    skipSpaces(text, i);
                    if (i < text.size() && text[i] == close)
                        giveUp(); // a trailing comma: let yaml-cpp judge it
                    continue;
                }
                if (i < text.size() && text[i] == close) {
                    ++i;
                    break;
                }
                giveUp();
            }
        }
        emit(map ? SimpleEvent::Type::MapEnd : SimpleEvent::Type::SeqEnd, YAML::Mark());
        skipSpaces(text, i);
    }

    void parseFlowScalar(std::string_view text, size_t& i, const Line& line, int column) {
        const YAML::Mark mark = markAt(line, column + int(i));
        const char first = text[i];
        if (first == '"' || first == '\'') {
            std::string value;
            size_t k = i + 1;
            for (; k < text.size(); ++k) {
                const char c = text[k];
                if (first == '"' && c == '\\')
                    giveUp();
                if (c == first) {
                    if (first == '\'' && k + 1 < text.size() && text[k + 1] == '\'') {
                        value.push_back('\'');
                        ++k;
                        continue;
                    }
                    break;
                }
                value.push_back(c);
            }
            if (k >= text.size())
                giveUp();
            i = k + 1;
            skipSpaces(text, i);
            emit(SimpleEvent::Type::Scalar, mark, true, std::move(value));
            return;
        }
        // "-x" and "--flag" are plain here too; "-", "- x" and "---" are not.
        if (isIndicator(first) && !(first == '-' && i + 1 < text.size() && text[i + 1] != ' ' &&
                                    std::string_view(",[]{}").find(text[i + 1]) == std::string_view::npos &&
                                    !text.substr(i).starts_with("---")))
            giveUp();
        const size_t end = text.find_first_of(",[]{}:#", i);
        const std::string_view value =
            trimRight(text.substr(i, end == std::string_view::npos ? text.npos : end - i));
        if (value.empty())
            giveUp();
        i = end == std::string_view::npos ? text.size() : end;
        if (i < text.size() && text[i] == '#')
            giveUp();
        emit(SimpleEvent::Type::Scalar, mark, false, std::string(value));
    }

    void parseMap(int indent) {
        const DepthGuard guard(m_depth);
        emit(SimpleEvent::Type::MapStart, markAt(m_lines[m_pos], indent));
        while (true) {
            skipBlank();
            if (m_pos >= m_lines.size())
                break;
            const Line& line = m_lines[m_pos];
            if (line.indent < indent)
                break;
            if (line.indent > indent || isSequenceEntry(line.content))
                giveUp();
            parseKey(line);
            // the value
            const std::string_view content = line.content;
            const size_t colon = m_keyEnd;
            size_t valueStart = colon + 1;
            while (valueStart < content.size() && content[valueStart] == ' ')
                ++valueStart;
            const YAML::Mark afterKey = markAt(line, line.indent + int(colon) + 1);
            if (valueStart >= content.size() || content[valueStart] == '#')
                parseNestedOrNull(indent, true, afterKey);
            else
                parseInlineScalar(line.indent + int(valueStart), indent);
        }
        emit(SimpleEvent::Type::MapEnd, YAML::Mark());
    }

    // Emits the key of a "key: value" line and leaves m_keyEnd at the ':' (relative to content).
    void parseKey(const Line& line) {
        const std::string_view content = line.content;
        const YAML::Mark mark = markAt(line, line.indent);
        const char first = content.front();
        if (first == '"' || first == '\'') {
            std::string value;
            size_t i = 1;
            for (; i < content.size(); ++i) {
                const char c = content[i];
                if (first == '"' && c == '\\')
                    giveUp();
                if (c == first) {
                    if (first == '\'' && i + 1 < content.size() && content[i + 1] == '\'') {
                        value.push_back('\'');
                        ++i;
                        continue;
                    }
                    break;
                }
                value.push_back(c);
            }
            if (i + 1 >= content.size() || content[i + 1] != ':')
                giveUp(); // not closed on this line, or not followed by ':'

            if (i + 2 < content.size() && content[i + 2] != ' ')
                giveUp();
            m_keyEnd = i + 1;
            emit(SimpleEvent::Type::Scalar, mark, true, std::move(value));
            return;
        }
        if (isIndicator(first))
            giveUp();
        size_t colon = content.find(": ");
        if (colon == std::string_view::npos) {
            if (content.back() != ':')
                giveUp(); // a multi-line key or a plain scalar where a key should be
            colon = content.size() - 1;
        }
        const std::string_view key = trimRight(content.substr(0, colon));
        if (key.find(" #") != std::string_view::npos || key.find(':') != std::string_view::npos ||
            key.empty())
            giveUp();
        m_keyEnd = colon;
        emit(SimpleEvent::Type::Scalar, mark, false, std::string(key));
    }

    void parseSequence(int indent) {
        const DepthGuard guard(m_depth);
        emit(SimpleEvent::Type::SeqStart, markAt(m_lines[m_pos], indent));
        while (true) {
            skipBlank();
            if (m_pos >= m_lines.size())
                break;
            Line& line = m_lines[m_pos];
            if (line.indent < indent || (line.indent == indent && !isSequenceEntry(line.content)))
                break; // the parent continues (a map whose list was not indented)
            if (line.indent > indent)
                giveUp();
            size_t start = 1;
            while (start < line.content.size() && line.content[start] == ' ')
                ++start;
            const YAML::Mark dash = markAt(line, indent);
            if (start >= line.content.size() || line.content[start] == '#') {
                parseNestedOrNull(indent, false, dash);
                continue;
            }
            const std::string_view item = line.content.substr(start);
            if (isSequenceEntry(item))
                giveUp(); // "- - x"
            const bool isMapEntry = std::string_view("[{|").find(item.front()) == std::string_view::npos &&
                                    (item.find(": ") != std::string_view::npos || item.back() == ':');
            if (isMapEntry && item.front() != '"' && item.front() != '\'') {
                // "- key: value": a map whose first line is this one, from the item's column
                line.indent += int(start);
                line.content = item;
                parseMap(line.indent);
                continue;
            }
            if (isMapEntry)
                giveUp(); // a quoted key or a quoted value with ": " inside: leave it to yaml-cpp
            parseInlineScalar(line.indent + int(start), indent);
        }
        emit(SimpleEvent::Type::SeqEnd, YAML::Mark());
    }

    const std::string& m_source;
    std::vector<SimpleEvent>* m_events;
    std::vector<Line> m_lines;
    size_t m_pos = 0;
    size_t m_keyEnd = 0;
    int m_depth = 0;
};

} // namespace

bool scanSimpleBlockDocument(const std::string& source, std::vector<SimpleEvent>* events) {
    events->clear();
    try {
        Scanner(source, events).run();
        return true;
    } catch (const NotSimple&) {
        events->clear();
        return false;
    }
}

} // namespace driftdeck::yaml::detail
