#pragma once

#include <QString>

class QMessageBox;
class QWidget;

// Help → About Driftdeck: the application's version and the versions of the libraries a bug report
// needs (Qt at run time, libgit2 as linked, yaml-cpp as CMake found it at build time).
namespace driftdeck::ui {

// The About text (rich text): Driftdeck's version, Qt, libgit2 and yaml-cpp.
QString aboutText();
// Opens the About box window-modal without blocking the event loop; it deletes itself on close.
QMessageBox* openAboutDialog(QWidget* parent);

} // namespace driftdeck::ui
