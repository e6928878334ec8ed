#include "actions.hpp"
#include "builtin.hpp"
#include "coverage_floor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace chain::stdlib {

namespace {

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    return text;
}

/// What one configuration file tells of coverage.py's settings.
struct Settings {
    bool present = false;       // the file holds coverage.py settings, so coverage.py reads this file
    bool names_measured = false; // its run settings say what to measure
};

/// Reads an INI or TOML file line by line: `[section]` headers and `key = value` lines at the start of a
/// line (indented lines continue a value). `ours(section)` tells a section of coverage.py's,
/// `run_key(section, key)` a run setting that names what to measure.
template <typename Ours, typename RunKey>
Settings read_settings(const std::filesystem::path& file, Ours ours, RunKey run_key) {
    Settings settings;
    std::ifstream in(file);
    std::string section;
    for (std::string line; std::getline(in, line);) {
        std::string_view text = trimmed(line);
        if (text.empty() || text.front() == '#' || text.front() == ';') {
            continue;
        }
        if (text.front() == '[' && text.back() == ']') {
            section = trimmed(text.substr(1, text.size() - 2));
            settings.present = settings.present || ours(section);
            continue;
        }
        if (std::isspace(static_cast<unsigned char>(line.front()))) {
            continue;
        }
        std::string key(trimmed(text.substr(0, text.find_first_of("=:"))));
        std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
        settings.names_measured = settings.names_measured || run_key(section, key);
    }
    return settings;
}

bool names_what_to_measure(std::string_view key) {
    return key == "source" || key == "source_pkgs" || key == "include";
}

/// True when the project in `folder` tells coverage.py what to measure (`source`, `source_pkgs` or
/// `include` in its run settings). coverage.py reads the first of these files that holds its settings
/// (.coveragerc whenever it exists), so only that one counts.
bool project_names_what_to_measure(const std::filesystem::path& folder) {
    std::error_code error;
    if (std::filesystem::exists(folder / ".coveragerc", error)) {
        return read_settings(
                   folder / ".coveragerc", [](std::string_view) { return true; },
                   [](std::string_view section, std::string_view key) {
                       return (section == "run" || section == "coverage:run") && names_what_to_measure(key);
                   })
            .names_measured;
    }
    for (const char* ini : {"setup.cfg", "tox.ini"}) {
        Settings settings = read_settings(
            folder / ini, [](std::string_view section) { return section.starts_with("coverage:"); },
            [](std::string_view section, std::string_view key) {
                return section == "coverage:run" && names_what_to_measure(key);
            });
        if (settings.present) {
            return settings.names_measured;
        }
    }
    return read_settings(
               folder / "pyproject.toml",
               [](std::string_view section) { return section == "tool.coverage" || section.starts_with("tool.coverage."); },
               [](std::string_view section, std::string_view key) {
                   return (section == "tool.coverage.run" && names_what_to_measure(key)) ||
                          (section == "tool.coverage" && key.starts_with("run.") &&
                           names_what_to_measure(key.substr(4)));
               })
        .names_measured;
}

bool project_names_what_to_measure(const Invocation& call) {
    std::filesystem::path folder = call.project.empty() ? "." : call.project;
    if (!call.facts) {
        return project_names_what_to_measure(folder);
    }
    std::optional<bool>& known = call.facts->coverage_names_what_to_measure;
    if (!known) {
        known = project_names_what_to_measure(folder);
    }
    return *known;
}

Value plan_coverage(const Invocation& call, std::vector<Step>& steps) {
    std::string data = call.in_scratch(".coverage");
    std::string minimum = call.arg(0) ? text_of(*call.arg(0)) : "0%";
    minimum.pop_back(); // `80%` -> `80`
    std::vector<std::string> sources = call.texts(1);
    std::string python = python_program(call.text(3, "3"));
    Value report = artifact_at(call.destination(), artifact_report);

    std::vector<std::string> run{python, "-m", "coverage", "run"};
    if (!sources.empty()) {
        std::string joined_sources;
        for (const std::string& source : sources) {
            // coverage.py splits --source at commas: such a name would measure something else.
            if (source.empty() || source.find(',') != std::string::npos) {
                steps.push_back(refusal("coverage", "coverage(source: ...) has \"" + source +
                                                        "\": name each folder or package as its own item, "
                                                        "not empty and without commas"));
                return report;
            }
            joined_sources += (joined_sources.empty() ? "" : ",") + source;
        }
        run.push_back("--source=" + joined_sources);
    } else if (!project_names_what_to_measure(call)) {
        // Without it coverage.py measures every file Python runs outside its standard library and the
        // site-packages it knows: on Debian that is pytest itself, in /usr/lib/python3/dist-packages.
        run.push_back("--source=.");
    }
    std::string xml = call.destination() + "/coverage.xml";
    std::size_t first = steps.size();
    steps.push_back(command("coverage", joined(joined(run, {"-m", "pytest"}), call.texts(2))));
    steps.push_back(command("coverage", {python, "-m", "coverage", "xml", "-o", xml}));
    steps.push_back(command("coverage", {python, "-m", "coverage", "report", "--fail-under=" + minimum}));
    const Value* ratchet = call.arg(5);
    // With a ratchet, its step's summary says what the coverage is; the report's says it too only when it
    // checks a minimum, whose failure it explains.
    if (!ratchet || call.arg(0)) {
        steps.back().report_format = "coverage:" + minimum;
        steps.back().report_path = xml;
    }
    for (std::size_t i = first; i < steps.size(); ++i) {
        steps[i].env.emplace_back("COVERAGE_FILE", data);
    }
    if (ratchet) {
        std::string floor = text_of(*ratchet);
        std::string new_floor = call.destination() + "/coverage-floor";
        Step compare = perform("coverage",
                               fmt::format("check the coverage against the floor in {}, and write the floor it "
                                           "reaches to {}",
                                           floor, new_floor),
                               {"coverage-floor", floor, xml, new_floor, call.in_scratch("coverage-floor.txt")});
        compare.report_format = "text";
        compare.report_path = call.in_scratch("coverage-floor.txt");
        compare.reads.push_back(floor);
        steps.push_back(std::move(compare));
    }
    return report;
}

/// A ratchet written as a literal is checked before anything runs; one made of values when its step runs.
std::vector<CallProblem> check_coverage(const CallSite& call) {
    std::vector<CallProblem> problems;
    std::optional<std::string> floor = call.has(5) ? ast::literal_text(*call.args[5]) : std::nullopt;
    if (floor) {
        if (std::string problem = floor_path_problem(*floor); !problem.empty()) {
            problems.push_back({5, "E0232", fmt::format("coverage(ratchet: \"{}\") {}", *floor, problem),
                                "give the floor file's path from the pipeline's folder, like \"ci/coverage-floor\""});
        }
    }
    return problems;
}

} // namespace

void add_coverage(std::vector<Builtin>& out) {
    out.push_back(Builtin{"coverage",
                          "Run pytest under coverage.py (`args` are pytest's, after `-m pytest`), measuring `source` "
                          "(default: the project's own settings, else its folder); fail below `min` or below the "
                          "floor in the file `ratchet`",
                          {param("min", Type::of(Type::percent), false, "0%"), param("source", str_list(), false, "[]"),
                           param("args", str_list(), false, "[]"), param("python", Type::of(Type::str), false, "\"3\""),
                           param("env", Type::of(Type::record), false, "{}"), param("ratchet", Type::of(Type::str))},
                          BlockUse::none,
                          returns(Type::artifact_of(artifact_report)),
                          check_coverage,
                          plan_coverage});
}

} // namespace chain::stdlib
