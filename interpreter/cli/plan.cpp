#include "commands.hpp"
#include "pipeline_input.hpp"

#include "interpreter/plan_render.hpp"

#include <fmt/format.h>

#include <memory>

namespace chain::cli {

namespace {

struct PlanCommand {
    PipelineInput input;
    bool explain = false;
    std::string format = "text";
    std::vector<std::string> approved;
};

int run_plan(const PlanCommand& command) {
    int exit_code = exit_ok;
    std::optional<Plan> planned = plan_pipeline(command.input, command.approved, exit_code);
    if (!planned) {
        return exit_code;
    }
    const Plan& plan = *planned;
    // A missing secret is shown in the plan; a too short one cannot be masked in it.
    if (refused_secrets(plan, false, "nothing was planned")) {
        return exit_usage;
    }
    if (command.format == "json") {
        fmt::print("{}", render_plan_json(plan));
    } else if (command.format == "dot") {
        fmt::print("{}", render_plan_dot(plan));
    } else if (command.format == "mermaid") {
        fmt::print("{}", render_plan_mermaid(plan));
    } else {
        fmt::print("{}", render_plan_text(plan, command.explain));
    }
    return exit_ok;
}

} // namespace

std::function<int()> setup_plan(CLI::App& app) {
    auto command = std::make_shared<PlanCommand>();
    CLI::App* plan = app.add_subcommand("plan", "Show what would run on a branch or tag, step by step, without running it");
    add_pipeline_options(*plan, command->input);
    plan->add_flag("--explain", command->explain, "Show how each stage's condition evaluates on the ref");
    plan->add_option("--format", command->format, "How to print the plan")
        ->check(CLI::IsMember({"text", "json", "dot", "mermaid"}))
        ->default_str("text");
    plan->add_option("--approve", command->approved, "Plan this manual stage as approved")->allow_extra_args(false);
    return [plan, command]() { return plan->parsed() ? run_plan(*command) : -1; };
}

} // namespace chain::cli
