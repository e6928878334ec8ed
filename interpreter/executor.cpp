#include "executor.hpp"

#include "run_record.hpp"
#include "stage_run.hpp"

#include "file_error.hpp"
#include "rehearsal.hpp"
#include "secrets.hpp"
#include "side_thread.hpp"
#include "stdlib/actions.hpp"
#include "stdlib/files.hpp"
#include "stdlib/reports.hpp"
#include "stdlib/sha256.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <map>
#include <unordered_map>

namespace chain {

namespace {

namespace fs = std::filesystem;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr auto refresh_interval = milliseconds(200);

std::string seconds_text(milliseconds duration) { return fmt::format("{:.1f}s", duration.count() / 1000.0); }

/// The last `count` lines of a log, read from its end only: a step can log gigabytes. A line is shown as
/// a terminal left it, after its last carriage return (progress bars redraw a line that way).
std::vector<std::string> log_tail(const fs::path& path, std::size_t count) {
    constexpr std::streamoff window = 64 * 1024;
    constexpr std::size_t longest = 400;
    std::ifstream in(path, std::ios::binary);
    if (count == 0 || !in.seekg(0, std::ios::end)) {
        return {};
    }
    std::streamoff size = in.tellg();
    std::streamoff from = std::max<std::streamoff>(0, size - window);
    in.seekg(from);
    std::string text(static_cast<std::size_t>(size - from), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (!text.empty() && text.back() == '\n') {
        text.pop_back();
    }
    std::vector<std::string> lines;
    std::size_t start = 0;
    if (from > 0) {
        start = text.find('\n') == std::string::npos ? text.size() : text.find('\n') + 1; // cut: not a whole line
    }
    while (start < text.size()) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        std::string line = text.substr(start, end - start);
        while (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (std::size_t cr = line.rfind('\r'); cr != std::string::npos) {
            line.erase(0, cr + 1);
        }
        lines.push_back(line.size() > longest ? line.substr(0, longest - 3) + "..." : line);
        start = end + 1;
    }
    if (lines.size() > count) {
        lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(count));
    }
    return lines;
}

class Executor {
  public:
    Executor(const Plan& plan, const RunOptions& options, Store& store, CommandRunner& runner, Status& status)
        : plan_(plan), options_(options), store_(store), runner_(runner),
          masked_status_(make_masking_status(status, plan.secrets)), status_(*masked_status_),
          needs_(resolve_needs(plan)), runs_(plan.stages.size()), selected_(selection()),
          schedule_(scheduled_stages(), selected_, options.keep_going),
          record_(plan, options, store.chain_dir(), options.run_id.empty() ? new_run_id() : options.run_id) {}

    Executor(const Executor&) = delete;
    Executor& operator=(const Executor&) = delete;
    ~Executor() { finish_cleaning(); }

    RunResult run() {
        started_ = Clock::now();
        record_written_ = started_;
        try {
            record_.write_start();
            // Old runs' folders go while the stages run: removing them (logs and all) can take longer than
            // a whole run with nothing to do. No other run adds one meanwhile (this run holds the lock).
            cleaner_ = SideThread("chain-old-runs", [this] { cleaning_warnings_ = record_.remove_old_runs(store_); });
            return run_stages();
        } catch (const fs::filesystem_error& error) {
            return stopped_by(error);
        }
    }

  private:
    RunResult run_stages() {
        bool interrupting = false;
        while (true) {
            if (runner_.interrupted() && !interrupting) {
                interrupting = true;
                show("interrupted: stopping every running stage");
                schedule_.stop_starting();
                for (std::size_t i = 0; i < runs_.size(); ++i) {
                    if (runs_[i].active) {
                        runner_.terminate(i);
                    }
                }
            }
            if (!interrupting) {
                while (schedule_.running() < options_.jobs) {
                    std::optional<std::size_t> next = schedule_.start_next();
                    if (!next) {
                        break;
                    }
                    begin(*next);
                }
            }
            if (schedule_.done()) {
                break;
            }
            std::optional<Clock::time_point> until = Clock::now() + refresh_interval;
            std::optional<Finished> finished = runner_.wait(until);
            if (finished) {
                step_ended(*finished, interrupting);
            }
            check_timeouts();
            refresh();
            keep_record_current();
        }
        status_.close();
        return finish(interrupting);
    }

