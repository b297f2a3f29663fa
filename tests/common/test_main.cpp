// Shared main of every test executable: forces the offscreen platform so GUI tests run without a
// display, and gives each test a running Qt application for event loops, timers and sockets.
#include <QtGlobal>

#ifdef DRIFTDECK_TEST_GUI
#include <QApplication>
using TestApplication = QApplication;
#else
#include <QCoreApplication>
using TestApplication = QCoreApplication;
#endif

#include <gtest/gtest.h>

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    // Tests must not read or write the user's real configuration, cache or kubeconfig.
    qputenv("KUBECONFIG", "/dev/null");
    TestApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
