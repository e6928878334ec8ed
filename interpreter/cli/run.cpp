#include "commands.hpp"
#include "pipeline_input.hpp"

#include "interpreter/executor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <thread>
#include <unistd.h>

namespace chain::cli {

namespace {

struct RunCommand {
    PipelineInput input;
    std::size_t jobs = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::string> stages;
    std::vector<std::string> approved;
    bool keep_going = false;
    bool no_cache = false;
    bool no_deps = false;
    bool verbose = false;
    std::string record_copy;
};

int run_run(const RunCommand& command) {
    int exit_code = exit_ok;
    std::optional<Plan> planned = plan_pipeline(command.input, command.approved, exit_code);
    if (!planned) {
        return exit_code;
    }
    const Plan& plan = kept_until_exit(std::move(*planned));
    if (refused_secrets(plan, true, "nothing was run")) {
        return exit_usage;
    }
    for (const std::string& wanted : command.stages) {
        bool known = std::any_of(plan.stages.begin(), plan.stages.end(), [&](const StageInstance& instance) {
            return instance.stage == wanted || instance.name == wanted;
        });
        if (!known) {
            fmt::print(stderr, "chain: error: --stage {}: the pipeline has no such stage\n", wanted);
            return exit_usage;
        }
    }
    std::filesystem::path folder = std::filesystem::absolute(command.input.file).parent_path();
    Store& store = kept_until_exit(Store(folder));
    if (command.no_deps && command.stages.empty()) {
        fmt::print(stderr, "chain: error: --no-deps runs only the stages named with --stage; name at least one\n");
        return exit_usage;
    }
    RunOptions run_options;
    run_options.jobs = command.jobs;
    run_options.stages = command.stages;
    run_options.no_deps = command.no_deps;
    run_options.keep_going = command.keep_going;
    run_options.use_cache = !command.no_cache;
    run_options.verbose = command.verbose;
    run_options.record_copy = command.record_copy;
    // Verbose output streams the steps' lines, which a live area would fight with.
    std::unique_ptr<Status> status = isatty(STDOUT_FILENO) && !command.verbose ? make_terminal_status(stdout)
                                                                               : make_plain_status(stdout);
    fmt::print("run {} on {} {}, version {}\n", plan.pipeline.empty() ? "(unnamed)" : plan.pipeline,
               plan.ref.is_tag ? "tag" : "branch", plan.ref.name, plan.version);
    std::fflush(stdout);
    std::unique_ptr<CommandRunner> runner = make_process_runner();
    RunResult result = execute(plan, run_options, store, *runner, *status);
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
    run->add_option("--record-copy", command->record_copy,
                    "Also write the run record to this file (a triggering pipeline reads it)");
    return [run, command]() { return run->parsed() ? run_run(*command) : -1; };
}

} // namespace chain::cli
