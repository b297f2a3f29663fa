// Painting of the diff view: only the rows in view, straight from the document.
#include "diffview.h"
#include "diffview_p.h"

#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>

namespace driftdeck::ui {

using namespace Qt::StringLiterals;
using diff::LineKind;
using diff::Side;

namespace {

QString stateLabel(diff::ObjectDiff::State state) {
    switch (state) {
    case diff::ObjectDiff::State::Synced:
        return DiffView::tr("Synced");
    case diff::ObjectDiff::State::OutOfSync:
        return DiffView::tr("Out of sync");
    case diff::ObjectDiff::State::Missing:
        return DiffView::tr("Missing live");
    case diff::ObjectDiff::State::Extra:
        return DiffView::tr("Not in Git (prune candidate)");
    }
    return {};
}

} // namespace

void DiffView::paintEvent(QPaintEvent* event) {
    QPainter painter(viewport());
    painter.fillRect(event->rect(), d->colors.base);
    d->viewportWidth = viewport()->width();
    const int first = firstVisibleRow();
    const int end = std::min(d->document.displayRowCount(), first + visibleRowCount());
    d->lastPainted = 0;
    for (int row = first; row < end; ++row) {
        const QRect rect(0, (row - first) * d->lineHeight, viewport()->width(), d->lineHeight);
        if (!rect.intersects(event->rect()))
            continue;
        paintRow(painter, row, rect);
        ++d->lastPainted;
    }
    if (d->document.displayRowCount() == 0) {
        painter.setPen(d->colors.dimText);
        painter.drawText(viewport()->rect(), Qt::AlignCenter, tr("No differences to show"));
    }
}

void DiffView::paintRow(QPainter& painter, int row, const QRect& rect) const {
    const DisplayRow& shown = d->document.displayRow(row);
    switch (shown.type) {
    case DisplayRow::Type::Header:
        paintHeader(painter, shown, rect);
        break;
    case DisplayRow::Type::Fold:
        paintFold(painter, shown, rect);
        break;
    case DisplayRow::Type::Line:
        paintLine(painter, row, Side::Left, rect);
        paintLine(painter, row, Side::Right, rect);
        break;
    }
    if (shown.type == DisplayRow::Type::Line) {
        const QRect divider(d->paneWidth(), rect.y(), Private::kDivider, rect.height());
        painter.fillRect(divider, d->colors.divider);
    }
    if (row == d->currentRow) {
        QRect frame = rect.adjusted(0, 0, -1, -1);
        if (shown.type == DisplayRow::Type::Line)
            frame = QRect(d->paneX(d->currentSide), rect.y(), d->paneWidth() - 1, rect.height() - 1);
        painter.setPen(QPen(hasFocus() ? d->colors.current : d->colors.divider, 1));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(frame);
    }
}

void DiffView::paintHeader(QPainter& painter, const DisplayRow& row, const QRect& rect) const {
    const DiffSection& section = d->document.section(row.section);
    painter.fillRect(rect, d->colors.header);
    painter.fillRect(QRect(rect.left(), rect.top(), rect.width(), 1), d->colors.divider);
    const bool collapsed = d->document.isSectionCollapsed(row.section);
    const QString name =
        section.key.ns.isEmpty() ? section.key.name : section.key.ns + u'/' + section.key.name;
    QString title = (collapsed ? u"▸ "_s : u"▾ "_s) + section.key.kind + u"  " + name + u"  —  " +
                    stateLabel(section.state);
    if (!section.sideBySide.identical())
        title += tr("   −%1 +%2").arg(section.sideBySide.removedLines).arg(section.sideBySide.addedLines);
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(d->colors.headerText);
    const QRect textRect = rect.adjusted(Private::kPadding, 0, -Private::kPadding, 0);
    painter.drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
                     QFontMetrics(bold).elidedText(title, Qt::ElideRight, textRect.width()));
    painter.setFont(font());
}

void DiffView::paintFold(QPainter& painter, const DisplayRow& row, const QRect& rect) const {
    painter.fillRect(rect, d->colors.fold);
    painter.setPen(d->colors.dimText);
    const QString label = tr("⋯ %n unchanged lines", nullptr, d->document.hiddenRowsOfFold(row));
    for (Side side : {Side::Left, Side::Right}) {
        const QRect text(d->paneX(side) + d->columnOffset(Column::Text, side), rect.y(),
                         d->textAreaWidth(side), rect.height());
        painter.drawText(text, Qt::AlignVCenter | Qt::AlignLeft, label);
    }
}

