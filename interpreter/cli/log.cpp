#include "commands.hpp"

#include "interpreter/edit_distance.hpp"
#include "interpreter/store.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace chain::cli {

namespace {

namespace fs = std::filesystem;

struct LogCommand {
    std::string stage;
    std::string file;
    std::string run_id;
    bool failed_only = false;
};

/// The newest run in the folder, or nothing.
std::string last_run(const fs::path& runs) {
    std::vector<std::string> ids = runs_oldest_first(runs);
    return ids.empty() ? std::string() : ids.back();
}

/// A step's log file, found where the run writes it (logs/<instance folder>/<n>-<builtin>.log) from the
/// file name the record gives: the record is not trusted to point anywhere else.
std::optional<fs::path> log_file(const fs::path& run_dir, const std::string& instance, const std::string& logged) {
    std::string name = fs::path(logged).filename().string();
    std::size_t dash = name.find('-');
    bool well_formed = dash != std::string::npos && dash > 0 && name.size() > 4 &&
                       name.compare(name.size() - 4, 4, ".log") == 0 &&
                       std::all_of(name.begin(), name.begin() + static_cast<std::ptrdiff_t>(dash),
                                   [](char c) { return c >= '0' && c <= '9'; }) &&
                       std::all_of(name.begin() + static_cast<std::ptrdiff_t>(dash) + 1, name.end() - 4,
                                   [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
    if (!well_formed) {
        return std::nullopt;
    }
    return run_dir / "logs" / instance_folder_name(instance) / name;
}

void print_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    char buffer[1 << 16];
    char last = '\n';
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        std::fwrite(buffer, 1, static_cast<std::size_t>(in.gcount()), stdout);
        last = buffer[in.gcount() - 1];
    }
    if (last != '\n') {
        std::fputc('\n', stdout);
    }
}

int run_log(const LogCommand& command) {
    // A pipeline file ends in .chain, which no stage name does: `chain log pipeline.chain` names the file.
    std::string stage = command.stage;
    std::string file = command.file.empty() ? "pipeline.chain" : command.file;
    if (command.file.empty() && stage.size() > 6 && stage.compare(stage.size() - 6, 6, ".chain") == 0) {
        file = stage;
        stage.clear();
    }
    fs::path runs = fs::path(file).parent_path() / ".chain" / "runs";
    std::string id = command.run_id;
    if (id.empty()) {
        id = last_run(runs);
        if (id.empty()) {
            fmt::print(stderr, "chain: error: no run recorded in {}; 'chain run' records one\n", runs.string());
            return exit_usage;
        }
    }
    fs::path run_dir = runs / id;
    std::error_code missing;
    if (!looks_like_run_id(id) || !fs::is_regular_file(run_dir / "run.json", missing)) {
        std::string latest = last_run(runs);
        fmt::print(stderr, "chain: error: no run '{}' in {}{}\n", id, runs.string(),
                   latest.empty() ? "" : fmt::format("; the last run is {}", latest));
        return exit_usage;
    }
    std::ifstream in(run_dir / "run.json", std::ios::binary);
    nlohmann::json record = nlohmann::json::parse(in, nullptr, false);
    if (!record.is_object() || !record.contains("stages") || !record["stages"].is_array()) {
        fmt::print(stderr, "chain: error: {} is not a run record chain can read\n", (run_dir / "run.json").string());
        return exit_usage;
    }
    const nlohmann::json& stages = record["stages"];
    if (!stage.empty()) {
        std::set<std::string> names;
        for (const nlohmann::json& entry : stages) {
            names.insert(entry.value("stage", ""));
            names.insert(entry.value("name", ""));
        }
        if (names.count(stage) == 0) {
            std::vector<std::string_view> candidates(names.begin(), names.end());
            std::string closest = closest_name(stage, candidates);
            fmt::print(stderr, "chain: error: unknown stage '{}' in the run {}{}\n", stage, id,
                       closest.empty() ? "" : fmt::format("; did you mean '{}'?", closest));
            return exit_usage;
        }
    }
    bool printed = false;
    for (const nlohmann::json& entry : stages) {
        std::string name = entry.value("name", "");
        if (!stage.empty() && entry.value("stage", "") != stage && name != stage) {
            continue;
        }
        const nlohmann::json steps = entry.value("steps", nlohmann::json::array());
        // A retried step writes its log again: each log is shown once, with its last attempt's result.
        std::map<std::string, std::size_t> last_of_log;
        for (std::size_t i = 0; i < steps.size(); ++i) {
            last_of_log[steps[i].value("log", "")] = i;
        }
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const nlohmann::json& step = steps[i];
            std::string logged = step.value("log", "");
            std::optional<fs::path> path = logged.empty() ? std::nullopt : log_file(run_dir, name, logged);
            if (!step.contains("argv") || (!logged.empty() && last_of_log[logged] != i) ||
                (command.failed_only && step.value("exit_code", 0) == 0)) {
                continue;
            }
            fmt::print("== {} step {} {} ==\n", name, step.value("step", i + 1), step.value("builtin", ""));
            std::fflush(stdout);
            std::error_code unreadable;
            if (path && fs::is_regular_file(*path, unreadable)) {
                print_file(*path);
            } else {
                fmt::print("(no output)\n");
            }
            printed = true;
        }
    }
    if (!printed) {
        fmt::print("the run {} has no {}step log{}\n", id, command.failed_only ? "failed " : "",
                   stage.empty() ? "" : " for " + stage);
    }
    return exit_ok;
}

} // namespace

std::function<int()> setup_log(CLI::App& app) {
    auto command = std::make_shared<LogCommand>();
    CLI::App* log = app.add_subcommand("log", "Print the step logs of the last run (or of one run)");
    log->add_option("stage", command->stage, "Only this stage (every instance of a matrix stage), or one instance");
    log->add_option("file", command->file, "The pipeline file, whose folder holds .chain/ (default: ./pipeline.chain)");
    log->add_option("--run", command->run_id, "The run to show, by its id (default: the last run)");
    log->add_flag("--failed", command->failed_only, "Only the logs of failed steps");
    return [log, command]() { return log->parsed() ? run_log(*command) : -1; };
}

} // namespace chain::cli
