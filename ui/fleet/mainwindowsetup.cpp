// The workspace setup page inside the main window.
#include "mainwindow.h"
#include "setup/setuppage.h"

#include <QStackedWidget>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {

SetupPage* MainWindow::setupPage() const {
    return m_setup;
}

SetupPage* MainWindow::openSetupPage() {
    if (m_workspacePath.isEmpty())
        return nullptr;
    if (m_setup) {
        m_pages->setCurrentWidget(m_setup);
        return m_setup;
    }
    const int previous = m_pages->currentIndex();
    const QStringList kubeconfig = m_settings.kubeconfigPath.split(u':', Qt::SkipEmptyParts);
    m_setup = new SetupPage(kubeconfig, m_settings.gitCacheRoot, m_pages);
    m_setup->editFile(m_workspacePath);
    m_pages->addWidget(m_setup);
    m_pages->setCurrentWidget(m_setup);
    const auto close = [this, previous] {
        SetupPage* page = m_setup;
        m_setup = nullptr; // at once: deleteLater waits for the event loop
        m_pages->setCurrentIndex(previous);
        m_pages->removeWidget(page);
        page->deleteLater();
    };
    connect(m_setup, &SetupPage::cancelled, this, close);
    connect(m_setup, &SetupPage::saved, this, [this, close](const QString& path) {
        close();
        openWorkspace(path, m_settings);
    });
    return m_setup;
}

} // namespace driftdeck::ui
