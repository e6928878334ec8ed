#include "run_record.hpp"

#include "json_line.hpp"
#include "secrets.hpp"
#include "stdlib/files.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <ctime>
#include <fstream>
#include <unistd.h>

namespace chain {

namespace {

namespace fs = std::filesystem;

/// Writes a whole file, or throws: a record cut short by a full disk must not pass for one.
void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.flush();
    if (!out) {
        int error = errno != 0 ? errno : EIO;
        throw fs::filesystem_error("cannot write", path, std::error_code(error, std::generic_category()));
    }
}

void write_step_record(JsonLine& json, const stdlib::Step& step, const StepRecord& record) {
    json.begin_object();
    json.key("step");
    json.number(static_cast<std::int64_t>(record.step + 1));
    json.member("builtin", step.builtin);
    if (step.argv.empty()) {
        json.member("action", step.action);
    } else {
        json.key("argv");
        json.begin_array();
        for (const std::string& word : step.argv) {
            json.text(word);
        }
        json.end_array();
    }
    json.key("exit_code");
    json.number(record.exit_code);
    json.key("duration_ms");
    json.number(record.duration.count());
    if (!record.log.empty()) {
        json.member("log", record.log);
    }
    if (!record.error.empty()) {
        json.member("error", record.error);
    }
    if (!record.summary.empty()) {
        json.member("summary", record.summary);
    }
    if (!record.rehearsal.empty()) {
        json.member("status", "rehearsed");
        json.member("message", fmt::format("{}", fmt::join(record.rehearsal, "\n")));
    }
    json.end_object();
}

/// One stage's entry of the record, its members in the order the record has always had.
void write_stage_record(JsonLine& json, const StageInstance& instance, const StageRun& run, StageStatus status,
                        const std::string& schedule_reason) {
    const std::string& reason = status == StageStatus::failed || status == StageStatus::interrupted ? run.failure
                              : status == StageStatus::not_run || status == StageStatus::skipped
                                  ? (instance.runs ? schedule_reason : instance.reason)
                                  : instance.reason;
    json.begin_object();
    json.member("name", instance.name);
    json.member("stage", instance.stage);
    json.member("status", status_name(status));
    if (status == StageStatus::failed && instance.allow_failure) {
        json.key("allowed");
        json.boolean(true);
    }
    if (run.rehearsed()) {
        json.key("rehearsed");
        json.boolean(true);
    }
    json.member("reason", reason);
    json.key("needs");
    json.begin_array();
    for (const std::string& need : instance.needs) {
        json.text(need);
    }
    json.end_array();
    json.key("duration_ms");
    json.number(run.duration.count());
    json.key("attempts");
    json.number(run.attempt);
    json.key("steps");
    json.begin_array();
    for (const StepRecord& record : run.records) {
        write_step_record(json, instance.steps[record.step], record);
    }
    json.end_array();
    if (!run.artifact_hashes.empty()) {
        json.key("artifacts");
        json.begin_object();
        for (const auto& [name, hash] : run.artifact_hashes) {
            json.key(name);
            json.begin_object();
            json.member("path", instance.artifacts.at(name));
            json.member("sha256", hash);
            json.end_object();
        }
        json.end_object();
    }
    json.end_object();
}

} // namespace

RunRecord::RunRecord(const Plan& plan, const RunOptions& options, const fs::path& chain_dir, std::string id)
    : plan_(plan), options_(options), id_(std::move(id)), dir_(chain_dir / "runs" / id_) {}

nlohmann::ordered_json RunRecord::head(const std::string& status) const {
    return {{"run", id_},
            {"pipeline", plan_.pipeline},
            {"ref", {{"kind", plan_.ref.is_tag ? "tag" : "branch"}, {"name", plan_.ref.name}}},
            {"version", plan_.version},
            {"status", status}};
}

