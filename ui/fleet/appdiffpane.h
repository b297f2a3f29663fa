#pragma once

#include "diffview/diffdocument.h"
#include "engine/enginetypes.h"

#include <QWidget>

class QLabel;

// The Diff tab: the selected application's drifted resources side by side (Git left, live right)
// in one DiffView. The document is built on a worker thread; a result that a newer selection has
// overtaken is dropped, so a large application never blocks the window.
namespace driftdeck::ui {

class DiffView;

class AppDiffPane : public QWidget {
    Q_OBJECT
public:
    explicit AppDiffPane(QWidget* parent = nullptr);
    ~AppDiffPane() override;

    // Shows the drifted resources of `app`; with `focus` valid, that resource (even when synced).
    void showApplication(const engine::AppStatus& app, const ResourceKey& focus = {});
    // Shows one prepared document (e.g. live against a commit), with a title.
    void showDocument(const QString& title, const DiffDocument& document);
    void clear();

    DiffView* view() const { return m_view; }
    QString title() const;
    bool isBuilding() const { return m_building; }

    // The sections of `app` the pane shows (pure; any thread).
    static DiffDocument buildDocument(const engine::AppStatus& app, const ResourceKey& focus);

Q_SIGNALS:
    void documentShown();

private:
    QLabel* m_title = nullptr;
    DiffView* m_view = nullptr;
    quint64 m_generation = 0;
    bool m_building = false;
    QString m_shownKey; // application + commit + compare count + focus: unchanged input, no rebuild
};

} // namespace driftdeck::ui