    /// A file-system failure (a full disk, a read-only folder, a file where a folder belongs) stops the run:
    /// its running steps are terminated and waited for, and the record says why, if it can be written.
    RunResult stopped_by(const fs::filesystem_error& error) {
        error_ = file_error_text(error);
        schedule_.stop_starting();
        for (std::size_t i = 0; i < runs_.size(); ++i) {
            if (runs_[i].command_running) {
                runner_.terminate(i);
            }
        }
        auto still_running = [&] {
            return std::any_of(runs_.begin(), runs_.end(), [](const StageRun& run) { return run.command_running; });
        };
        while (still_running()) {
            if (std::optional<Finished> finished = runner_.wait(std::nullopt)) {
                runs_[finished->token].command_running = false;
            }
        }
        status_.close();
        RunResult result;
        try {
            result = finish(false);
        } catch (const fs::filesystem_error&) {
            // The record cannot be written either: the error message is all there is.
        }
        result.exit_code = 2;
        result.error = error_;
        return result;
    }

    /// An event, after the run's heading when it is the first.
    void show(const std::string& line) {
        if (!heading_shown_ && !options_.heading.empty()) {
            status_.event(options_.heading);
        }
        heading_shown_ = true;
        status_.event(line);
    }

    const Plan& plan_;
    const RunOptions& options_;
    Store& store_;
    CommandRunner& runner_;
    std::unique_ptr<Status> masked_status_; // every line shown goes through it: a failure can quote a secret
    Status& status_;
    std::vector<std::vector<std::size_t>> needs_; // by instance: the instances it needs, by index
    std::vector<StageRun> runs_;
    std::vector<bool> selected_; // by --stage; empty: all
    Schedule schedule_;
    RunRecord record_;
    Clock::time_point started_;
    std::size_t finished_count_ = 0;
    std::string error_; // the file-system failure that stopped the run
    bool heading_shown_ = false;
    bool record_stale_ = false; // a stage started or ended since run.json was last written
    Clock::time_point record_written_;
    SideThread cleaner_; // removes the folders of runs beyond --keep-runs while this one goes
    std::vector<std::string> cleaning_warnings_;

    void finish_cleaning() {
        if (cleaner_.joinable()) {
            cleaner_.join();
        }
    }

    static std::vector<std::vector<std::size_t>> resolve_needs(const Plan& plan) {
        std::unordered_map<std::string_view, std::size_t> index;
        index.reserve(plan.stages.size());
        for (std::size_t i = 0; i < plan.stages.size(); ++i) {
            index.emplace(plan.stages[i].name, i);
        }
        std::vector<std::vector<std::size_t>> needs(plan.stages.size());
        for (std::size_t i = 0; i < plan.stages.size(); ++i) {
            needs[i].reserve(plan.stages[i].needs.size());
            for (const std::string& need : plan.stages[i].needs) {
                needs[i].push_back(index.at(need));
            }
        }
        return needs;
    }

    std::vector<ScheduledStage> scheduled_stages() const {
        std::vector<ScheduledStage> stages;
        bool without_needs = options_.no_deps && !options_.stages.empty();
        for (std::size_t i = 0; i < plan_.stages.size(); ++i) {
            stages.push_back(ScheduledStage{plan_.stages[i].runs,
                                            without_needs ? std::vector<std::size_t>{} : needs_[i],
                                            plan_.stages[i].allow_failure});
        }
        return stages;
    }

