#include "diffdocument.h"

#include "diff/lineowners.h"

#include <algorithm>
#include <tuple>

namespace driftdeck::ui {

namespace {

int indentOf(const QString& line) {
    int n = 0;
    while (n < line.size() && line.at(n) == QLatin1Char(' '))
        ++n;
    return n;
}

// `key: |`, `- >-`, `key: |2+`: the line ends with a block scalar indicator.
bool opensBlockScalar(const QString& line) {
    int end = int(line.size());
    while (end > 0 && line.at(end - 1) == QLatin1Char(' '))
        --end;
    int start = end;
    while (start > 0 && line.at(start - 1) != QLatin1Char(' '))
        --start;
    const QStringView token = QStringView(line).mid(start, end - start);
    if (token.isEmpty() || (token.front() != QLatin1Char('|') && token.front() != QLatin1Char('>')) ||
        token.size() > 3)
        return false;
    for (QChar c : token.mid(1)) {
        if (!c.isDigit() && c != QLatin1Char('-') && c != QLatin1Char('+'))
            return false;
    }
    int before = start;
    while (before > 0 && line.at(before - 1) == QLatin1Char(' '))
        --before;
    return before == 0 || line.at(before - 1) == QLatin1Char(':') || line.at(before - 1) == QLatin1Char('-');
}

int longestOf(const QStringList& lines) {
    qsizetype longest = 0;
    for (const QString& line : lines)
        longest = std::max(longest, line.size());
    return int(std::min<qsizetype>(longest, DiffDocument::kMaxPaintedChars));
}

auto keyOf(const DisplayRow& d) {
    return std::make_tuple(d.section, d.chunk, d.type == DisplayRow::Type::Fold ? 0 : d.row);
}

} // namespace

QList<bool> blockScalarBodyLines(const QStringList& lines) {
    QList<bool> body(lines.size(), false);
    int parentIndent = -1;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString& line = lines.at(i);
        const int indent = indentOf(line);
        if (parentIndent >= 0) {
            if (indent == line.size() || indent > parentIndent) {
                body[i] = true;
                continue;
            }
            parentIndent = -1;
        }
        if (opensBlockScalar(line))
            parentIndent = indent;
    }
    return body;
}

DiffSection makeDiffSection(const ResourceKey& key, diff::ObjectDiff::State state,
                            const QStringList& desiredLines, const QStringList& liveLines,
                            const QList<diff::LineOwner>& liveOwners,
                            const diff::SideBySideOptions& options) {
    DiffSection section;
    section.key = key;
    section.state = state;
    section.desiredLines = desiredLines;
    section.liveLines = liveLines;
    section.sideBySide = diff::buildSideBySide(desiredLines, liveLines, options);
    section.liveOwners = liveOwners;
    section.desiredInBlockScalar = blockScalarBodyLines(desiredLines);
    section.liveInBlockScalar = blockScalarBodyLines(liveLines);
    section.longestLine = std::max(longestOf(desiredLines), longestOf(liveLines));
    return section;
}

DiffSection makeDiffSection(const diff::ObjectDiff& objectDiff, const QJsonArray& liveManagedFields,
                            const diff::SideBySideOptions& options) {
    const QStringList desired = objectDiff.desired.isNull() ? QStringList() : objectDiff.desired.yamlLines();
    const QStringList live = objectDiff.live.isNull() ? QStringList() : objectDiff.live.yamlLines();
    QList<diff::LineOwner> owners;
    if (!objectDiff.live.isNull() && !liveManagedFields.isEmpty())
        owners = diff::lineOwners(objectDiff.live, liveManagedFields);
    return makeDiffSection(objectDiff.key, objectDiff.state, desired, live, owners, options);
}

