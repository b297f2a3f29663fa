#pragma once

#include <string>
#include <vector>
#include <yaml-cpp/mark.h>

// Most manifests use a small part of YAML: block maps and lists, one-line plain or simply quoted
// scalars, comments. yaml-cpp reads those at a few MB/s; this scanner reads them an order of
// magnitude faster and gives up (returns false) on anything else — flow collections, block
// scalars, anchors, tags, escapes, multi-line scalars, odd indentation — so yaml-cpp reads
// those documents and reports their errors. Its events feed the same builder as yaml-cpp's.
namespace driftdeck::yaml::detail {

struct SimpleEvent {
    enum class Type { MapStart, MapEnd, SeqStart, SeqEnd, Scalar, Null };
    Type type = Type::Null;
    YAML::Mark mark;
    bool quoted = false; // a Scalar written in quotes (yaml-cpp's "!" tag) rather than plain ("?")
    std::string value;
};

bool scanSimpleBlockDocument(const std::string& source, std::vector<SimpleEvent>* events);

} // namespace driftdeck::yaml::detail