    /// --stage S: S (a stage or one instance) and, transitively, what it needs (with --no-deps, S alone).
    std::vector<bool> selection() const {
        if (options_.stages.empty()) {
            return {};
        }
        std::vector<bool> selected(plan_.stages.size());
        std::vector<std::size_t> pending;
        for (std::size_t i = 0; i < plan_.stages.size(); ++i) {
            for (const std::string& wanted : options_.stages) {
                if (plan_.stages[i].stage == wanted || plan_.stages[i].name == wanted) {
                    pending.push_back(i);
                }
            }
        }
        while (!pending.empty()) {
            std::size_t i = pending.back();
            pending.pop_back();
            if (selected[i]) {
                continue;
            }
            selected[i] = true;
            if (!options_.no_deps) {
                pending.insert(pending.end(), needs_[i].begin(), needs_[i].end());
            }
        }
        return selected;
    }

    /// The folders of an instance under `.chain/`, by its name made a safe folder name, and checked to be there.
    fs::path out_dir(const StageInstance& instance) const {
        return store_.inside(store_.chain_dir() / "out" / instance_folder_name(instance.name));
    }
    fs::path logs_dir(const StageInstance& instance) const {
        return store_.inside(record_.dir() / "logs" / instance_folder_name(instance.name));
    }

    // ---- one stage ---------------------------------------------------------------------------------------
    void begin(std::size_t index) {
        const StageInstance& instance = plan_.stages[index];
        StageRun& run = runs_[index];
        run.started = Clock::now();
        run.active = true;
        if (instance.timeout_ms) {
            run.deadline = run.started + milliseconds(*instance.timeout_ms);
        }
        if (std::string missing = missing_artifacts(index); !missing.empty()) {
            run.failure = std::move(missing);
            finish_stage(index, StageStatus::failed);
            return;
        }
        if (options_.use_cache && !instance.inputs.empty()) {
            run.cache_key = cache_key(index);
            if (up_to_date(index)) {
                run.active = false;
                finish_stage(index, StageStatus::up_to_date);
                return;
            }
        }
        store_.files_changed(); // its folders are made and its steps run: inputs of later stages may change
        if (!prepare_folders(index)) {
            return;
        }
        show(fmt::format("start   {}", instance.name));
        record_stale_ = true;
        advance(index);
    }

    /// The artifacts this instance's steps use that a stage it needs did not make because it failed, allowed
    /// to ("" when none): said before anything runs, rather than as a step's puzzling failure on a missing path.
    std::string missing_artifacts(std::size_t index) const {
        std::string missing;
        for (std::size_t need : needs_[index]) {
            if (schedule_.status(need) != StageStatus::failed) {
                continue;
            }
            const StageInstance& needed = plan_.stages[need];
            for (const auto& [name, path] : needed.artifacts) {
                if (!runs_[need].artifact_hashes.contains(name) && uses_path(plan_.stages[index], path)) {
                    missing += fmt::format("{}needs the artifact {}.{}, which '{}' did not make: it failed (allowed)",
                                           missing.empty() ? "" : "; ", needed.name, name, needed.name);
                }
            }
        }
        return missing;
    }

    /// Whether a step of `instance` names `path` or something inside it.
    static bool uses_path(const StageInstance& instance, const std::string& path) {
        auto names = [&](const std::string& text) {
            for (std::size_t at = text.find(path); at != std::string::npos; at = text.find(path, at + 1)) {
                std::size_t end = at + path.size();
                if (end == text.size() || text[end] == '/' || text[end] == ' ' || text[end] == '\'') {
                    return true;
                }
            }
            return false;
        };
        for (const stdlib::Step& step : instance.steps) {
            bool found = std::any_of(step.argv.begin(), step.argv.end(), names) ||
                         std::any_of(step.action_args.begin(), step.action_args.end(), names) ||
                         std::any_of(step.env.begin(), step.env.end(), [&](const auto& set) { return names(set.second); });
            if (found) {
                return true;
            }
        }
        return false;
    }

    /// Whether the folders are ready; else the stage failed, saying why.
    bool prepare_folders(std::size_t index) {
        const StageInstance& instance = plan_.stages[index];
        try {
            make_folders(instance);
            return true;
        } catch (const OutsideStore& error) {
            runs_[index].failure = error.what();
            finish_stage(index, StageStatus::failed);
            return false;
        }
    }

