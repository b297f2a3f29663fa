#include "demotestsupport.h"

#include "testsupport.h"

#include <QDir>
#include <QTemporaryDir>

namespace driftdeck::test {

QString demoTestHome() {
    static QTemporaryDir home;
    static const bool switched = [] {
        const QByteArray path = home.path().toLocal8Bit();
        qputenv("HOME", path);
        qputenv("XDG_DATA_HOME", path + "/.local/share");
        qputenv("XDG_CONFIG_HOME", path + "/.config");
        qputenv("XDG_CACHE_HOME", path + "/.cache");
        qputenv("KUBECONFIG", path + "/.kube/config");
        qputenv("GIT_CONFIG_NOSYSTEM", "1");
        return true;
    }();
    Q_UNUSED(switched);
    return home.path();
}

QString gitIn(const QString& gitDir, const QStringList& args) {
    const ProcessResult r =
        runProcess(QStringLiteral("git"), QStringList{QStringLiteral("--git-dir"), gitDir} + args, {},
                   std::chrono::seconds(60), {QStringLiteral("HOME=") + demoTestHome()});
    EXPECT_EQ(r.exitCode, 0) << "git " << args.join(QLatin1Char(' ')).toStdString() << ": "
                             << r.err.toStdString();
    return QString::fromUtf8(r.out).trimmed();
}

} // namespace driftdeck::test
