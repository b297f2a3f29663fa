#include "diffview.h"

#include "diffview_p.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QScrollBar>

namespace driftdeck::ui {

using diff::Side;

DiffView::DiffView(QWidget* parent)
    : QAbstractScrollArea(parent)
    , d(std::make_unique<Private>()) {
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Side-by-side diff"));
    setAccessibleDescription(tr("Desired state from Git on the left, live state on the right. "
                                "n and p move to the next and previous change."));
    viewport()->setMouseTracking(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    verticalScrollBar()->setSingleStep(1);
    d->colors = DiffColors::fromPalette(palette());
    d->highlighter.setColors(d->colors);
    updateMetrics();
}

DiffView::~DiffView() = default;

void DiffView::setDocument(DiffDocument document) {
    d->document = std::move(document);
    d->currentChange = -1;
    d->currentRow = 0;
    if (d->mode == Mode::SingleResource && d->document.singleSection() < 0 && d->document.sectionCount() > 0)
        d->document.setSingleSection(0);
    if (d->mode == Mode::Application)
        d->document.setSingleSection(-1);
    updateMetrics();
    verticalScrollBar()->setValue(0);
    horizontalScrollBar()->setValue(0);
    setCurrentRow(0, d->currentSide);
    Q_EMIT currentChangeChanged(-1, d->document.changeCount());
}

const DiffDocument& DiffView::document() const {
    return d->document;
}

void DiffView::setMode(Mode mode) {
    if (mode == d->mode)
        return;
    const int section = std::max(0, currentSection());
    d->mode = mode;
    d->document.setSingleSection(mode == Mode::SingleResource ? section : -1);
    d->currentChange = -1;
    documentLaidOut(DisplayRow{DisplayRow::Type::Header, section, -1, 0});
    if (mode == Mode::Application)
        scrollToRow(d->document.headerRowOf(section));
}

DiffView::Mode DiffView::mode() const {
    return d->mode;
}

void DiffView::showSection(int section) {
    if (section < 0 || section >= d->document.sectionCount())
        return;
    if (d->mode == Mode::SingleResource) {
        d->document.setSingleSection(section);
        d->currentChange = -1;
        verticalScrollBar()->setValue(0);
        documentLaidOut(DisplayRow{DisplayRow::Type::Header, section, -1, 0});
        return;
    }
    const int header = d->document.headerRowOf(section);
    setCurrentRow(header, d->currentSide);
    scrollToRow(header);
}

void DiffView::setDesiredProvenance(int section, const QHash<int, Provenance>& byLine) {
    d->document.setDesiredProvenance(section, byLine);
    viewport()->update();
}

void DiffView::setDesiredProvenance(int section, const QList<Provenance>& byIndex) {
    d->document.setDesiredProvenance(section, byIndex);
    viewport()->update();
}

void DiffView::setLiveOwners(int section, const QList<diff::LineOwner>& byIndex) {
    d->document.setLiveOwners(section, byIndex);
    updateMetrics(); // the first owners give live's side its column
}

void DiffView::setProvenanceVisible(bool visible) {
    d->provenanceVisible = visible;
    updateMetrics();
}

bool DiffView::isProvenanceVisible() const {
    return d->provenanceVisible;
}

int DiffView::currentRow() const {
    return d->currentRow;
}

Side DiffView::currentSide() const {
    return d->currentSide;
}

int DiffView::currentSection() const {
    if (d->document.displayRowCount() == 0)
        return d->document.singleSection();
    return d->document.displayRow(d->currentRow).section;
}

int DiffView::currentChange() const {
    return d->currentChange;
}

void DiffView::setCurrentRow(int row, Side side) {
    const int count = d->document.displayRowCount();
    d->currentRow = count == 0 ? 0 : std::clamp(row, 0, count - 1);
    d->currentSide = side;
    if (count > 0) {
        const DisplayRow& shown = d->document.displayRow(d->currentRow);
        QString summary;
        if (shown.type == DisplayRow::Type::Line) {
            const diff::SideLine& line = d->document.rowAt(shown).side(side);
            summary = line.isFiller() ? tr("%1: no line").arg(side == Side::Left ? tr("Desired") : tr("Live"))
                                      : tr("%1 line %2: %3")
                                            .arg(side == Side::Left ? tr("Desired") : tr("Live"))
                                            .arg(line.number)
                                            .arg(line.text.left(200));
        } else if (shown.type == DisplayRow::Type::Fold) {
            summary = tr("%n unchanged lines, folded", nullptr, d->document.hiddenRowsOfFold(shown));
        } else {
            summary = d->document.section(shown.section).key.toString();
        }
        setAccessibleDescription(summary);
    }
    if (currentSection() != d->lastSection) {
        d->lastSection = currentSection();
        Q_EMIT currentSectionChanged(d->lastSection);
    }
    viewport()->update();
}

int DiffView::firstVisibleRow() const {
    return verticalScrollBar()->value();
}

int DiffView::visibleRowCount() const {
    return (viewport()->height() + d->lineHeight - 1) / d->lineHeight;
}

bool DiffView::isRowVisible(int row) const {
    const int fully = std::max(1, viewport()->height() / d->lineHeight);
    return row >= firstVisibleRow() && row < firstVisibleRow() + fully;
}

void DiffView::scrollToRow(int row) {
    verticalScrollBar()->setValue(row);
}

int DiffView::lastPaintedRowCount() const {
    return d->lastPainted;
}

QRect DiffView::rowRect(int row) const {
    const int offset = row - firstVisibleRow();
    if (row < 0 || row >= d->document.displayRowCount() || offset < 0 || offset >= visibleRowCount())
        return {};
    return QRect(0, offset * d->lineHeight, viewport()->width(), d->lineHeight);
}

QRect DiffView::cellRect(int row, Side side, Column column) const {
    const QRect r = rowRect(row);
    if (r.isEmpty())
        return {};
    return QRect(d->paneX(side) + d->columnOffset(column, side), r.y(), d->columnWidth(column, side),
                 r.height());
}

DiffView::Hit DiffView::hitTest(QPoint pos) const {
    Hit hit;
    if (pos.y() < 0 || pos.x() < 0 || pos.x() >= viewport()->width())
        return hit;
    const int row = firstVisibleRow() + pos.y() / d->lineHeight;
    if (row >= d->document.displayRowCount())
        return hit;
    hit.row = row;
    hit.side = pos.x() >= d->paneX(Side::Right) ? Side::Right : Side::Left;
    const int x = pos.x() - d->paneX(hit.side);
    for (Column column : {Column::LineNumber, Column::Provenance, Column::Marker, Column::Text}) {
        if (x >= d->columnOffset(column, hit.side) &&
            x < d->columnOffset(column, hit.side) + d->columnWidth(column, hit.side)) {
            hit.column = column;
            break;
        }
    }
    return hit;
}

void DiffView::nextChange() {
    const int from = d->currentChange < 0 ? d->currentRow - 1 : d->currentRow;
    goToChange(d->document.nextChange(from));
}

void DiffView::previousChange() {
    goToChange(d->document.previousChange(d->currentRow));
}

void DiffView::goToChange(int change) {
    if (change < 0)
        return;
    const int row = d->document.displayRowOfChange(change);
    d->currentChange = change;
    setCurrentRow(row, d->currentSide);
    const int rows = d->document.change(change).rowCount;
    ensureRowsVisible(std::max(0, row - 3), row + rows - 1 + 3);
    Q_EMIT currentChangeChanged(change, d->document.changeCount());
}

void DiffView::ensureRowsVisible(int top, int bottom) {
    const int fully = std::max(1, viewport()->height() / d->lineHeight);
    const int first = firstVisibleRow();
    if (top < first)
        scrollToRow(top);
    else if (bottom >= first + fully)
        scrollToRow(std::min(top, bottom - fully + 1));
}

void DiffView::copyAsYaml() {
    const QString text = d->document.yaml(currentSection(), d->currentSide);
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

void DiffView::expandAllFolds() {
    const DisplayRow keep =
        d->document.displayRowCount() ? d->document.displayRow(d->currentRow) : DisplayRow{};
    d->document.expandAllFolds();
    documentLaidOut(keep);
}

void DiffView::collapseAllFolds() {
    const DisplayRow keep =
        d->document.displayRowCount() ? d->document.displayRow(d->currentRow) : DisplayRow{};
    d->document.collapseAllFolds();
    documentLaidOut(keep);
}

// After the layout changed: the current row follows the row it showed (or the fold now holding it).
void DiffView::documentLaidOut(const DisplayRow& keep) {
    updateScrollBars();
    int row = keep.type == DisplayRow::Type::Header
                  ? d->document.headerRowOf(keep.section)
                  : d->document.displayRowOf(keep.section, keep.chunk, keep.row);
    if (row < 0) // a header in the single-resource view: its first row
        row = d->document.displayRowOf(keep.section, 0, 0);
    setCurrentRow(std::max(0, row), d->currentSide);
}

void DiffView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        d->colors = DiffColors::fromPalette(palette());
        d->highlighter.setColors(d->colors);
        viewport()->update();
    } else if (event->type() == QEvent::FontChange) {
        updateMetrics();
    }
    QAbstractScrollArea::changeEvent(event);
}

void DiffView::focusInEvent(QFocusEvent* event) {
    viewport()->update();
    QAbstractScrollArea::focusInEvent(event);
}

void DiffView::focusOutEvent(QFocusEvent* event) {
    viewport()->update();
    QAbstractScrollArea::focusOutEvent(event);
}

void DiffView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void DiffView::scrollContentsBy(int, int) {
    viewport()->update();
}

void DiffView::updateMetrics() {
    const QFontMetrics fm(font());
    d->lineHeight = fm.height() + 2;
    d->ascent = fm.ascent() + 1;
    d->charWidth = std::max(1, fm.horizontalAdvance(QLatin1Char('0')));
    int maxLine = 1;
    for (int s = 0; s < d->document.sectionCount(); ++s) {
        maxLine = std::max({maxLine, int(d->document.section(s).desiredLines.size()),
                            int(d->document.section(s).liveLines.size())});
    }
    const int digits = std::max(3, int(QString::number(maxLine).size()));
    d->numberWidth = (digits + 1) * d->charWidth;
    d->provenanceWidth =
        d->provenanceVisible ? Private::kProvenanceChars * d->charWidth + 2 * Private::kPadding : 0;
    bool anyOwner = false;
    for (int s = 0; s < d->document.sectionCount() && !anyOwner; ++s)
        anyOwner = !d->document.section(s).liveOwners.isEmpty();
    d->liveOwnerWidth = anyOwner ? d->provenanceWidth : 0;
    d->markerWidth = 2 * d->charWidth;
    updateScrollBars();
    viewport()->update();
}

void DiffView::updateScrollBars() {
    d->viewportWidth = viewport()->width();
    const int fully = std::max(1, viewport()->height() / d->lineHeight);
    verticalScrollBar()->setRange(0, std::max(0, d->document.displayRowCount() - fully));
    verticalScrollBar()->setPageStep(fully);
    const int textWidth = (d->document.longestLine() + 2) * d->charWidth;
    horizontalScrollBar()->setRange(0, std::max(0, textWidth - d->textAreaWidth()));
    horizontalScrollBar()->setPageStep(std::max(1, d->textAreaWidth()));
    horizontalScrollBar()->setSingleStep(d->charWidth * 4);
    viewport()->update();
}

} // namespace driftdeck::ui
