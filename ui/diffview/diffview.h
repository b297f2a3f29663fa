#pragma once

#include "diffdocument.h"

#include <QAbstractScrollArea>
#include <QHash>
#include <QList>
#include <QRect>

#include <memory>

class QPainter;

// The side-by-side diff: desired (Git) on the left, live on the right, in one widget so both panes
// scroll together by construction. Rows are painted straight from the DiffDocument, only those in
// view: no widget, no QTextDocument per row or resource, so a whole application of thousands of
// lines scrolls as smoothly as one object.
//
// Keys: n / F7 next change, p / Shift+F7 previous change, Up/Down/PageUp/PageDown/Home/End move the
// current row, Left/Right choose the pane, Return or Space opens a fold, collapses a resource or
// opens the commit of a desired line, Ctrl+C copies the current resource's YAML of the current pane.
namespace driftdeck::ui {

class DiffView : public QAbstractScrollArea {
    Q_OBJECT
public:
    enum class Mode {
        Application,    // every section under its header, one scroll
        SingleResource, // the current section only
    };
    enum class Column { LineNumber, Provenance, Marker, Text };
    struct Hit {
        int row = -1; // display row, -1 outside every row
        diff::Side side = diff::Side::Left;
        Column column = Column::Text;
    };

    explicit DiffView(QWidget* parent = nullptr);
    ~DiffView() override;

    void setDocument(DiffDocument document);
    const DiffDocument& document() const;

    void setMode(Mode mode);
    Mode mode() const;
    // Makes `section` current: the single-resource view shows it, the application view scrolls its
    // header to the top.
    void showSection(int section);

    // Provenance arriving later (git blame runs in the background): by 1-based line or by index.
    void setDesiredProvenance(int section, const QHash<int, Provenance>& byLine);
    void setDesiredProvenance(int section, const QList<Provenance>& byIndex);
    void setLiveOwners(int section, const QList<diff::LineOwner>& byIndex);
    void setProvenanceVisible(bool visible);
    bool isProvenanceVisible() const;

    int currentRow() const;
    diff::Side currentSide() const;
    int currentSection() const; // -1 for an empty document
    int currentChange() const;  // -1 before the first n / p
    void setCurrentRow(int row, diff::Side side);

    int firstVisibleRow() const;
    int visibleRowCount() const; // rows that fit in the viewport, the last one possibly cut
    bool isRowVisible(int row) const;
    void scrollToRow(int row);
    // Rows the last paintEvent drew: what the view costs does not grow with the document.
    int lastPaintedRowCount() const;

    // A cell in viewport coordinates; empty when the row is not in view.
    QRect cellRect(int row, diff::Side side, Column column) const;
    QRect rowRect(int row) const;
    Hit hitTest(QPoint viewportPos) const;

public Q_SLOTS:
    void nextChange();
    void previousChange();
    void copyAsYaml(); // the current section's YAML of the current pane
    void expandAllFolds();
    void collapseAllFolds();

Q_SIGNALS:
    // A desired line's provenance cell was clicked (or activated by keyboard).
    void commitActivated(const QString& commitId);
    void currentChangeChanged(int change, int changeCount);
    void currentSectionChanged(int section);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    struct Private;
    std::unique_ptr<Private> d;

    void documentLaidOut(const DisplayRow& keep);
    void updateMetrics();
    void updateScrollBars();
    void ensureRowsVisible(int top, int bottom);
    void activate(const Hit& hit);
    void goToChange(int change);
    QString toolTipAt(const Hit& hit) const;
    void paintRow(QPainter& painter, int row, const QRect& rect) const;
    void paintHeader(QPainter& painter, const DisplayRow& row, const QRect& rect) const;
    void paintFold(QPainter& painter, const DisplayRow& row, const QRect& rect) const;
    void paintLine(QPainter& painter, int displayRow, diff::Side side, const QRect& rect) const;
    void paintText(QPainter& painter, const diff::SideLine& line, bool inBlockScalar,
                   const QColor& changedWord, int x, int baseline, const QRect& clip) const;
};

} // namespace driftdeck::ui