    void make_folders(const StageInstance& instance) {
        // What an earlier, failed attempt left is not kept: every attempt starts from empty folders.
        // Folders are made only where a step writes, since making them is most of a tiny stage's cost.
        stdlib::remove_tree(out_dir(instance));
        for (const std::string& output : instance.outputs) {
            fs::create_directories(store_.inside(output));
        }
        std::string scratch = ".chain/scratch/" + instance_folder_name(instance.name);
        bool uses_scratch = false;
        for (const stdlib::Step& step : instance.steps) {
            for (const std::string& word : step.argv) {
                uses_scratch = uses_scratch || word.find(scratch) != std::string::npos;
            }
            for (const auto& [name, value] : step.env) {
                uses_scratch = uses_scratch || value.find(scratch) != std::string::npos;
            }
            uses_scratch = uses_scratch || step.root.find(scratch) != std::string::npos;
        }
        if (uses_scratch) {
            fs::create_directories(store_.inside(scratch));
        }
    }

    /// Runs the stage's steps from the current one: chain's own actions at once, a command by starting it.
    void advance(std::size_t index) {
        const StageInstance& instance = plan_.stages[index];
        StageRun& run = runs_[index];
        while (run.step < instance.steps.size()) {
            const stdlib::Step& step = instance.steps[run.step];
            if (!step.creates.empty() && fs::exists(store_.root() / step.creates)) {
                run.records.push_back(
                    StepRecord{run.step, 0, "", milliseconds(0), "", "skipped: " + step.creates + " exists"});
                ++run.step;
                continue;
            }
            if (options_.rehearse && step.effect) {
                rehearse_step(index);
                ++run.step;
                continue;
            }
            if (step.argv.empty()) {
                std::string error = stdlib::perform_action(step, store_.root());
                std::string summary = step.report_format.empty() || !error.empty()
                                          ? ""
                                          : stdlib::summarize_report(step.report_format, store_.root() / step.report_path);
                run.records.push_back(StepRecord{run.step, error.empty() ? 0 : 1, "", milliseconds(0), error, summary});
                if (!error.empty()) {
                    step_failed(index, fmt::format("step {} ({}): {}", run.step + 1, step.builtin, error));
                    return;
                }
                ++run.step;
                continue;
            }
            Command command;
            command.argv = step.argv;
            command.env = step.env;
            fs::path workdir = step.workdir.empty() ? store_.root() : store_.root() / step.workdir;
            command.workdir = workdir.string();
            command.log_path = (logs_dir(instance) / fmt::format("{}-{}.log", run.step + 1, step.builtin)).string();
            run.step_log = command.log_path;
            command.secrets = plan_.secrets;
            if (options_.verbose) {
                command.echo_prefix = "[" + instance.name + "] ";
            }
            run.step_started = Clock::now();
            run.command_running = true;
            runner_.start(index, command);
            return;
        }
        finish_stage(index, StageStatus::success);
    }

    void rehearse_step(std::size_t index) {
        const StageInstance& instance = plan_.stages[index];
        StageRun& run = runs_[index];
        StepRecord record{run.step, 0, "", milliseconds(0), "", ""};
        record.rehearsal = rehearsal_lines(instance.steps[run.step], store_.root(), SecretMasker(plan_.secrets));
        for (const std::string& line : record.rehearsal) {
            show(fmt::format("[{}] {}", instance.name, line));
        }
        run.records.push_back(std::move(record));
    }

