#pragma once

// Readable failures and the golden-file form of the diff types.

#include "diff/linediff.h"
#include "diff/sidebyside.h"
#include "diff/worddiff.h"

#include <QString>

#include <algorithm>
#include <ostream>

namespace driftdeck::diff {

inline const char* kindName(EditKind kind) {
    switch (kind) {
    case EditKind::Equal:
        return "Equal";
    case EditKind::Delete:
        return "Delete";
    case EditKind::Insert:
        return "Insert";
    }
    return "?";
}

inline QChar goldenMarker(LineKind kind) {
    switch (kind) {
    case LineKind::Context:
        return QLatin1Char(' ');
    case LineKind::Removed:
        return QLatin1Char('-');
    case LineKind::Added:
        return QLatin1Char('+');
    case LineKind::Changed:
        return QLatin1Char('~');
    case LineKind::Filler:
        return QLatin1Char('.');
    }
    return QLatin1Char('?');
}

// The text of a line with its intra-line ranges in [-…-] (left) or {+…+} (right).
inline QString markedText(const SideLine& line, Side side) {
    const QString open = side == Side::Left ? QStringLiteral("[-") : QStringLiteral("{+");
    const QString close = side == Side::Left ? QStringLiteral("-]") : QStringLiteral("+}");
    QString out;
    int at = 0;
    for (const Range& r : line.changed) {
        out += line.text.mid(at, r.start - at) + open + line.text.mid(r.start, r.length) + close;
        at = r.end();
    }
    return out + line.text.mid(at);
}

// "number marker text", the number blank for a filler.
inline QString goldenSide(const SideLine& line, Side side, int numberWidth) {
    const QString number = line.isFiller() ? QString() : QString::number(line.number);
    return number.rightJustified(numberWidth) + QLatin1Char(' ') + goldenMarker(line.kind) +
           QLatin1Char(' ') + markedText(line, side);
}

// One row per line, the left side padded to the terminal column of `|`; folds as "… N unchanged lines …".
inline QString goldenText(const SideBySide& model) {
    const int numberWidth =
        int(QString::number(std::max({1, model.leftLineCount, model.rightLineCount})).size());
    int leftWidth = 0;
    for (const Chunk& chunk : model.chunks) {
        if (chunk.folded)
            continue;
        for (const Row& row : chunk.rows)
            leftWidth = std::max(leftWidth, terminalColumns(goldenSide(row.left(), Side::Left, numberWidth)));
    }
    QString out;
    for (const Chunk& chunk : model.chunks) {
        if (chunk.folded) {
            out += QStringLiteral("\u2026 %1 unchanged lines \u2026\n").arg(chunk.hiddenRows());
            continue;
        }
        for (const Row& row : chunk.rows) {
            const QString left = goldenSide(row.left(), Side::Left, numberWidth);
            out += left + QString(leftWidth - terminalColumns(left), QLatin1Char(' ')) +
                   QStringLiteral(" | ") + goldenSide(row.right(), Side::Right, numberWidth);
            while (out.endsWith(QLatin1Char(' ')))
                out.chop(1);
            out += QLatin1Char('\n');
        }
    }
    return out;
}

inline void PrintTo(const EditRange& run, std::ostream* os) {
    *os << kindName(run.kind) << "(left " << run.leftStart << ", right " << run.rightStart << ", count "
        << run.count << ")";
}

inline void PrintTo(const Range& range, std::ostream* os) {
    *os << "[" << range.start << ", +" << range.length << ")";
}

inline void PrintTo(const SideLine& line, std::ostream* os) {
    *os << goldenSide(line, Side::Left, 1).toStdString();
    if (!line.provenance.isEmpty())
        *os << "  (from " << line.provenance.toStdString() << ")";
    if (!line.owner.isNull())
        *os << "  (owned by " << line.owner.manager.toStdString() << " " << line.owner.operation.toStdString()
            << ")";
}

inline void PrintTo(const Row& row, std::ostream* os) {
    const QString text = goldenSide(row.left(), Side::Left, 1) + QStringLiteral(" | ") +
                         goldenSide(row.right(), Side::Right, 1);
    *os << text.toStdString();
}

} // namespace driftdeck::diff
