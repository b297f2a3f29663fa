#include "appinfo.h"

#include "driftdeck/version.h"

#include <QCoreApplication>

#include <cstdio>

namespace driftdeck::app {

void setApplicationInfo(const char* name) {
    QCoreApplication::setApplicationName(QString::fromLatin1(name));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(driftdeck::kVersion));
    QCoreApplication::setOrganizationName(QStringLiteral("Driftdeck"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("driftdeck.io"));
}

QStringList argumentsFrom(int argc, char** argv) {
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    return arguments;
}

bool handleInfoOptions(QCommandLineParser& parser, const QStringList& arguments, int* exitCode) {
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "%s: %s\nTry --help.\n", qPrintable(QCoreApplication::applicationName()),
                     qPrintable(parser.errorText()));
        *exitCode = 2;
        return true;
    }
    if (parser.isSet(version)) {
        std::printf("%s %s\n", qPrintable(QCoreApplication::applicationName()), driftdeck::kVersion);
        *exitCode = 0;
        return true;
    }
    if (parser.isSet(help)) {
        // Without an application object Qt cannot know the executable's name; supply it.
        QString text = parser.helpText();
        text.replace(QLatin1String("<executable_name>"), QCoreApplication::applicationName());
        std::printf("%s", qPrintable(text));
        *exitCode = 0;
        return true;
    }
    return false;
}

} // namespace driftdeck::app