    void step_ended(const Finished& finished, bool interrupting) {
        std::size_t index = finished.token;
        const StageInstance& instance = plan_.stages[index];
        StageRun& run = runs_[index];
        run.command_running = false;
        auto duration = duration_cast<milliseconds>(Clock::now() - run.step_started);
        std::string log = finished.logged ? fs::path(run.step_log).lexically_relative(store_.root()).string() : "";
        const stdlib::Step& step = instance.steps[run.step];
        std::string summary =
            step.report_format.empty() ? "" : stdlib::summarize_report(step.report_format, store_.root() / step.report_path);
        run.records.push_back(StepRecord{run.step, finished.exit_code, log, duration, finished.error, summary});
        if (interrupting) {
            run.failure = "interrupted";
            finish_stage(index, StageStatus::interrupted);
            return;
        }
        if (run.timed_out) {
            step_failed(index, fmt::format("timed out after {}", stdlib::duration_text(*instance.timeout_ms)));
            return;
        }
        if (finished.exit_code != 0) {
            std::string why = !finished.error.empty() ? finished.error
                              : finished.exit_code > 128 ? fmt::format("killed by signal {}", finished.exit_code - 128)
                                                         : fmt::format("exit code {}", finished.exit_code);
            step_failed(index, fmt::format("step {} ({}) failed: {}{}  [{}]", run.step + 1,
                                           instance.steps[run.step].builtin, why,
                                           !summary.empty()             ? " — " + summary
                                           : finished.last_line.empty() ? ""
                                                                        : " — " + finished.last_line,
                                           log.empty() ? "no output" : "log: " + log));
            return;
        }
        ++run.step;
        advance(index);
    }

    void step_failed(std::size_t index, std::string why) {
        const StageInstance& instance = plan_.stages[index];
        StageRun& run = runs_[index];
        if (run.attempt <= instance.retries && !run.timed_out) {
            show(fmt::format("retry   {} (attempt {} of {}): {}", instance.name, run.attempt + 1,
                                      instance.retries + 1, why));
            ++run.attempt;
            run.step = 0;
            if (prepare_folders(index)) {
                advance(index);
            }
            return;
        }
        run.failure = std::move(why);
        finish_stage(index, StageStatus::failed);
    }

    void check_timeouts() {
        auto now = Clock::now();
        for (std::size_t i = 0; i < runs_.size(); ++i) {
            StageRun& run = runs_[i];
            if (run.active && run.deadline && *run.deadline <= now && !run.timed_out) {
                run.timed_out = true;
                runner_.terminate(i);
            }
        }
    }

    void refresh() {
        std::vector<RunningView> views;
        auto now = Clock::now();
        for (std::size_t i = 0; i < runs_.size(); ++i) {
            if (runs_[i].active) {
                views.push_back(RunningView{plan_.stages[i].name, duration_cast<milliseconds>(now - runs_[i].started),
                                            runner_.last_line(i)});
            }
        }
        std::size_t total = 0;
        for (std::size_t i = 0; i < plan_.stages.size(); ++i) {
            total += schedule_.status(i) == StageStatus::not_run || !plan_.stages[i].runs ? 0 : 1;
        }
        status_.refresh(views, finished_count_, total);
    }

    void finish_stage(std::size_t index, StageStatus result) {
        const StageInstance& instance = plan_.stages[index];
        StageRun& run = runs_[index];
        run.active = false;
        run.duration = duration_cast<milliseconds>(Clock::now() - run.started);
        if (result == StageStatus::success || result == StageStatus::failed) {
            if (std::string changed = changed_inputs(index); !changed.empty()) {
                result = StageStatus::failed;
                run.failure = run.failure.empty() ? changed : run.failure + "; " + changed;
            }
        }
        if (result == StageStatus::success) {
            try {
                for (const auto& [name, path] : instance.artifacts) {
                    fs::path where = store_.root() / path;
                    if (fs::exists(where)) {
                        run.artifact_hashes[name] = store_.keep_artifact(where);
                    }
                }
                if (!run.cache_key.empty() && !run.rehearsed()) {
                    store_.remember(instance.name, Store::CacheRecord{run.cache_key, run.artifact_hashes});
                }
            } catch (const OutsideStore& error) {
                result = StageStatus::failed;
                run.failure = error.what();
                run.artifact_hashes.clear();
            }
        }
        bool allowed = result == StageStatus::failed && instance.allow_failure;
        if (allowed) {
            keep_made_artifacts(index);
        } else if (result == StageStatus::failed || result == StageStatus::interrupted) {
            // A stage that did not succeed leaves no artifact behind.
            try {
                stdlib::remove_tree(out_dir(instance));
            } catch (const OutsideStore&) {
                // Its folder would not be in .chain/: there is nothing of it to remove.
            }
        }
        ++finished_count_;
        record_stale_ = true;
        schedule_.finished(index, result);
        switch (result) {
        case StageStatus::success:
            show(fmt::format("ok      {}  {}{}", instance.name, seconds_text(run.duration),
                                      summaries(run.records)));
            break;
        case StageStatus::up_to_date:
            if (options_.verbose) {
                show(fmt::format("cached  {}  (up to date)", instance.name));
            }
            break;
        case StageStatus::interrupted:
            show(fmt::format("interrupted {}  {}", instance.name, seconds_text(run.duration)));
            break;
        default:
            show(fmt::format("{}  {}  {}: {}{}", allowed ? "failed (allowed)" : "FAILED", instance.name,
                                      seconds_text(run.duration), run.failure, failure_details(instance, run.records)));
        }
    }