int DiffDocument::addSection(DiffSection section) {
    const int index = int(m_sections.size());
    const QList<diff::Chunk>& chunks = section.sideBySide.chunks;
    for (int c = 0; c < int(chunks.size()); ++c) {
        const QList<diff::Row>& rows = chunks.at(c).rows;
        for (int r = 0; r < int(rows.size()); ++r) {
            if (rows.at(r).isContext())
                continue;
            if (r > 0 && !rows.at(r - 1).isContext())
                ++m_changes.last().rowCount;
            else
                m_changes.append(ChangeLocation{index, c, r, 1});
        }
    }
    m_longestLine = std::max(m_longestLine, section.longestLine);
    m_expanded.append(QList<bool>(chunks.size(), false));
    m_collapsed.append(false);
    m_sections.append(std::move(section));
    // Appending lays out only the new section: building a document of thousands stays linear.
    if (m_singleSection < 0)
        appendLayout(index);
    return index;
}

void DiffDocument::setDesiredProvenance(int section, const QHash<int, Provenance>& byLine) {
    if (section < 0 || section >= sectionCount())
        return;
    DiffSection& s = m_sections[section];
    QList<Provenance> list(s.desiredLines.size());
    for (auto it = byLine.cbegin(); it != byLine.cend(); ++it) {
        if (it.key() >= 1 && it.key() <= list.size())
            list[it.key() - 1] = it.value();
    }
    s.desiredProvenance = std::move(list);
}

void DiffDocument::setDesiredProvenance(int section, const QList<Provenance>& byIndex) {
    if (section >= 0 && section < sectionCount())
        m_sections[section].desiredProvenance = byIndex;
}

void DiffDocument::setLiveOwners(int section, const QList<diff::LineOwner>& byIndex) {
    if (section >= 0 && section < sectionCount())
        m_sections[section].liveOwners = byIndex;
}

Provenance DiffDocument::desiredProvenance(int section, int lineNumber) const {
    if (section < 0 || section >= sectionCount() || lineNumber < 1)
        return {};
    return m_sections.at(section).desiredProvenance.value(lineNumber - 1);
}

diff::LineOwner DiffDocument::liveOwner(int section, const diff::SideLine& line) const {
    if (section < 0 || section >= sectionCount() || line.number < 1)
        return {};
    const diff::LineOwner owner = m_sections.at(section).liveOwners.value(line.number - 1);
    return owner.isNull() ? line.owner : owner;
}

void DiffDocument::setSingleSection(int section) {
    m_singleSection = section >= 0 && section < sectionCount() ? section : -1;
    relayout();
}

void DiffDocument::setMinimumFoldRows(int rows) {
    m_minimumFoldRows = std::max(1, rows);
    relayout();
}

bool DiffDocument::isFolded(int section, int chunk) const {
    return section >= 0 && section < sectionCount() && chunk >= 0 &&
           chunk < m_sections.at(section).sideBySide.chunks.size() && chunkShowsFold(section, chunk);
}

bool DiffDocument::chunkShowsFold(int section, int chunk) const {
    const diff::Chunk& c = m_sections.at(section).sideBySide.chunks.at(chunk);
    return c.folded && !m_expanded.at(section).at(chunk) && c.rows.size() >= m_minimumFoldRows;
}

void DiffDocument::setFoldExpanded(int section, int chunk, bool expanded) {
    if (section < 0 || section >= sectionCount() || chunk < 0 || chunk >= m_expanded.at(section).size())
        return;
    m_expanded[section][chunk] = expanded;
    relayout();
}

void DiffDocument::expandAllFolds() {
    for (QList<bool>& chunks : m_expanded)
        chunks.fill(true);
    relayout();
}

void DiffDocument::collapseAllFolds() {
    for (QList<bool>& chunks : m_expanded)
        chunks.fill(false);
    relayout();
}

int DiffDocument::foldCount() const {
    return int(std::count_if(m_display.cbegin(), m_display.cend(),
                             [](const DisplayRow& d) { return d.type == DisplayRow::Type::Fold; }));
}

int DiffDocument::hiddenLineCount() const {
    int hidden = 0;
    for (const DisplayRow& d : m_display)
        hidden += hiddenRowsOfFold(d);
    return hidden;
}

void DiffDocument::setSectionCollapsed(int section, bool collapsed) {
    if (section < 0 || section >= sectionCount())
        return;
    m_collapsed[section] = collapsed;
    relayout();
}

