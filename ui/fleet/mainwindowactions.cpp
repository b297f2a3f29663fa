// The window's menus, shortcuts and toolbar; the window settings (geometry, docks, last workspace).
#include "aboutdialog.h"
#include "appdiffpane.h"
#include "enginecontroller.h"
#include "mainwindow.h"

#include <QAction>
#include <QLineEdit>
#include <QMenuBar>
#include <QSettings>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeView>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {

void MainWindow::buildActions() {
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    m_editWorkspace = fileMenu->addAction(tr("Edit &Workspace…"));
    m_editWorkspace->setToolTip(tr("Clusters, repositories and applications of the workspace"));
    m_editWorkspace->setEnabled(false); // until there is a workspace path
    connect(m_editWorkspace, &QAction::triggered, this, [this] { openSetupPage(); });
    fileMenu->addSeparator();
    QAction* quit = fileMenu->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    m_refresh = viewMenu->addAction(tr("&Refresh"));
    m_refresh->setShortcut(QKeySequence(Qt::Key_F5));
    m_refresh->setToolTip(tr("Fetch every repository and compare every application again (F5)"));
    connect(m_refresh, &QAction::triggered, this, [this] { m_engine->refresh(); });
    m_hardRefresh = viewMenu->addAction(tr("&Hard refresh"));
    m_hardRefresh->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_hardRefresh->setToolTip(
        tr("Render the selected application again and re-list its cluster's live state; everything when "
           "no application is selected (Shift+F5)"));
    connect(m_hardRefresh, &QAction::triggered, this,
            [this] { m_engine->hardRefresh(selectedApplication()); });
    QAction* filter = viewMenu->addAction(tr("&Filter"));
    filter->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    connect(filter, &QAction::triggered, this, [this] {
        m_filterEdit->setFocus(Qt::ShortcutFocusReason);
        m_filterEdit->selectAll();
    });
    QAction* focusTree = viewMenu->addAction(tr("Fleet &tree"));
    focusTree->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(focusTree, &QAction::triggered, this, [this] { m_tree->setFocus(Qt::ShortcutFocusReason); });
    for (int tab = 0; tab < 3; ++tab) {
        QAction* show = viewMenu->addAction(tab == 0   ? tr("&Details")
                                            : tab == 1 ? tr("Di&ff")
                                                       : tr("Hi&story"));
        show->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + tab)));
        connect(show, &QAction::triggered, this, [this, tab] {
            m_tabs->setCurrentIndex(tab);
            m_tabs->currentWidget()->setFocus(Qt::ShortcutFocusReason);
        });
    }

    QAction* diff = viewMenu->addAction(tr("Diff of the &selection"));
    diff->setObjectName(u"showDiff"_s);
    diff->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    connect(diff, &QAction::triggered, this, [this] {
        m_tabs->setCurrentWidget(m_diff);
        m_diff->setFocus(Qt::ShortcutFocusReason);
    });

    QMenu* appMenu = menuBar()->addMenu(tr("&Application"));
    m_syncAction = appMenu->addAction(tr("&Sync…"));
    m_syncAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_syncAction->setToolTip(tr("Show the sync plan of the selected application (Ctrl+Shift+S)"));
    connect(m_syncAction, &QAction::triggered, this, [this] { openSyncDialog(); });
    m_resumeAction = appMenu->addAction(tr("&Resume auto-sync…"));
    m_resumeAction->setObjectName(u"resumeAutoSync"_s);
    connect(m_resumeAction, &QAction::triggered, this, &MainWindow::confirmResume);
    m_cancelAction = appMenu->addAction(tr("&Cancel running operations"));
    m_cancelAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X));
    connect(m_cancelAction, &QAction::triggered, this, [this] {
        for (auto it = m_running.cbegin(); it != m_running.cend(); ++it)
            m_engine->cancel(it.key());
    });

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction* about = helpMenu->addAction(tr("&About Driftdeck"));
    about->setObjectName(u"about"_s);
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, [this] { openAboutDialog(this); });

    m_tree->addActions({m_syncAction, m_refresh, m_hardRefresh, m_resumeAction});

    QToolBar* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(u"main-toolbar"_s);
    toolbar->addAction(m_refresh);
    toolbar->addAction(m_hardRefresh);
    toolbar->addAction(m_syncAction);
    toolbar->addAction(m_resumeAction);
}

void MainWindow::restoreWindowSettings() {
    const QSettings settings;
    restoreGeometry(settings.value(u"mainWindow/geometry"_s).toByteArray());
    restoreState(settings.value(u"mainWindow/state"_s).toByteArray());
}

void MainWindow::saveWindowSettings() const {
    QSettings settings;
    settings.setValue(u"mainWindow/geometry"_s, saveGeometry());
    settings.setValue(u"mainWindow/state"_s, saveState());
}

QString MainWindow::lastWorkspacePath() {
    return QSettings().value(u"workspace/lastPath"_s).toString();
}

void MainWindow::rememberWorkspacePath(const QString& path) {
    QSettings().setValue(u"workspace/lastPath"_s, path);
}

} // namespace driftdeck::ui