    /// What a stage that failed, allowed to, made of its artifacts is kept for the stages that need it (a
    /// report of the failed tests): each that holds something. An empty folder is one it did not make.
    void keep_made_artifacts(std::size_t index) {
        const StageInstance& instance = plan_.stages[index];
        StageRun& run = runs_[index];
        try {
            for (const auto& [name, path] : instance.artifacts) {
                fs::path where = store_.root() / path;
                std::error_code unreadable;
                bool made = fs::is_directory(where, unreadable) ? !fs::is_empty(where, unreadable)
                                                                : fs::exists(where, unreadable);
                if (made && !unreadable) {
                    run.artifact_hashes[name] = store_.keep_artifact(where);
                }
            }
        } catch (const OutsideStore& error) {
            run.failure += "; " + std::string(error.what());
            run.artifact_hashes.clear();
        }
    }

    /// Under a failure line: what the steps before the failed one reported (their tests passed before a
    /// lint failed), then the failed step's last log lines, so that the reason is read without opening it.
    std::string failure_details(const StageInstance& instance, const std::vector<StepRecord>& records) const {
        std::string details;
        bool by_a_step = !records.empty() && records.back().exit_code != 0;
        for (std::size_t i = attempt_start(records); i < records.size() - (by_a_step ? 1 : 0); ++i) {
            const StepRecord& record = records[i];
            if (!record.summary.empty()) {
                details += fmt::format("\n        step {} ({}): {}", record.step + 1, instance.steps[record.step].builtin,
                                       record.summary);
            }
        }
        // With --verbose every line was shown as it came.
        if (!by_a_step || records.back().log.empty() || options_.verbose) {
            return details;
        }
        std::vector<std::string> lines = log_tail(store_.root() / records.back().log, options_.failure_log_lines);
        if (!lines.empty()) {
            details += lines.size() == 1 ? std::string("\n        the last line of its log:")
                                         : fmt::format("\n        the last {} lines of its log:", lines.size());
            for (const std::string& line : lines) {
                details += "\n          " + line;
            }
        }
        return details;
    }

    /// Where the records of the last attempt begin: after the failed step that ended the attempt before.
    static std::size_t attempt_start(const std::vector<StepRecord>& records) {
        std::size_t last = records.size();
        if (last > 0 && records[last - 1].exit_code != 0) {
            --last; // the step that ended this attempt
        }
        while (last > 0 && records[last - 1].exit_code == 0) {
            --last;
        }
        return last;
    }

    /// What the stage changed of the artifacts it was given, which are read-only to it ("" when nothing): a
    /// changed object is removed, so that the stage that made it runs again next time.
    std::string changed_inputs(std::size_t index) {
        std::string changed;
        for (std::size_t need : needs_[index]) {
            for (const auto& [name, hash] : runs_[need].artifact_hashes) {
                if (!store_.intact(hash)) {
                    changed += fmt::format("{}changed the artifact {}.{} in place (.chain/artifacts/{}); the artifacts "
                                           "a stage uses are read-only: copy one (cp -r) and change the copy",
                                           changed.empty() ? "" : "; ", plan_.stages[need].name, name, hash);
                    store_.discard(hash);
                }
            }
        }
        return changed;
    }

