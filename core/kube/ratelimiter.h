#pragma once

#include <chrono>
#include <random>

namespace driftdeck::kube {

// Token bucket as client-go's flowcontrol: `burst` requests at once, then `qps` per second.
// reserve() takes a token now or in the future and returns how long the caller must wait for it,
// so a worker schedules a timer instead of blocking.
class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    RateLimiter(double qps = 50, int burst = 100);
    std::chrono::milliseconds reserve(Clock::time_point now = Clock::now());

private:
    double m_qps;
    double m_burst;
    double m_tokens;
    Clock::time_point m_last;
};

// Exponential backoff with jitter: base * 2^attempt, capped, then multiplied by [1 - jitter, 1].
class Backoff {
public:
    Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, double jitter = 0.2);
    std::chrono::milliseconds next(); // grows with each call
    void reset() { m_attempt = 0; }
    int attempt() const { return m_attempt; }

    // The delay of attempt `n` (from 0) without state, for request retries.
    static std::chrono::milliseconds delay(int attempt, std::chrono::milliseconds base,
                                           std::chrono::milliseconds cap, double jitter);

private:
    std::chrono::milliseconds m_base;
    std::chrono::milliseconds m_cap;
    double m_jitter;
    int m_attempt = 0;
};

} // namespace driftdeck::kube
