// Not a test of its own: testmain_test runs it to see what the shared main makes of a skip.
#include <gtest/gtest.h>

TEST(Probe, Passes) {
    EXPECT_EQ(1 + 1, 2);
}

TEST(Probe, NeedsAMissingReferee) {
    GTEST_SKIP() << "the referee is not installed";
}