    /// `  (12 tests, all passed; no findings; coverage 91%)` of the last attempt, or "" when no step wrote a report.
    static std::string summaries(const std::vector<StepRecord>& records) {
        std::string joined;
        for (std::size_t i = attempt_start(records); i < records.size(); ++i) {
            const StepRecord& record = records[i];
            if (!record.summary.empty()) {
                joined += (joined.empty() ? "" : "; ") + record.summary;
            }
        }
        return joined.empty() ? "" : "  (" + joined + ")";
    }

    // ---- cache -------------------------------------------------------------------------------------------
    /// Everything a cached stage's result depends on: its input files, its steps, and the artifacts of
    /// the stages it needs.
    std::string cache_key(std::size_t index) {
        const StageInstance& instance = plan_.stages[index];
        Sha256 hash;
        auto field = [&](std::string_view text) {
            hash.update(text);
            hash.update(std::string_view("\0", 1));
        };
        field(instance.name);
        for (const stdlib::Step& step : instance.steps) {
            for (const std::string& word : step.argv) {
                field(word);
            }
            field(step.action);
            for (const auto& [name, value] : step.env) {
                field(name + "=" + value);
            }
            field(step.root);
            field(step.workdir);
            field(step.creates);
            for (const std::string& read : step.reads) {
                // A path that leaves the repository is refused when the step runs: nothing of it is read here.
                std::optional<Store::HashedInput> input = stdlib::leaves_repository(store_.root(), read).empty()
                                                              ? store_.input_hash((store_.root() / read).native())
                                                              : std::nullopt;
                field(read + "=" + (input ? input->hash : "none"));
            }
        }
        for (const std::string& file : store_.input_files(instance.inputs)) {
            if (std::optional<Store::HashedInput> input = store_.input_hash(file)) {
                field(input->name);
                field(input->hash);
            }
        }
        for (std::size_t need : needs_[index]) {
            for (const auto& [name, artifact] : upstream_artifacts(need)) {
                field(plan_.stages[need].name + "." + name + "=" + artifact);
            }
        }
        return hash.hex();
    }

    /// The artifacts of a stage this one needs, by name: as this run made or restored them; or, under
    /// --no-deps, where a CI engine ran that stage in a job of its own and brought its artifacts into
    /// .chain/out/, as they are on disk, so that a changed upstream artifact never meets a cached record.
    std::map<std::string, std::string> upstream_artifacts(std::size_t need) const {
        if (!options_.no_deps || selected_.empty() || selected_[need]) {
            return runs_[need].artifact_hashes;
        }
        std::map<std::string, std::string> hashes;
        for (const auto& [name, path] : plan_.stages[need].artifacts) {
            fs::path where = store_.root() / path;
            std::error_code error;
            hashes[name] = fs::exists(where, error) ? Store::content_hash(where) : "missing";
        }
        return hashes;
    }

    bool up_to_date(std::size_t index) {
        const StageInstance& instance = plan_.stages[index];
        const Store::CacheRecord* record = store_.cached(instance.name);
        if (!record || record->key != runs_[index].cache_key) {
            return false;
        }
        for (const auto& [name, hash] : record->artifacts) {
            auto path = instance.artifacts.find(name);
            if (path == instance.artifacts.end() || !store_.restore_artifact(store_.root() / path->second, hash)) {
                return false;
            }
        }
        runs_[index].artifact_hashes = record->artifacts;
        return true;
    }

    // ---- the record --------------------------------------------------------------------------------------
    /// While the run goes, run.json says where each stage is, for a page that shows the run (`chain serve`):
    /// rewritten after a change, at most once a second, so that a run that ends within a second writes its
    /// record only at its start and its end.
    void keep_record_current() {
        auto now = Clock::now();
        if (!record_stale_ || now - record_written_ < std::chrono::seconds(1)) {
            return;
        }
        std::vector<StageStatus> statuses;
        for (std::size_t i = 0; i < plan_.stages.size(); ++i) {
            statuses.push_back(schedule_.status(i));
        }
        write_record("running", statuses);
        record_stale_ = false;
        record_written_ = now;
    }

