#include "aboutdialog.h"

#include "git/gittypes.h"

#include <QCoreApplication>
#include <QMessageBox>

using namespace Qt::StringLiterals;

#ifndef DRIFTDECK_YAML_CPP_VERSION
#error "ui/CMakeLists.txt passes the yaml-cpp version CMake found (yaml-cpp has no run-time version call)"
#endif

namespace driftdeck::ui {

QString aboutText() {
    return QCoreApplication::translate("driftdeck::ui::About",
                                       "<h3>Driftdeck %1</h3>"
                                       "<p>GitOps drift across many Kubernetes clusters.</p>"
                                       "<table>"
                                       "<tr><td>Qt</td><td>%2 (built with %3)</td></tr>"
                                       "<tr><td>libgit2</td><td>%4</td></tr>"
                                       "<tr><td>yaml-cpp</td><td>%5</td></tr>"
                                       "</table>")
        .arg(QCoreApplication::applicationVersion().toHtmlEscaped(), QString::fromLatin1(qVersion()),
             QStringLiteral(QT_VERSION_STR), git::libgit2Version(),
             QStringLiteral(DRIFTDECK_YAML_CPP_VERSION));
}

QMessageBox* openAboutDialog(QWidget* parent) {
    auto* box = new QMessageBox(parent);
    box->setObjectName(u"aboutDialog"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(QCoreApplication::translate("driftdeck::ui::About", "About Driftdeck"));
    box->setTextFormat(Qt::RichText);
    box->setText(aboutText());
    box->setStandardButtons(QMessageBox::Close);
    box->open();
    return box;
}

} // namespace driftdeck::ui
