#pragma once

#include <QString>

#include <optional>

// Kubernetes resource quantities ("100m", "0.1", "1Gi", "1024Mi", "1e3"), compared by value as the
// API server does: it stores them in canonical form, so "0.1" applied reads back as "100m".
namespace driftdeck::diff {

// The value in base units, or nothing when `text` is not a quantity.
std::optional<long double> parseQuantity(const QString& text);

// True when both parse as quantities of the same value.
bool quantitiesEqual(const QString& a, const QString& b);

} // namespace driftdeck::diff
