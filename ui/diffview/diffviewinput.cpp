// Mouse, keyboard, context menu and tool tips of the diff view.
#include "diffview.h"
#include "diffview_p.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMenu>
#include <QMouseEvent>
#include <QToolTip>

namespace driftdeck::ui {

using diff::Side;

void DiffView::activate(const Hit& hit) {
    if (hit.row < 0 || hit.row >= d->document.displayRowCount())
        return;
    const DisplayRow row = d->document.displayRow(hit.row);
    if (row.type == DisplayRow::Type::Fold) {
        d->document.setFoldExpanded(row.section, row.chunk, true);
        documentLaidOut(row);
    } else if (row.type == DisplayRow::Type::Header) {
        d->document.setSectionCollapsed(row.section, !d->document.isSectionCollapsed(row.section));
        documentLaidOut(row);
    } else if (hit.side == Side::Left && hit.column == Column::Provenance) {
        const Provenance p = d->document.desiredProvenance(row.section, d->document.rowAt(row).left().number);
        if (!p.commitId.isEmpty())
            Q_EMIT commitActivated(p.commitId);
    }
}

void DiffView::keyPressEvent(QKeyEvent* event) {
    if (event->matches(QKeySequence::Copy)) {
        copyAsYaml();
        return;
    }
    const auto mods = event->modifiers() & ~Qt::KeypadModifier;
    const int page = std::max(1, viewport()->height() / d->lineHeight - 1);
    const int last = std::max(0, d->document.displayRowCount() - 1);
    auto moveTo = [this](int row) {
        setCurrentRow(row, d->currentSide);
        ensureRowsVisible(d->currentRow, d->currentRow);
    };
    switch (event->key()) {
    case Qt::Key_N:
    case Qt::Key_F7:
        if (mods == Qt::NoModifier) {
            nextChange();
            return;
        }
        if (event->key() == Qt::Key_F7 && mods == Qt::ShiftModifier) {
            previousChange();
            return;
        }
        break;
    case Qt::Key_P:
        if (mods == Qt::NoModifier) {
            previousChange();
            return;
        }
        break;
    case Qt::Key_Up:
        return moveTo(d->currentRow - 1);
    case Qt::Key_Down:
        return moveTo(d->currentRow + 1);
    case Qt::Key_PageUp:
        return moveTo(d->currentRow - page);
    case Qt::Key_PageDown:
        return moveTo(d->currentRow + page);
    case Qt::Key_Home:
        return moveTo(0);
    case Qt::Key_End:
        return moveTo(last);
    case Qt::Key_Left:
    case Qt::Key_Right:
        setCurrentRow(d->currentRow, event->key() == Qt::Key_Left ? Side::Left : Side::Right);
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        activate(Hit{d->currentRow, d->currentSide, Column::Provenance});
        return;
    default:
        break;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

void DiffView::mousePressEvent(QMouseEvent* event) {
    const Hit hit = hitTest(event->position().toPoint());
    if (hit.row < 0)
        return QAbstractScrollArea::mousePressEvent(event);
    setCurrentRow(hit.row, hit.side);
    if (event->button() == Qt::LeftButton)
        activate(hit);
}

// Presses do the work; the release is taken so it does not travel to the parent.
void DiffView::mouseReleaseEvent(QMouseEvent* event) {
    event->accept();
}

void DiffView::mouseMoveEvent(QMouseEvent* event) {
    const Hit hit = hitTest(event->position().toPoint());
    bool clickable = false;
    if (hit.row >= 0) {
        const DisplayRow& row = d->document.displayRow(hit.row);
        clickable = row.type != DisplayRow::Type::Line ||
                    (hit.side == Side::Left && hit.column == Column::Provenance &&
                     !d->document.desiredProvenance(row.section, d->document.rowAt(row).left().number)
                          .commitId.isEmpty());
    }
    viewport()->setCursor(clickable ? Qt::PointingHandCursor : Qt::ArrowCursor);
    QAbstractScrollArea::mouseMoveEvent(event);
}

void DiffView::contextMenuEvent(QContextMenuEvent* event) {
    const Hit hit = hitTest(viewport()->mapFrom(this, event->pos()));
    if (hit.row >= 0)
        setCurrentRow(hit.row, hit.side);
    QMenu menu(this);
    QAction* copy =
        menu.addAction(d->currentSide == Side::Left ? tr("Copy Desired as YAML") : tr("Copy Live as YAML"));
    copy->setShortcut(QKeySequence::Copy);
    copy->setEnabled(!d->document.yaml(currentSection(), d->currentSide).isEmpty());
    connect(copy, &QAction::triggered, this, &DiffView::copyAsYaml);
    menu.addSeparator();
    connect(menu.addAction(tr("Expand All Unchanged Lines")), &QAction::triggered, this,
            &DiffView::expandAllFolds);
    connect(menu.addAction(tr("Fold Unchanged Lines")), &QAction::triggered, this,
            &DiffView::collapseAllFolds);
    QAction* provenance = menu.addAction(tr("Show Provenance"));
    provenance->setCheckable(true);
    provenance->setChecked(d->provenanceVisible);
    connect(provenance, &QAction::toggled, this, &DiffView::setProvenanceVisible);
    menu.exec(event->globalPos());
}

bool DiffView::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString tip = toolTipAt(hitTest(help->pos()));
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), tip, viewport());
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

QString DiffView::toolTipAt(const Hit& hit) const {
    if (hit.row < 0)
        return {};
    const DisplayRow& row = d->document.displayRow(hit.row);
    if (row.type == DisplayRow::Type::Fold)
        return tr("Click to show %n unchanged lines", nullptr, d->document.hiddenRowsOfFold(row));
    if (row.type == DisplayRow::Type::Header)
        return tr("Click to collapse or expand this resource");
    if (hit.column != Column::Provenance)
        return {};
    const diff::SideLine& line = d->document.rowAt(row).side(hit.side);
    if (hit.side == Side::Left) {
        const Provenance p = d->document.desiredProvenance(row.section, line.number);
        if (p.isNull())
            return {};
        return tr("Commit %1\n%2, %3\nClick to open it in the history")
            .arg(p.commitId.isEmpty() ? p.shortId : p.commitId, p.author,
                 QLocale().toString(p.date.toLocalTime(), QLocale::ShortFormat));
    }
    const diff::LineOwner owner = d->document.liveOwner(row.section, line);
    if (owner.isNull())
        return {};
    return tr("Field manager %1 (%2)\nWritten %3")
        .arg(owner.manager, owner.operation,
             QLocale().toString(owner.time.toLocalTime(), QLocale::ShortFormat));
}

} // namespace driftdeck::ui
