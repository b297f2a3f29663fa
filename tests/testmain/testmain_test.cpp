// A skipped test must not pass for a run: CI sets DRIFTDECK_REQUIRE_REFEREES=1 and then a skip
// fails the executable, naming the test; without it ctest reports the executable as skipped.
#include "testsupport.h"

#include <gtest/gtest.h>

using namespace driftdeck;

namespace {

test::ProcessResult runProbe(const char* required, const QStringList& args = {}) {
    return test::runProcess(QStringLiteral(DRIFTDECK_TEST_MAIN_PROBE), args, {}, std::chrono::seconds(60),
                            {QStringLiteral("DRIFTDECK_REQUIRE_REFEREES=") + QLatin1String(required)});
}

} // namespace

TEST(TestMain, SkipFailsTheExecutableWhenRefereesAreRequired) {
    const auto run = runProbe("1");
    EXPECT_EQ(run.exitCode, 1) << run.out.constData();
    EXPECT_TRUE(run.out.contains("driftdeck-tests: 2 ran, 1 skipped\n")) << run.out.constData();
    EXPECT_TRUE(run.out.contains("  Probe.NeedsAMissingReferee\n")) << run.out.constData();
}

TEST(TestMain, SkipIsReportedToCtestAsSkippedOtherwise) {
    const auto run = runProbe("0");
    EXPECT_EQ(run.exitCode, 77) << run.out.constData(); // ctest's SKIP_RETURN_CODE
    EXPECT_TRUE(run.out.contains("driftdeck-tests: 2 ran, 1 skipped\n")) << run.out.constData();
    EXPECT_FALSE(run.out.contains("which counts as a failure")) << run.out.constData();
}

TEST(TestMain, RunsWithoutSkipsPassAndSayHowManyRan) {
    const auto run = runProbe("1", {QStringLiteral("--gtest_filter=Probe.Passes")});
    EXPECT_EQ(run.exitCode, 0) << run.out.constData();
    EXPECT_TRUE(run.out.endsWith("driftdeck-tests: 1 ran, 0 skipped\n")) << run.out.constData();
}
