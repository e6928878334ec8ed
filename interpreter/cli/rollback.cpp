// `chain rollback STAGE [--to VERSION]` and `chain releases STAGE`: the deploy targets of a stage as its
// plan on the ref has them (hosts over ssh, or a local folder), pointed back at a release or listed.
#include "commands.hpp"
#include "pipeline_input.hpp"

#include "stdlib/actions.hpp"
#include "stdlib/builtin.hpp"
#include "stdlib/remote_deploy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>

namespace chain::cli {

namespace fs = std::filesystem;

namespace {

struct TargetCommand {
    PipelineInput input;
    std::string stage;
    std::string to;
};

/// The deploy targets of STAGE planned on the ref, with the current folder made the pipeline's (where
/// a local target's folder and the known hosts file are read from); empty with `exit_code` set when
/// there is none.
std::vector<stdlib::DeployTarget> stage_targets(const TargetCommand& command, int& exit_code) {
    // A deploy stage is often manual: what it would deploy is what is asked about, approved or not.
    std::optional<Plan> planned = plan_pipeline(command.input, {command.stage}, exit_code);
    if (!planned || !known_stages(*planned, {command.stage}, "STAGE", true) ||
        refused_secrets(*planned, true, "nothing was done")) {
        exit_code = planned ? exit_usage : exit_code;
        return {};
    }
    std::vector<stdlib::DeployTarget> targets;
    bool runs = false;
    for (const StageInstance& instance : planned->stages) {
        if (instance.stage == command.stage || instance.name == command.stage) {
            runs = runs || instance.runs;
            for (stdlib::DeployTarget& target : stdlib::deploy_targets(instance.steps)) {
                targets.push_back(std::move(target));
            }
        }
    }
    if (targets.empty()) {
        fmt::print(stderr, "chain: error: stage '{}' {} on {} {}: no deploy target to act on\n", command.stage,
                   runs ? "deploys nothing" : "does not run", planned->ref.is_tag ? "tag" : "branch", planned->ref.name);
        exit_code = exit_usage;
        return {};
    }
    fs::current_path(fs::absolute(command.input.file).parent_path());
    return targets;
}

void print_progress(const std::string& machine, const std::string& what) {
    fmt::print("{}: {}\n", machine, what);
    std::fflush(stdout);
}

int run_rollback(const TargetCommand& command) {
    int exit_code = exit_ok;
    std::vector<stdlib::DeployTarget> targets = stage_targets(command, exit_code);
    if (targets.empty()) {
        return exit_code;
    }
    if (!command.to.empty()) {
        if (std::string problem = stdlib::release_name_problem(command.to); !problem.empty()) {
            fmt::print(stderr, "chain: error: --to {}\n", problem);
            return exit_usage;
        }
    }
    for (const stdlib::DeployTarget& target : targets) {
        stdlib::TargetMachines machines = stdlib::machines_of(target);
        stdlib::DeployOutcome outcome = stdlib::roll_back(target.release, machines.list, command.to, print_progress);
        if (!outcome.error.empty()) {
            fmt::print(stderr, "chain: error: rollback of {} failed: {}\n", target.release.dir, outcome.error);
            return stdlib::interrupted() ? exit_interrupted : exit_failed;
        }
    }
    return exit_ok;
}

int run_releases(const TargetCommand& command) {
    int exit_code = exit_ok;
    std::vector<stdlib::DeployTarget> targets = stage_targets(command, exit_code);
    if (targets.empty()) {
        return exit_code;
    }
    for (const stdlib::DeployTarget& target : targets) {
        stdlib::TargetMachines machines = stdlib::machines_of(target);
        std::string error;
        auto states = stdlib::list_releases(target.release, machines.list, error);
        for (const auto& [machine, state] : states) {
            fmt::print("{} {}\n", machine, target.release.dir);
            if (state.releases.empty()) {
                fmt::print("  (no releases)\n");
            }
            for (const std::string& release : state.releases) {
                std::string mark = release == state.current ? "  current" : release == state.previous ? "  previous" : "";
                fmt::print("  {}{}\n", release, mark);
            }
        }
        if (!error.empty()) {
            fmt::print(stderr, "chain: error: {}\n", error);
            return exit_failed;
        }
    }
    return exit_ok;
}

std::shared_ptr<TargetCommand> add_target_command(CLI::App& command) {
    auto args = std::make_shared<TargetCommand>();
    command.add_option("stage", args->stage, "The stage whose deploy target is meant")->required();
    add_pipeline_options(command, args->input);
    return args;
}

} // namespace

std::function<int()> setup_rollback(CLI::App& app) {
    CLI::App* command = app.add_subcommand(
        "rollback", "Point a stage's deploy target back at its previous release (or --to VERSION), host by host");
    std::shared_ptr<TargetCommand> args = add_target_command(*command);
    command->add_option("--to", args->to, "The release to point current at (default: the previous one)");
    return [command, args] { return command->parsed() ? run_rollback(*args) : -1; };
}

std::function<int()> setup_releases(CLI::App& app) {
    CLI::App* command = app.add_subcommand("releases", "List the releases of a stage's deploy target, per host");
    std::shared_ptr<TargetCommand> args = add_target_command(*command);
    return [command, args] { return command->parsed() ? run_releases(*args) : -1; };
}

} // namespace chain::cli
