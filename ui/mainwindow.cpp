#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTreeView>

namespace driftdeck::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent) {
    setWindowTitle(QStringLiteral("Driftdeck"));
    resize(1280, 800);

    auto* splitter = new QSplitter(this);
    m_tree = new QTreeView(splitter);
    m_tree->setHeaderHidden(true);
    m_tree->setAccessibleName(tr("Clusters and applications"));
    m_details = new QLabel(tr("Select a cluster, application or resource."), splitter);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_details->setMargin(12);
    splitter->setStretchFactor(1, 3);
    setCentralWidget(splitter);

    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* quit = fileMenu->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, qApp, &QApplication::quit);

    statusBar()->showMessage(tr("Ready"));
}

MainWindow::~MainWindow() = default;

void MainWindow::setWorkspaceDescription(const QString& text) {
    statusBar()->showMessage(text);
}

} // namespace driftdeck::ui
