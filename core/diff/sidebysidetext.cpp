// Text renderings of the side-by-side model for the command line: unified and two-column.
#include "diff/sidebyside.h"

#include <algorithm>

namespace driftdeck::diff {

namespace {

QString hunkRange(int start, int count) {
    if (count == 1)
        return QString::number(start);
    return QString::number(start) + QLatin1Char(',') + QString::number(count);
}

int columns(char32_t c) {
    if (QChar::isMark(c))
        return 0;
    const bool wide =
        (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
        (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
        (c >= 0x1F680 && c <= 0x1F6FF) || (c >= 0x1F900 && c <= 0x1FAFF) || (c >= 0x20000 && c <= 0x3FFFD);
    return wide ? 2 : 1;
}

const QString kReset = QStringLiteral("\x1b[0m");
const QString kInverse = QStringLiteral("\x1b[7m");
const QString kNoInverse = QStringLiteral("\x1b[27m");

// Red for what the left side loses, green for what the right side has; the marker tells changed
// lines from removed and added ones.
QString colourOf(LineKind kind, Side side) {
    switch (kind) {
    case LineKind::Removed:
        return QStringLiteral("\x1b[31m");
    case LineKind::Added:
        return QStringLiteral("\x1b[32m");
    case LineKind::Changed:
        return side == Side::Left ? QStringLiteral("\x1b[31m") : QStringLiteral("\x1b[32m");
    default:
        return {};
    }
}

QChar markerOf(LineKind kind) {
    switch (kind) {
    case LineKind::Removed:
        return QLatin1Char('-');
    case LineKind::Added:
        return QLatin1Char('+');
    case LineKind::Changed:
        return QLatin1Char('~');
    default:
        return QLatin1Char(' ');
    }
}

// One side of a row in exactly `width` columns. Control characters are shown as U+FFFD: a live
// value must not be able to send escape sequences to the operator's terminal.
QString cell(const SideLine& line, Side side, int numberWidth, int width, bool colour) {
    QString out;
    int used = 0;
    if (!line.isFiller()) {
        out += QString::number(line.number).rightJustified(numberWidth) + QLatin1Char(' ') +
               markerOf(line.kind) + QLatin1Char(' ');
        used = numberWidth + 3;
    }
    const QString lineColour = colour ? colourOf(line.kind, side) : QString();
    out += lineColour;
    const QString& text = line.text;
    bool inverse = false;
    int i = 0;
    while (i < text.size()) {
        const QChar c = text.at(i);
        const int units =
            c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate() ? 2 : 1;
        const char32_t code = units == 2 ? QChar::surrogateToUcs4(c, text.at(i + 1)) : c.unicode();
        const bool control = code < 0x20 || (code >= 0x7F && code < 0xA0);
        const int w = control ? 1 : columns(code);
        const bool last = i + units >= text.size();
        if (used + w > width || (!last && used + w == width)) {
            // No room for this character and the rest: end with an ellipsis in the last column.
            if (used < width) {
                out += QChar(0x2026);
                ++used;
            }
            break;
        }
        if (colour) {
            const bool changed = std::any_of(line.changed.begin(), line.changed.end(),
                                             [i](const Range& r) { return r.start <= i && i < r.end(); });
            if (changed != inverse) {
                out += changed ? kInverse : kNoInverse;
                inverse = changed;
            }
        }
        if (control)
            out += QChar(0xFFFD);
        else
            out += QStringView(text).mid(i, units);
        used += w;
        i += units;
    }
    if (!lineColour.isEmpty())
        out += kReset;
    out += QString(std::max(0, width - used), QLatin1Char(' '));
    return out;
}

} // namespace

int terminalColumns(QStringView text) {
    int n = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            n += columns(QChar::surrogateToUcs4(c, text.at(i + 1)));
            ++i;
        } else {
            n += columns(c.unicode());
        }
    }
    return n;
}

QString unifiedText(const SideBySide& model, const UnifiedTextOptions& options) {
    if (model.identical())
        return {};
    QString out = QStringLiteral("--- ") + options.leftName + QStringLiteral("\n+++ ") + options.rightName +
                  QLatin1Char('\n');
    int leftBefore = 0, rightBefore = 0; // last line number of each side before the current chunk
    for (const Chunk& chunk : model.chunks) {
        int leftCount = 0, rightCount = 0, leftFirst = 0, rightFirst = 0;
        for (const Row& row : chunk.rows) {
            if (!row.left().isFiller()) {
                leftFirst = leftFirst ? leftFirst : row.left().number;
                ++leftCount;
            }
            if (!row.right().isFiller()) {
                rightFirst = rightFirst ? rightFirst : row.right().number;
                ++rightCount;
            }
        }
        if (!chunk.folded && chunk.hasChanges) {
            // As in diff -u, an empty range names the line before it.
            out += QStringLiteral("@@ -") + hunkRange(leftCount ? leftFirst : leftBefore, leftCount) +
                   QStringLiteral(" +") + hunkRange(rightCount ? rightFirst : rightBefore, rightCount) +
                   QStringLiteral(" @@\n");
            QString added;
            for (const Row& row : chunk.rows) {
                if (row.isContext()) {
                    out += added;
                    added.clear();
                    out += QLatin1Char(' ') + row.left().text + QLatin1Char('\n');
                    continue;
                }
                if (!row.left().isFiller())
                    out += QLatin1Char('-') + row.left().text + QLatin1Char('\n');
                if (!row.right().isFiller())
                    added += QLatin1Char('+') + row.right().text + QLatin1Char('\n');
            }
            out += added;
        }
        leftBefore += leftCount;
        rightBefore += rightCount;
    }
    return out;
}

QString sideBySideText(const SideBySide& model, const SideBySideTextOptions& options) {
    const int numberWidth =
        int(QString::number(std::max({1, model.leftLineCount, model.rightLineCount})).size());
    // Each side needs at least its number, marker and one character of text.
    const int sideWidth = std::max(numberWidth + 4, (options.width - 3) / 2);
    const QString separator = QStringLiteral(" | ");
    QString out;
    for (const Chunk& chunk : model.chunks) {
        if (chunk.folded) {
            const QString fold = QStringLiteral("\u2026 %1 unchanged line%2 \u2026")
                                     .arg(chunk.hiddenRows())
                                     .arg(chunk.hiddenRows() == 1 ? QString() : QStringLiteral("s"));
            const int pad = std::max(0, (2 * sideWidth + 3 - int(fold.size())) / 2);
            out += QString(pad, QLatin1Char(' ')) + fold + QLatin1Char('\n');
            continue;
        }
        for (const Row& row : chunk.rows) {
            QString line = cell(row.left(), Side::Left, numberWidth, sideWidth, options.ansiColour) +
                           separator +
                           cell(row.right(), Side::Right, numberWidth, sideWidth, options.ansiColour);
            while (line.endsWith(QLatin1Char(' ')))
                line.chop(1);
            out += line + QLatin1Char('\n');
        }
    }
    return out;
}

} // namespace driftdeck::diff
