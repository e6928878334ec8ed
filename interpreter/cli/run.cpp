#include "commands.hpp"
#include "pipeline_input.hpp"

#include "interpreter/executor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace chain::cli {

namespace {

namespace fs = std::filesystem;

/// One run at a time in a pipeline folder: `.chain/lock`, held with flock for as long as the run goes,
/// names the run that holds it. The kernel releases the lock however the run ends, SIGKILL included; the
/// name is cleared only by a run that finished, so a name found by the next holder is a run that did not.
class RunLock {
  public:
    struct Holder {
        std::string run_id;
        long pid = 0;
    };

    explicit RunLock(const fs::path& chain_dir) : path_(chain_dir / "lock") {
        fs::create_directories(chain_dir);
        // Close-on-exec: a step's leftover process must not hold the lock of a run that has ended.
        fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) {
            throw fs::filesystem_error("cannot open the run lock", path_, std::error_code(errno, std::generic_category()));
        }
    }
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

    ~RunLock() {
        if (taken_) {
            // Should this fail, the next run calls this one interrupted: a wrong note, but no harm.
            [[maybe_unused]] int cleared = ::ftruncate(fd_, 0);
        }
        ::close(fd_);
    }

    /// Takes the lock, or says no at once when another run holds it.
    bool try_take() { return taken_ = ::flock(fd_, LOCK_EX | LOCK_NB) == 0; }

    void take() {
        while (::flock(fd_, LOCK_EX) != 0) {
            if (errno != EINTR) {
                throw fs::filesystem_error("cannot lock", path_, std::error_code(errno, std::generic_category()));
            }
        }
        taken_ = true;
    }

    /// The run named in the lock: the one holding it, or, once taken, one that ended without finishing.
    std::optional<Holder> named() const {
        char text[128] = {};
        ssize_t length = ::pread(fd_, text, sizeof text - 1, 0);
        Holder holder;
        char id[64] = {};
        if (length <= 0 || std::sscanf(text, "%63s %ld", id, &holder.pid) != 2) {
            return std::nullopt;
        }
        holder.run_id = id;
        return holder;
    }

    void claim(const std::string& run_id) {
        std::string text = fmt::format("{} {}\n", run_id, getpid());
        if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
            throw fs::filesystem_error("cannot write", path_, std::error_code(errno, std::generic_category()));
        }
    }

  private:
    fs::path path_;
    int fd_ = -1;
    bool taken_ = false;
};

std::string holder_text(const std::optional<RunLock::Holder>& holder) {
    return holder ? fmt::format("the run {} (pid {})", holder->run_id, holder->pid) : "another run";
}

struct RunCommand {
    PipelineInput input;
    std::size_t jobs = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::string> stages;
    std::vector<std::string> approved;
    bool keep_going = false;
    bool no_cache = false;
    bool no_deps = false;
    bool verbose = false;
    bool no_wait = false;
    std::size_t log_lines = 20;
    std::string record_copy;
};

int run_run(const RunCommand& command) {
    int exit_code = exit_ok;
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
    std::filesystem::path folder = std::filesystem::absolute(command.input.file).parent_path();
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
    RunLock lock(store.chain_dir());
    if (!lock.try_take()) {
        if (command.no_wait) {
            fmt::print(stderr, "chain: error: {} is running in this folder (--no-wait)\n", holder_text(lock.named()));
            return exit_usage;
        }
        fmt::print("waiting for {} in this folder\n", holder_text(lock.named()));
        std::fflush(stdout);
        lock.take();
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
    run_options.verbose = command.verbose;
    run_options.record_copy = command.record_copy;
    run_options.failure_log_lines = command.log_lines;
    run_options.run_id = run_id;
    // Verbose output streams the steps' lines, which a live area would fight with.
    std::unique_ptr<Status> status = isatty(STDOUT_FILENO) && !command.verbose ? make_terminal_status(stdout)
                                                                               : make_plain_status(stdout);
    fmt::print("run {} on {} {}, version {}\n", plan.pipeline.empty() ? "(unnamed)" : plan.pipeline,
               plan.ref.is_tag ? "tag" : "branch", plan.ref.name, plan.version);
    std::fflush(stdout);
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
    run->add_flag("--no-deps", command->no_deps,
                  "Run only the stages named with --stage, not what they need: their artifacts are already in "
                  ".chain/ (a CI engine restored them)");
    run->add_flag("--verbose", command->verbose, "Stream every step's output, each line after its stage's name");
    run->add_flag("--no-wait", command->no_wait,
                  "When another run holds this folder, fail at once (exit 2) instead of waiting for it");
    run->add_option("--log-lines", command->log_lines,
                    "How many last lines of a failed step's log to show after its failure (0: none)")
        ->default_str("20");
    run->add_option("--record-copy", command->record_copy,
                    "Also write the run record to this file (a triggering pipeline reads it)");
    return [run, command]() { return run->parsed() ? run_run(*command) : -1; };
}

} // namespace chain::cli