    fs::path write_record(const std::string& overall, const std::vector<StageStatus>& statuses) {
        return record_.write(overall, statuses, runs_, schedule_, duration_cast<milliseconds>(Clock::now() - started_),
                             error_);
    }

    RunResult finish(bool interrupted) {
        if (error_.empty()) {
            store_.save_cache();
        }
        RunResult result;
        bool failed = false;
        for (std::size_t i = 0; i < plan_.stages.size(); ++i) {
            StageStatus status = schedule_.status(i);
            if (status == StageStatus::waiting || status == StageStatus::running) {
                status = StageStatus::not_run;
            }
            failed = failed || (status == StageStatus::failed && !plan_.stages[i].allow_failure);
            result.statuses.push_back(status);
        }
        std::string overall = interrupted ? "interrupted" : failed || !error_.empty() ? "failed" : "success";
        fs::path record_path = write_record(overall, result.statuses);
        result.record_path = record_path.lexically_relative(store_.root()).string();
        report(result.statuses, overall, result.record_path);
        finish_cleaning();
        for (const std::string& warning : cleaning_warnings_) {
            status_.event(warning);
        }
        result.exit_code = interrupted ? 130 : failed ? 1 : 0;
        return result;
    }

    /// The end of the output: a table of the stage instances the run was asked to consider, without those
    /// up to date (counted below it; `--verbose` lists them too), and where the record is. A run that had
    /// nothing to do says so in one line, without its heading.
    void report(const std::vector<StageStatus>& statuses, const std::string& overall, const std::string& record_path) {
        std::vector<std::array<std::string, 3>> rows; // name, status, duration
        std::size_t up_to_date = 0;
        std::size_t skipped = 0;
        bool worked = false;
        for (std::size_t i = 0; i < plan_.stages.size(); ++i) {
            if (!selected_.empty() && !selected_[i]) {
                continue;
            }
            StageStatus status = statuses[i];
            up_to_date += status == StageStatus::up_to_date;
            skipped += status == StageStatus::skipped || status == StageStatus::not_run;
            worked = worked || status == StageStatus::success || status == StageStatus::failed ||
                     status == StageStatus::interrupted;
            if (status == StageStatus::up_to_date && !options_.verbose) {
                continue;
            }
            bool allowed = status == StageStatus::failed && plan_.stages[i].allow_failure;
            const StageRun& run = runs_[i];
            bool rehearsal = status == StageStatus::success && run.rehearsed();
            rows.push_back({plan_.stages[i].name,
                            allowed     ? "failed (allowed)"
                            : rehearsal ? "rehearsed"
                                        : status_name(status),
                            run.duration.count() ? seconds_text(run.duration) : ""});
        }
        if (!worked && up_to_date > 0 && overall == "success" && !options_.verbose) {
            status_.event(fmt::format("{} up to date, {}nothing to run (run record: {})", count_of_stages(up_to_date),
                                      skipped ? fmt::format("{} not run, ", skipped) : "", record_path));
            return;
        }
        std::size_t status_width = 11; // the longest status but `failed (allowed)`, so tables without one keep their look
        for (const auto& row : rows) {
            status_width = std::max(status_width, row[1].size());
        }
        std::string table;
        for (const auto& [name, status, duration] : rows) {
            fmt::format_to(std::back_inserter(table), "  {:<32} {:<{}} {:>7}\n", name, status, status_width, duration);
        }
        if (up_to_date > 0 && !options_.verbose) {
            fmt::format_to(std::back_inserter(table), "  + {} up to date\n", count_of_stages(up_to_date));
        }
        show(fmt::format("\n{} {}\n{}run record: {}", overall == "success" ? "run succeeded:" : "run " + overall + ":",
                         seconds_text(duration_cast<milliseconds>(Clock::now() - started_)), table, record_path));
    }

    static std::string count_of_stages(std::size_t count) {
        return fmt::format("{} stage{}", count, count == 1 ? "" : "s");
    }
};

} // namespace

RunResult execute(const Plan& plan, const RunOptions& options, Store& store, CommandRunner& runner, Status& status) {
    return Executor(plan, options, store, runner, status).run();
}

} // namespace chain
