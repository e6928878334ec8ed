#pragma once
// The coverage ratchet, `coverage(ratchet: "ci/coverage-floor")`: a floor file committed in the repository
// that the measured coverage may never fall below, and that the stage offers to raise when it is above.

#include <filesystem>
#include <string>
#include <string_view>
#include <variant>

namespace chain::stdlib {

/// The number a floor file holds.
struct CoverageFloor {
    double percent = 0;
    std::string text; // as written in the file (`81.0`), to show
};

/// The floor of a floor file's text, a percent from 0 to 100, or what is wrong with it as
/// `NAME:LINE: ...`: the file holds one number (`81.0`) and a line end, nothing else but blank lines.
std::variant<CoverageFloor, std::string> parse_coverage_floor(std::string_view text, const std::string& name);

/// A percent as a floor file holds it and as it is compared with the floor: one digit after the point.
std::string floor_text(double percent);

/// Why `floor` (as the pipeline gave it) cannot name a floor file, or "" when it can: a floor is a
/// relative path that stays in the repository as written (the checker's test; symbolic links are
/// followed when the step runs).
std::string floor_path_problem(std::string_view floor);

/// The ratchet step, run in the pipeline's folder `root`: compares the coverage of the XML `report` with
/// the floor in `floor`, writes the floor it would now have to `new_floor` (the artifact's copy for the
/// user to commit) and the one-line summary to `summary`. Returns the error, or "": below the floor,
/// a floor file that is malformed, or a path that leaves the repository.
std::string ratchet_coverage(const std::filesystem::path& root, const std::string& floor, const std::string& report,
                             const std::string& new_floor, const std::string& summary);

} // namespace chain::stdlib
