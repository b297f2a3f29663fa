#include "kube/ratelimiter.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace driftdeck::kube {

RateLimiter::RateLimiter(double qps, int burst)
    : m_qps(qps > 0 ? qps : 1)
    , m_burst(std::max(1, burst))
    , m_tokens(m_burst)
    , m_last(Clock::now()) {}

std::chrono::milliseconds RateLimiter::reserve(Clock::time_point now) {
    if (now > m_last) {
        const double elapsed = std::chrono::duration<double>(now - m_last).count();
        m_tokens = std::min(m_burst, m_tokens + elapsed * m_qps);
        m_last = now;
    }
    // Tokens may go negative: each reservation queues behind the earlier ones.
    m_tokens -= 1;
    if (m_tokens >= 0)
        return std::chrono::milliseconds(0);
    return std::chrono::milliseconds(static_cast<long long>(std::ceil(-m_tokens / m_qps * 1000.0)));
}

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, double jitter)
    : m_base(base)
    , m_cap(cap)
    , m_jitter(jitter) {}

std::chrono::milliseconds Backoff::next() {
    return delay(m_attempt++, m_base, m_cap, m_jitter);
}

std::chrono::milliseconds Backoff::delay(int attempt, std::chrono::milliseconds base,
                                         std::chrono::milliseconds cap, double jitter) {
    const double raw = double(base.count()) * std::pow(2.0, std::min(attempt, 30));
    const double capped = std::min(raw, double(cap.count()));
    const double factor = 1.0 - jitter * QRandomGenerator::global()->generateDouble();
    return std::chrono::milliseconds(static_cast<long long>(capped * factor));
}

} // namespace driftdeck::kube
