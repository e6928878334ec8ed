#include "commands.hpp"
#include "pipeline_input.hpp"
#include "run_lock.hpp"

#include "interpreter/executor.hpp"
#include "interpreter/run_record.hpp"
#include "interpreter/side_thread.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>
#include <unistd.h>

namespace chain::cli {

namespace {

namespace fs = std::filesystem;

struct RunCommand {
    PipelineInput input;
    std::size_t jobs = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::string> stages;
    std::vector<std::string> approved;
    bool keep_going = false;
    bool no_cache = false;
    bool rehearse = false;
    bool no_deps = false;
    bool verbose = false;
    bool no_wait = false;
    std::size_t log_lines = 20;
    std::string record_copy;
    std::size_t keep_runs = 50;
};

/// Before the pipeline is planned, the run takes the folder's run lock when no run holds it and reads the
/// file stamps the last run left in `.chain/cache/files`, and a thread looks at each file they name
/// (Store::look_at): on a second core the file system answers while the pipeline is parsed, checked and
/// planned, and a no-op run finds its inputs looked at. The stamps are read by the main thread, whose heap
/// is on a huge page already: a new thread's first allocations fault its own pages one at a time. It looks
/// only under the lock, so that no other run's steps change those files, or the stamps, between its look
/// and this run's use of it. Where no run has been (no `.chain/lock`) it does nothing: a first run, or a
/// pipeline that does not plan, makes no `.chain/` sooner than before. What it cannot read it leaves to the
/// run, which reports the failure as it always did.
class ReadAhead {
  public:
    ReadAhead(const fs::path& folder, bool wanted) {
        if (!wanted) {
            return;
        }
        try {
            std::error_code missing;
            if (!fs::is_regular_file(folder / ".chain" / "lock", missing)) {
                return;
            }
            lock_.emplace(folder / ".chain");
            taken_ = lock_->try_take();
            if (taken_) {
                files_ = Store::file_stamps(folder);
            }
        } catch (const std::exception&) {
            files_.reset(); // the run reads them, or takes the lock, itself, and reports a failure then
        }
        if (files_) {
            worker_ = SideThread("chain-readahead", [this, folder] { Store::look_at(*files_, folder); });
        }
    }
    ReadAhead(const ReadAhead&) = delete;
    ReadAhead& operator=(const ReadAhead&) = delete;
    ~ReadAhead() { wait(); }

    /// The lock taken, or null (then the run takes the lock itself).
    RunLock* lock() { return taken_ ? &*lock_ : nullptr; }
    /// The stamps, each file looked at; nothing when they were not read.
    std::optional<Store::KnownFiles> seen() {
        wait();
        return std::move(files_);
    }

  private:
    void wait() {
        if (worker_.joinable()) {
            worker_.join();
        }
    }

