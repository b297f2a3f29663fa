#pragma once

#include <QCommandLineParser>
#include <QStringList>

namespace driftdeck::app {

// Sets the application name and version (from the CMake project version) on QCoreApplication's
// static properties; call before the application object exists so --help works without a display.
void setApplicationInfo(const char* name);

// Handles --help and --version from raw arguments, before any QApplication is constructed.
// Returns true when it printed something and the program should exit with `*exitCode`.
bool handleInfoOptions(QCommandLineParser& parser, const QStringList& arguments, int* exitCode);

QStringList argumentsFrom(int argc, char** argv);

} // namespace driftdeck::app
