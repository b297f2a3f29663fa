#include "workspace/linefinder.h"

#include <QRegularExpression>

namespace driftdeck::workspace {

using namespace Qt::StringLiterals;

namespace {

int indentOf(const QString& line) {
    int indent = 0;
    while (indent < line.size() && line.at(indent) == u' ')
        ++indent;
    return indent;
}

bool isItemStart(const QString& line, int* column) {
    const int indent = indentOf(line);
    if (line.mid(indent).startsWith("- "_L1) || line.mid(indent) == "-"_L1) {
        *column = indent;
        return true;
    }
    return false;
}

} // namespace

LineFinder::LineFinder(const QByteArray& text) {
    const QString all = QString::fromUtf8(text);
    m_lines = all.split(u'\n');
}

int LineFinder::keyLine(const QString& key, int from, int to) const {
    const QRegularExpression pattern(u"^\\s*(?:-\\s+)?[\"']?"_s + QRegularExpression::escape(key) +
                                     u"[\"']?\\s*:(?:\\s|$)"_s);
    const int last = to > 0 ? qMin(to, lineCount()) : lineCount();
    for (int line = qMax(1, from); line <= last; ++line) {
        if (pattern.match(m_lines.at(line - 1)).hasMatch())
            return line;
    }
    return 0;
}

int LineFinder::valueLine(const QString& key, const QString& value, int from) const {
    const QRegularExpression pattern(u"^\\s*(?:-\\s+)?"_s + QRegularExpression::escape(key) +
                                     u"\\s*:\\s*[\"']?"_s + QRegularExpression::escape(value) +
                                     u"[\"']?\\s*(?:#.*)?$"_s);
    for (int line = qMax(1, from); line <= lineCount(); ++line) {
        if (pattern.match(m_lines.at(line - 1)).hasMatch())
            return line;
    }
    return 0;
}

int LineFinder::entryLine(const QString& listKey, const QString& name) const {
    const QRegularExpression top(u"^"_s + QRegularExpression::escape(listKey) + u"\\s*:"_s);
    int start = 0;
    for (int line = 1; line <= lineCount(); ++line) {
        if (top.match(m_lines.at(line - 1)).hasMatch()) {
            start = line;
            break;
        }
    }
    if (start == 0)
        return 0;
    const QRegularExpression nameLine(u"^\\s*(?:-\\s+)?name\\s*:\\s*[\"']?"_s +
                                      QRegularExpression::escape(name) + u"[\"']?\\s*(?:#.*)?$"_s);
    for (int line = start + 1; line <= lineCount(); ++line) {
        const QString& text = m_lines.at(line - 1);
        if (!text.isEmpty() && !text.at(0).isSpace() && text.at(0) != u'-' && text.at(0) != u'#')
            break; // next top-level key
        if (nameLine.match(text).hasMatch()) {
            // The entry starts at the closest "- " at or above the name line.
            for (int up = line; up > start; --up) {
                int column = 0;
                if (isItemStart(m_lines.at(up - 1), &column))
                    return up;
            }
            return line;
        }
    }
    return 0;
}

int LineFinder::entryEnd(int entryLine) const {
    if (entryLine <= 0)
        return 0;
    int column = 0;
    if (!isItemStart(m_lines.at(entryLine - 1), &column))
        return lineCount();
    for (int line = entryLine + 1; line <= lineCount(); ++line) {
        const QString& text = m_lines.at(line - 1);
        if (text.trimmed().isEmpty() || text.trimmed().startsWith(u'#'))
            continue;
        int next = 0;
        if (isItemStart(text, &next) && next == column)
            return line - 1;
        if (indentOf(text) < column || (indentOf(text) == column && !text.mid(column).startsWith(u'-')))
            return line - 1;
    }
    return lineCount();
}

} // namespace driftdeck::workspace