void DiffView::paintLine(QPainter& painter, int displayRow, Side side, const QRect& rect) const {
    const DisplayRow& shown = d->document.displayRow(displayRow);
    const diff::SideLine& line = d->document.rowAt(shown).side(side);
    const DiffSection& section = d->document.section(shown.section);
    const int x0 = d->paneX(side);
    const QRect pane(x0, rect.y(), d->paneWidth(), rect.height());
    auto cell = [&](Column column) {
        return QRect(x0 + d->columnOffset(column, side), rect.y(), d->columnWidth(column, side),
                     rect.height());
    };

    QColor background = d->colors.base;
    if (line.kind == LineKind::Filler)
        background = d->colors.filler;
    else if (line.kind != LineKind::Context)
        background = side == Side::Left ? d->colors.removedLine : d->colors.addedLine;
    painter.fillRect(pane, background);
    if (line.kind == LineKind::Filler) {
        painter.fillRect(pane, QBrush(blend(d->colors.filler, d->colors.text, 0.12), Qt::BDiagPattern));
        return;
    }
    const QColor gutter =
        line.kind == LineKind::Context ? d->colors.gutter : blend(background, d->colors.text, 0.05);
    painter.fillRect(QRect(x0, rect.y(), d->columnOffset(Column::Text, side), rect.height()), gutter);

    const int baseline = rect.y() + d->ascent;
    painter.setPen(d->colors.dimText);
    painter.drawText(cell(Column::LineNumber).adjusted(0, 0, -d->charWidth / 2, 0),
                     Qt::AlignVCenter | Qt::AlignRight, QString::number(line.number));

    if (d->provenanceVisible) {
        // Like a blame view, a run of lines from the same commit or manager is labelled once.
        const QRect prov = cell(Column::Provenance).adjusted(Private::kPadding, 0, -Private::kPadding, 0);
        const QFontMetrics fm(font());
        const bool runStart = [&] {
            if (displayRow == firstVisibleRow() || displayRow == 0)
                return true;
            const DisplayRow& before = d->document.displayRow(displayRow - 1);
            if (before.type != DisplayRow::Type::Line || before.section != shown.section)
                return true;
            const diff::SideLine& previous = d->document.rowAt(before).side(side);
            if (side == Side::Left)
                return d->document.desiredProvenance(shown.section, previous.number) !=
                       d->document.desiredProvenance(shown.section, line.number);
            return d->document.liveOwner(shown.section, previous) !=
                   d->document.liveOwner(shown.section, line);
        }();
        if (side == Side::Left) {
            const Provenance p = d->document.desiredProvenance(shown.section, line.number);
            if (!p.isNull() && runStart) {
                const QString id = p.shortId.left(8) + u' ';
                painter.setPen(d->colors.link);
                painter.drawText(prov, Qt::AlignVCenter | Qt::AlignLeft, id);
                const int idWidth = fm.horizontalAdvance(id);
                painter.setPen(d->colors.dimText);
                painter.drawText(prov.adjusted(idWidth, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                                 fm.elidedText(p.author, Qt::ElideRight, prov.width() - idWidth));
            }
        } else {
            const diff::LineOwner owner = d->document.liveOwner(shown.section, line);
            if (!owner.isNull() && runStart) {
                const QString time =
                    owner.time.isValid() ? owner.time.toLocalTime().toString(u"MM-dd HH:mm"_s) : QString();
                const int timeWidth = time.isEmpty() ? 0 : fm.horizontalAdvance(time) + d->charWidth;
                painter.setPen(d->colors.dimText);
                painter.drawText(prov, Qt::AlignVCenter | Qt::AlignRight, time);
                painter.setPen(d->colors.text);
                painter.drawText(prov.adjusted(0, 0, -timeWidth, 0), Qt::AlignVCenter | Qt::AlignLeft,
                                 fm.elidedText(owner.manager, Qt::ElideRight, prov.width() - timeWidth));
            }
        }
    }

    if (line.kind != LineKind::Context) {
        painter.setPen(d->colors.dimText);
        painter.drawText(cell(Column::Marker), Qt::AlignCenter, side == Side::Left ? u"−"_s : u"+"_s);
    }

    const QList<bool>& block = side == Side::Left ? section.desiredInBlockScalar : section.liveInBlockScalar;
    const QRect text = cell(Column::Text);
    paintText(painter, line, block.value(line.number - 1),
              side == Side::Left ? d->colors.removedWord : d->colors.addedWord,
              text.x() - horizontalScrollBar()->value(), baseline, text);
}

void DiffView::paintText(QPainter& painter, const diff::SideLine& line, bool inBlockScalar,
                         const QColor& changedWord, int x, int baseline, const QRect& clip) const {
    painter.save();
    painter.setClipRect(clip);
    const QString shownText = line.text.size() > DiffDocument::kMaxPaintedChars
                                  ? line.text.left(DiffDocument::kMaxPaintedChars) + u'…'
                                  : line.text;
    const QFontMetrics fm(font());
    for (const diff::Range& range : line.changed) {
        if (range.start >= shownText.size())
            break;
        const int left = x + fm.horizontalAdvance(shownText.left(range.start));
        const int width = fm.horizontalAdvance(shownText.mid(range.start, range.length));
        painter.fillRect(QRect(left, clip.y() + 1, std::max(2, width), clip.height() - 2), changedWord);
    }
    // Segments in order, each drawn where the previous one ended; nothing right of the clip.
    int done = 0;
    int penX = x;
    auto draw = [&](int to, const QColor& colour, bool bold, bool italic) {
        if (to <= done || penX > clip.right())
            return;
        QFont f = font();
        f.setBold(bold);
        f.setItalic(italic);
        painter.setFont(f);
        painter.setPen(colour);
        const QString segment = shownText.mid(done, to - done);
        painter.drawText(penX, baseline, segment);
        penX += fm.horizontalAdvance(segment);
        done = to;
    };
    for (const StyledSpan& span : d->highlighter.highlight(shownText, inBlockScalar)) {
        const int start = std::clamp<int>(span.start, done, int(shownText.size()));
        const int end = std::clamp<int>(span.start + span.length, start, int(shownText.size()));
        draw(start, d->colors.text, false, false);
        draw(end, span.color, span.bold, span.italic);
    }
    draw(int(shownText.size()), d->colors.text, false, false);
    painter.restore();
}

} // namespace driftdeck::ui