void RunRecord::write_start() const {
    fs::create_directories(dir_); // logs/ comes with the first step that prints something
    nlohmann::ordered_json record = head("running");
    record["pid"] = getpid();
    mask_json_values(record, plan_.secrets);
    write_file(dir_ / "run.json", record.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
}

fs::path RunRecord::write(const std::string& overall, const std::vector<StageStatus>& statuses,
                          const std::vector<StageRun>& runs, const Schedule& schedule,
                          std::chrono::milliseconds duration, const std::string& error) const {
    nlohmann::ordered_json record = head(overall);
    record["duration_ms"] = duration.count();
    if (options_.rehearse) {
        record["rehearsal"] = true;
    }
    if (overall == "running") {
        record["pid"] = getpid();
    }
    if (!error.empty()) {
        record["error"] = error;
    }
    mask_json_values(record, plan_.secrets);
    std::string head = record.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    head.resize(head.size() - 2); // the closing "\n}", to add the stages last
    fs::path partial = dir_ / "run.json.partial";
    fs::path record_path = dir_ / "run.json";
    {
        std::ofstream out(partial, std::ios::binary);
        out << head << ",\n  \"stages\": [";
        // A stage a line: as readable as an indented record, and several times faster to write for a large
        // pipeline (whose every up-to-date rerun writes one). Written in pieces of about 64 KB.
        SecretMasker masker(plan_.secrets);
        std::string lines;
        for (std::size_t i = 0; i < plan_.stages.size(); ++i) {
            lines += i == 0 ? "\n    " : ",\n    ";
            JsonLine json(lines, masker);
            write_stage_record(json, plan_.stages[i], runs[i], statuses[i], schedule.reason(i));
            if (lines.size() >= 64 * 1024) {
                out << lines;
                lines.clear();
            }
        }
        out << lines << "\n  ]\n}\n";
        out.flush();
        if (!out) {
            int code = errno != 0 ? errno : EIO;
            throw fs::filesystem_error("cannot write", partial, std::error_code(code, std::generic_category()));
        }
    }
    fs::rename(partial, record_path);
    if (!options_.record_copy.empty()) {
        fs::copy_file(record_path, options_.record_copy, fs::copy_options::overwrite_existing);
    }
    return record_path;
}

std::vector<std::string> RunRecord::remove_old_runs(const Store& store) const {
    std::vector<std::string> warnings;
    if (options_.keep_runs == 0) {
        return warnings;
    }
    std::vector<std::string> others = runs_oldest_first(dir_.parent_path());
    std::erase(others, id_);
    if (others.size() < options_.keep_runs) {
        return warnings;
    }
    others.resize(others.size() - (options_.keep_runs - 1));
    for (const std::string& old : others) {
        try {
            stdlib::remove_tree(store.inside(dir_.parent_path() / old));
        } catch (const std::exception& failure) {
            warnings.push_back(fmt::format("warning: cannot remove the old run {}: {}", old, failure.what()));
        }
    }
    return warnings;
}

std::string new_run_id() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    return fmt::format("{:%Y%m%dT%H%M%SZ}-{}", utc, getpid());
}

bool record_interrupted_run(const fs::path& chain_dir, const std::string& run_id) {
    // The id comes from a file in the folder: it names a folder under runs/ only if it looks like one.
    bool plain = looks_like_run_id(run_id);
    fs::path record_path = chain_dir / "runs" / run_id / "run.json";
    std::error_code not_there;
    if (!plain || !fs::is_regular_file(record_path, not_there)) {
        return false;
    }
    std::ifstream in(record_path, std::ios::binary);
    nlohmann::ordered_json record = nlohmann::ordered_json::parse(in, nullptr, false);
    if (!record.is_object() || record.value("status", "") != "running") {
        return false;
    }
    record["status"] = "interrupted";
    record["error"] = "chain ended without finishing the run (it was killed, or the machine stopped)";
    write_file(record_path, record.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
    return true;
}

} // namespace chain