    std::optional<RunLock> lock_;
    bool taken_ = false;
    std::optional<Store::KnownFiles> files_;
    SideThread worker_; // last: started once the members it writes exist
};

int run_run(const RunCommand& command) {
    int exit_code = exit_ok;
    std::filesystem::path folder = std::filesystem::absolute(command.input.file).parent_path();
    heap_on_huge_pages({command.input.file}); // before a thread allocates: it moves the heap's top
    ReadAhead ahead(folder, !command.no_cache);
    std::optional<Plan> planned = plan_pipeline(command.input, command.approved, exit_code);
    if (!planned) {
        return exit_code;
    }
    const Plan& plan = kept_until_exit(std::move(*planned));
    if (!known_stages(plan, command.stages, "--stage", true)) {
        return exit_usage;
    }
    // A manual stage named with --stage must be approved too: run without it, it would be skipped and the
    // run reported green.
    for (const std::string& wanted : command.stages) {
        for (const StageInstance& instance : plan.stages) {
            bool approved = std::find(command.approved.begin(), command.approved.end(), instance.stage) !=
                            command.approved.end();
            if ((instance.stage == wanted || instance.name == wanted) && instance.manual && !approved &&
                instance.reason.rfind("manual:", 0) == 0) {
                fmt::print(stderr, "chain: error: stage '{}' is manual: approve it with --approve {}\n",
                           instance.stage, instance.stage);
                return exit_failed;
            }
        }
    }
    if (refused_secrets(plan, true, "nothing was run")) {
        return exit_usage;
    }
    Store& store = kept_until_exit(Store(folder));
    if (command.no_deps && command.stages.empty()) {
        fmt::print(stderr, "chain: error: --no-deps runs only the stages named with --stage; name at least one\n");
        return exit_usage;
    }
    std::error_code unknown;
    if (fs::exists(store.chain_dir(), unknown) && !fs::is_directory(store.chain_dir(), unknown)) {
        fmt::print(stderr,
                   "chain: error: {} is not a folder: chain keeps its runs, cache and artifacts there; move it "
                   "away or remove it\n",
                   store.chain_dir().string());
        return exit_usage;
    }
    std::optional<RunLock> own_lock;
    RunLock* held = ahead.lock();
    if (!held) {
        own_lock.emplace(store.chain_dir());
        if (!take_run_lock(*own_lock, command.no_wait)) {
            return exit_usage;
        }
        held = &*own_lock;
    }
    RunLock& lock = *held;
    if (!own_lock) {
        store.read_stage_records(); // while the thread looks at the files
    }
    if (std::optional<Store::KnownFiles> seen = ahead.seen()) {
        store.use(std::move(*seen));
    }
    if (std::optional<RunLock::Holder> previous = lock.named()) {
        fmt::print("the previous run {} (pid {}) was interrupted\n", previous->run_id, previous->pid);
        record_interrupted_run(store.chain_dir(), previous->run_id);
    }
    std::string run_id = new_run_id();
    lock.claim(run_id);
    RunOptions run_options;
    run_options.jobs = command.jobs;
    run_options.stages = command.stages;
    run_options.no_deps = command.no_deps;
    run_options.keep_going = command.keep_going;
    run_options.use_cache = !command.no_cache;
    run_options.rehearse = command.rehearse;
    run_options.verbose = command.verbose;
    run_options.record_copy = command.record_copy;
    run_options.failure_log_lines = command.log_lines;
    run_options.run_id = run_id;
    // Verbose output streams the steps' lines, which a live area would fight with.
    std::unique_ptr<Status> status = isatty(STDOUT_FILENO) && !command.verbose ? make_terminal_status(stdout)
                                                                               : make_plain_status(stdout);
    run_options.heading = fmt::format("run {} on {} {}, version {}", plan.pipeline.empty() ? "(unnamed)" : plan.pipeline,
                                      plan.ref.is_tag ? "tag" : "branch", plan.ref.name, plan.version);
    if (command.rehearse) {
        run_options.heading += ": a rehearsal, effects are shown and not carried out";
    }
    run_options.keep_runs = command.keep_runs;
    try {
        store.inside(store.chain_dir() / "runs");
    } catch (const OutsideStore& error) {
        fmt::print(stderr, "chain: error: {}\n", error.what());
        return exit_usage;
    }
    std::unique_ptr<CommandRunner> runner = make_process_runner();
    RunResult result = execute(plan, run_options, store, *runner, *status);
    if (!result.error.empty()) {
        fmt::print(stderr, "chain: error: {}\n", result.error);
    }
    return result.exit_code;
}

} // namespace

std::function<int()> setup_run(CLI::App& app) {
    auto command = std::make_shared<RunCommand>();
    CLI::App* run = app.add_subcommand("run", "Run the pipeline: stages in parallel as a DAG, each step a real process");
    add_pipeline_options(*run, command->input);
    run->add_option("-j,--jobs", command->jobs, "How many stages may run at once (default: the number of cores)")
        ->check(CLI::Range(1, 1024));
    run->add_option("--stage", command->stages, "Run this stage and what it needs (repeatable)")->allow_extra_args(false);
    run->add_option("--approve", command->approved, "Run this manual stage (repeatable)")->allow_extra_args(false);
    run->add_flag("--keep-going", command->keep_going, "After a failure, go on with the stages that do not need it");
    run->add_flag("--no-cache", command->no_cache, "Run stages with inputs even when nothing changed");
    run->add_flag("--rehearse", command->rehearse,
                  "Run every step but the effects (publish, deploy, trigger, sh(effect: true)), which are shown and "
                  "recorded as what they would do; no stage with an effect is cached");
    run->add_flag("--no-deps", command->no_deps,
                  "Run only the stages named with --stage, not what they need: their artifacts are already in "
                  ".chain/ (a CI engine restored them)");
    run->add_flag("--verbose", command->verbose, "Stream every step's output, each line after its stage's name");
    run->add_flag("--no-wait", command->no_wait,
                  "When another run holds this folder, fail at once (exit 2) instead of waiting for it");
    run->add_option("--log-lines", command->log_lines,
                    "How many last lines of a failed step's log to show after its failure (0: none)")
        ->default_str("20");
    run->add_option("--keep-runs", command->keep_runs,
                    "How many run records and their logs to keep in .chain/runs/, this run's included (0: all)")
        ->default_str("50");
    run->add_option("--record-copy", command->record_copy,
                    "Also write the run record to this file (a triggering pipeline reads it)");
    return [run, command]() { return run->parsed() ? run_run(*command) : -1; };
}

} // namespace chain::cli
