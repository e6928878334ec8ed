#include "coverage_floor.hpp"

#include "files.hpp"
#include "reports.hpp"
#include "value.hpp"

#include <fmt/format.h>

#include <charconv>
#include <system_error>

namespace chain::stdlib {

namespace fs = std::filesystem;

namespace {

/// A floor file is one short line: anything longer is not one, and is not read whole.
constexpr std::uintmax_t largest_floor_file = 1024;

std::string_view trimmed(std::string_view text) {
    std::size_t begin = text.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos) {
        return {};
    }
    return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

/// A line of the file as an error message quotes it: printable ASCII only, at most 40 characters, so that
/// no byte of the file reaches the terminal as a control sequence.
std::string quoted_line(std::string_view line) {
    std::string shown;
    for (char c : line.substr(0, 40)) {
        shown += c >= ' ' && c <= '~' ? c : '?';
    }
    return "'" + shown + (line.size() > 40 ? "...'" : "'");
}

/// `81`, `81.0`, `100.00`: digits, at most one point with digits after it.
bool plain_number(std::string_view text) {
    std::size_t point = text.find('.');
    std::string_view whole = text.substr(0, point);
    std::string_view fraction = point == std::string_view::npos ? std::string_view("0") : text.substr(point + 1);
    auto digits = [](std::string_view part) {
        return !part.empty() && part.find_first_not_of("0123456789") == std::string_view::npos;
    };
    return digits(whole) && digits(fraction);
}

double number_of(std::string_view text) {
    double number = 0;
    std::from_chars(text.data(), text.data() + text.size(), number);
    return number;
}

} // namespace

std::variant<CoverageFloor, std::string> parse_coverage_floor(std::string_view text, const std::string& name) {
    std::optional<CoverageFloor> floor;
    std::size_t line_number = 0;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t end = std::min(text.find('\n', at), text.size());
        std::string_view line = trimmed(text.substr(at, end - at));
        at = end + 1;
        ++line_number;
        if (line.empty()) {
            continue;
        }
        if (floor) {
            return fmt::format("{}:{}: a coverage floor file holds one number, and this line is one more: {}", name,
                               line_number, quoted_line(line));
        }
        if (!plain_number(line) || number_of(line) > 100) {
            return fmt::format("{}:{}: {} is not a coverage floor: write one number from 0 to 100, like 81.0", name,
                               line_number, quoted_line(line));
        }
        floor = CoverageFloor{number_of(line), std::string(line)};
    }
    if (!floor) {
        return fmt::format("{}:1: the coverage floor file is empty: write one number from 0 to 100, like 81.0", name);
    }
    return *floor;
}

std::string floor_text(double percent) { return fmt::format("{:.1f}", percent); }

std::string floor_path_problem(std::string_view floor) {
    if (floor.empty()) {
        return "names no file";
    }
    if (fs::path(floor).is_absolute()) {
        return "is an absolute path, but the floor is a file committed in the repository";
    }
    if (fs::path normal = fs::path(floor).lexically_normal(); !normal.empty() && *normal.begin() == "..") {
        return "leaves the repository through '..', but the floor is a file committed in it";
    }
    return "";
}

std::string ratchet_coverage(const fs::path& root, const std::string& floor, const std::string& report,
                             const std::string& new_floor, const std::string& summary) {
    // A floor given by a param or a let reaches here unchecked by the checker: the same test again, then
    // the symbolic links, which only the file system can tell.
    if (std::string problem = floor_path_problem(floor); !problem.empty()) {
        return fmt::format("refusing to read the coverage floor '{}': it {}; give its path from the pipeline's "
                           "folder, like ci/coverage-floor",
                           floor, problem);
    }
    if (std::string leaves = leaves_repository(root, floor); !leaves.empty()) {
        return fmt::format("refusing to read the coverage floor '{}': {}", floor, leaves);
    }
    std::error_code error;
    std::optional<double> measured;
    if (fs::is_regular_file(root / report, error)) {
        measured = coverage_percent(read_file(root / report));
    }
    if (!measured) {
        return fmt::format("{} holds no coverage total: the steps before did not write coverage.py's XML report", report);
    }
    std::string shown = floor_text(*measured);
    std::string raise = fmt::format("cp --no-preserve=mode {} {}", shell_quote(new_floor), shell_quote(floor));
    std::string said;
    fs::file_status status = fs::status(root / floor, error);
    if (error && error != std::errc::no_such_file_or_directory) {
        return fmt::format("cannot read the coverage floor {}: {}", floor, error.message());
    }
    if (!fs::exists(status)) {
        said = fmt::format("coverage {}%, no floor yet in {}: start it with {}", shown, floor, raise);
    } else if (!fs::is_regular_file(status)) {
        return fmt::format("the coverage floor {} is not a file: it holds one number, like 81.0", floor);
    } else if (fs::file_size(root / floor) > largest_floor_file) {
        return fmt::format("{}:1: the coverage floor file is {} bytes long: it holds one number, like 81.0", floor,
                           fs::file_size(root / floor));
    } else {
        std::variant<CoverageFloor, std::string> parsed = parse_coverage_floor(read_file(root / floor), floor);
        if (const std::string* problem = std::get_if<std::string>(&parsed)) {
            return *problem;
        }
        const CoverageFloor& wanted = std::get<CoverageFloor>(parsed);
        double now = number_of(shown); // compared as shown, so that the floor written back is met exactly
        if (now < wanted.percent) {
            return fmt::format("coverage {}%, below the floor {}% in {}: cover the new code with tests, or lower the "
                               "floor there on purpose",
                               shown, wanted.text, floor);
        }
        said = now > wanted.percent
                   ? fmt::format("coverage {}%, above the floor {}%: raise it with {}", shown, wanted.text, raise)
                   : fmt::format("coverage {}%, at the floor in {}", shown, floor);
    }
    replace_file(root / new_floor, shown + "\n");
    replace_file(root / summary, said + "\n");
    return "";
}

} // namespace chain::stdlib
