// Shared main of every test executable: forces the offscreen platform so GUI tests run without a
// display, and gives each test a running Qt application for event loops, timers and sockets.
#include <QtGlobal>

#ifdef DRIFTDECK_TEST_GUI
#include <QApplication>
#include <QSettings>
#include <QTemporaryDir>
using TestApplication = QApplication;
#else
#include <QCoreApplication>
using TestApplication = QCoreApplication;
#endif

#include <cstdio>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace {

// GTEST_SKIP exits 0, so ctest would count a test that never ran its referee (kubectl, the shared
// corpus) as passed. This listener makes skips visible: every executable ends with a count line,
// a skip makes ctest report the executable as skipped (exit 77), and with
// DRIFTDECK_REQUIRE_REFEREES=1 (CI) a skip is a failure that names the tests.
class SkipAccounting final : public ::testing::EmptyTestEventListener {
public:
    void OnTestEnd(const ::testing::TestInfo& info) override {
        ++m_ran;
        if (info.result()->Skipped())
            m_skipped.push_back(std::string(info.test_suite_name()) + '.' + info.name());
    }

    // Printed after GoogleTest's own summary, as the executable's last lines; returns the exit code.
    int finish(int gtestResult) const {
        std::printf("driftdeck-tests: %d ran, %zu skipped\n", m_ran, m_skipped.size());
        if (!m_skipped.empty() && refereesRequired()) {
            std::printf(
                "DRIFTDECK_REQUIRE_REFEREES=1: these tests were skipped, which counts as a failure:\n");
            for (const std::string& name : m_skipped)
                std::printf("  %s\n", name.c_str());
        }
        // A skip in a global environment's SetUp skips every test without reporting any of them.
        const bool nothingRan =
            m_ran == 0 && ::testing::UnitTest::GetInstance()->test_to_run_count() > 0 && gtestResult == 0;
        if (nothingRan)
            std::printf("driftdeck-tests: %d tests were selected and none ran (a skipped environment?)\n",
                        ::testing::UnitTest::GetInstance()->test_to_run_count());
        std::fflush(stdout);
        if (gtestResult != 0)
            return gtestResult;
        if (m_skipped.empty() && !nothingRan)
            return 0;
        return refereesRequired() ? 1 : 77;
    }

    static bool refereesRequired() {
        return qEnvironmentVariable("DRIFTDECK_REQUIRE_REFEREES") == QLatin1String("1");
    }

private:
    int m_ran = 0;
    std::vector<std::string> m_skipped;
};

} // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    // Tests must not read or write the user's real configuration, cache or kubeconfig.
    qputenv("KUBECONFIG", "/dev/null");
    TestApplication app(argc, argv);
#ifdef DRIFTDECK_TEST_GUI
    // Windows save their geometry and last workspace in QSettings: into a directory of this run.
    const QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
#endif
    ::testing::InitGoogleTest(&argc, argv);
    auto* skips = new SkipAccounting; // owned by GoogleTest's listener list
    ::testing::UnitTest::GetInstance()->listeners().Append(skips);
    const int result = RUN_ALL_TESTS();
    return skips->finish(result);
}
