#pragma once
// What plan and run share: loading and checking the pipeline file, and finding the ref to plan for.

#include "interpreter/checker.hpp"
#include "interpreter/plan.hpp"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace chain::cli {

/// The options that name a pipeline and its ref: FILE, --branch/--tag, -p.
struct PipelineInput {
    std::string file = "pipeline.chain";
    std::string branch;
    std::string tag;
    std::vector<std::string> params;
};

/// Adds FILE, --branch, --tag and -p to a command.
void add_pipeline_options(CLI::App& command, PipelineInput& input);

/// Loads and checks the pipeline; prints its diagnostics. Empty, with `exit_code` set, when it has errors.
std::optional<CheckResult> load_checked(const PipelineInput& input, int& exit_code);

/// The ref from --branch/--tag or from the repository around the file, and the repository's facts.
std::optional<PlanOptions> plan_options(const PipelineInput& input, int& exit_code);

} // namespace chain::cli