bool DiffDocument::isSectionCollapsed(int section) const {
    return section >= 0 && section < sectionCount() && m_collapsed.at(section);
}

void DiffDocument::relayout() {
    m_display.clear();
    if (m_singleSection >= 0) {
        appendLayout(m_singleSection);
        return;
    }
    for (int s = 0; s < sectionCount(); ++s)
        appendLayout(s);
}

void DiffDocument::appendLayout(int s) {
    if (m_singleSection < 0) {
        m_display.append(DisplayRow{DisplayRow::Type::Header, s, -1, 0});
        if (m_collapsed.at(s))
            return;
    }
    const QList<diff::Chunk>& chunks = m_sections.at(s).sideBySide.chunks;
    for (int c = 0; c < int(chunks.size()); ++c) {
        if (chunkShowsFold(s, c)) {
            m_display.append(DisplayRow{DisplayRow::Type::Fold, s, c, 0});
            continue;
        }
        for (int r = 0; r < int(chunks.at(c).rows.size()); ++r)
            m_display.append(DisplayRow{DisplayRow::Type::Line, s, c, r});
    }
}

int DiffDocument::displayRowOf(int section, int chunk, int row) const {
    if (section < 0 || section >= sectionCount())
        return -1;
    if (chunk >= 0 && chunk < m_expanded.at(section).size() && chunkShowsFold(section, chunk))
        row = 0;
    const auto target = std::make_tuple(section, chunk, row);
    const auto it = std::lower_bound(m_display.cbegin(), m_display.cend(), target,
                                     [](const DisplayRow& d, const auto& t) { return keyOf(d) < t; });
    if (it == m_display.cend() || keyOf(*it) != target)
        return -1;
    return int(it - m_display.cbegin());
}

int DiffDocument::headerRowOf(int section) const {
    return displayRowOf(section, -1, 0);
}

const diff::Row& DiffDocument::rowAt(const DisplayRow& row) const {
    return m_sections.at(row.section).sideBySide.chunks.at(row.chunk).rows.at(row.row);
}

int DiffDocument::hiddenRowsOfFold(const DisplayRow& row) const {
    if (row.type != DisplayRow::Type::Fold)
        return 0;
    return int(m_sections.at(row.section).sideBySide.chunks.at(row.chunk).rows.size());
}

int DiffDocument::displayRowOfChange(int index) const {
    if (index < 0 || index >= changeCount())
        return -1;
    const ChangeLocation& c = m_changes.at(index);
    return displayRowOf(c.section, c.chunk, c.firstRow);
}

int DiffDocument::nextChange(int row) const {
    for (int i = 0; i < changeCount(); ++i) {
        if (displayRowOfChange(i) > row)
            return i;
    }
    return -1;
}

int DiffDocument::previousChange(int row) const {
    for (int i = changeCount() - 1; i >= 0; --i) {
        const int at = displayRowOfChange(i);
        if (at >= 0 && at < row)
            return i;
    }
    return -1;
}

int DiffDocument::changeAt(int row) const {
    if (row < 0 || row >= displayRowCount() || m_display.at(row).type != DisplayRow::Type::Line)
        return -1;
    const DisplayRow& d = m_display.at(row);
    const auto target = std::make_tuple(d.section, d.chunk, d.row);
    auto it =
        std::upper_bound(m_changes.cbegin(), m_changes.cend(), target, [](const auto& t, const auto& c) {
            return t < std::make_tuple(c.section, c.chunk, c.firstRow);
        });
    if (it == m_changes.cbegin())
        return -1;
    --it;
    if (it->section != d.section || it->chunk != d.chunk || d.row >= it->firstRow + it->rowCount)
        return -1;
    return int(it - m_changes.cbegin());
}

QString DiffDocument::yaml(int section, diff::Side side) const {
    if (section < 0 || section >= sectionCount())
        return {};
    const QStringList& lines =
        side == diff::Side::Left ? m_sections.at(section).desiredLines : m_sections.at(section).liveLines;
    return lines.isEmpty() ? QString() : lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace driftdeck::ui
