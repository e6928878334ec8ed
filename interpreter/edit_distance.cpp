#include "edit_distance.hpp"

#include <algorithm>
#include <numeric>

namespace chain {

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max_distance) {
    if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > max_distance) {
        return max_distance + 1;
    }
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        std::size_t best = row[0];
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
            best = std::min(best, row[j]);
        }
        if (best > max_distance) {
            return max_distance + 1;
        }
    }
    return row[b.size()];
}

std::string closest_name(std::string_view name, const std::vector<std::string_view>& candidates) {
    // Short names allow fewer edits, so that `a` is not "corrected" to every other one-letter name.
    std::size_t allowed = name.size() <= 2 ? 1 : name.size() <= 5 ? 2 : 3;
    std::string best;
    std::size_t best_distance = allowed + 1;
    for (std::string_view candidate : candidates) {
        if (candidate == name) {
            continue;
        }
        std::size_t distance = edit_distance(name, candidate, allowed);
        if (distance < best_distance || (distance == best_distance && candidate < best)) {
            best_distance = distance;
            best = std::string(candidate);
        }
    }
    return best_distance <= allowed ? best : std::string();
}

} // namespace chain
