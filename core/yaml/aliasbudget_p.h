#pragma once

#include <cstdint>

// How many nodes of one document may come from alias expansion: go-yaml's rule (kubectl's YAML
// decoder, the fix for CVE-2019-11253 "billion laughs"), so Driftdeck refuses what kubectl refuses.
//
// go-yaml counts one decode per node it visits while building the value, and every node decoded
// inside an alias also counts as an alias decode. It fails with "excessive aliasing" once more than
// 100 alias decodes and 1,000 decodes have happened and the share of alias decodes exceeds a ratio
// that shrinks with the document: 99% up to 400,000 decodes, 10% from 4,000,000, linear between.
//
// The tree builder shares aliased subtrees instead of copying them, so it adds a whole alias's
// expansion at once. Within one expansion the share only grows and the allowed ratio only shrinks,
// so checking after the whole expansion gives the same verdict as go-yaml's check at every node.
namespace driftdeck::yaml::detail {

class AliasBudget {
public:
    static constexpr std::uint64_t kFreeAliasDecodes = 100;
    static constexpr std::uint64_t kFreeDecodes = 1000;
    static constexpr std::uint64_t kRatioRangeLow = 400'000;
    static constexpr std::uint64_t kRatioRangeHigh = 4'000'000;

    // The share of decodes that may come from aliases in a document of `decodes` decodes.
    static double allowedRatio(std::uint64_t decodes) {
        if (decodes <= kRatioRangeLow)
            return 0.99;
        if (decodes >= kRatioRangeHigh)
            return 0.10;
        return 0.99 - 0.89 * (double(decodes - kRatioRangeLow) / double(kRatioRangeHigh - kRatioRangeLow));
    }

    // `nodes` decoded in place; `expanded` of them inside an alias. Returns false once excessive.
    bool count(std::uint64_t nodes, std::uint64_t expanded = 0) {
        m_decodes += nodes;
        m_aliasDecodes += expanded;
        return !excessive();
    }

    // Nodes go-yaml does not visit (a merge key, the list holding merged maps) but the builder saw.
    void uncount(std::uint64_t nodes) { m_decodes -= nodes; }

    bool excessive() const {
        return m_aliasDecodes > kFreeAliasDecodes && m_decodes > kFreeDecodes &&
               double(m_aliasDecodes) / double(m_decodes) > allowedRatio(m_decodes);
    }

    std::uint64_t decodes() const { return m_decodes; }
    std::uint64_t aliasDecodes() const { return m_aliasDecodes; }

private:
    std::uint64_t m_decodes = 1; // the document node
    std::uint64_t m_aliasDecodes = 0;
};

} // namespace driftdeck::yaml::detail
