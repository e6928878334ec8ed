#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chain {

/// Levenshtein distance, giving up (returning max_distance + 1) once it is exceeded.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max_distance);

/// The candidate closest to `name` within a distance that grows with its length (at most 3), or "".
std::string closest_name(std::string_view name, const std::vector<std::string_view>& candidates);

} // namespace chain
