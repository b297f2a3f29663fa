#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace driftdeck::workspace {

// Finds lines of keys in a block-style YAML text. The parsed JSON has no positions, and messages
// about unknown keys must say file:line; workspace and Application files are block-style, so a
// textual search inside the right range of lines is reliable enough. 0 means "not found".
class LineFinder {
public:
    explicit LineFinder(const QByteArray& text);

    // First line in [from, to] (1-based, to = 0 for the end) whose content is `key:` or `- key:`.
    int keyLine(const QString& key, int from = 1, int to = 0) const;
    // First line at or after `from` whose content is `key: value` (value optionally quoted), or 0.
    int valueLine(const QString& key, const QString& value, int from = 1) const;
    // Line of the entry of list `listKey` whose `name:` is `name` (top-level lists only).
    int entryLine(const QString& listKey, const QString& name) const;
    // The line before the next entry of the same list (or end): the range of an entry.
    int entryEnd(int entryLine) const;
    int lineCount() const { return int(m_lines.size()); }

private:
    QList<QString> m_lines;
};

} // namespace driftdeck::workspace
