#pragma once
// What the commands that read a pipeline share: its options (-p for check, export and repl too), loading
// and checking the file, and finding the ref to plan for.

#include "interpreter/checker.hpp"
#include "interpreter/plan.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

namespace chain::cli {

/// The options that name a pipeline and its ref: FILE, --branch/--tag, -p.
struct PipelineInput {
    std::string file = "pipeline.chain";
    std::string branch;
    std::string tag;
    std::vector<std::string> params;
};

/// Adds -p NAME=VALUE (repeatable) to a command.
void add_param_option(CLI::App& command, std::vector<std::string>& params);

/// Adds FILE, --branch, --tag and -p to a command.
void add_pipeline_options(CLI::App& command, PipelineInput& input);

/// Moves a large tree where it is never freed. The process ends right after the command, and freeing a
/// pipeline of thousands of stages piece by piece takes longer than the kernel takes to drop the memory
/// (as clang leaves its AST to the exit).
template <typename T> T& kept_until_exit(T&& value) { return *new T(std::forward<T>(value)); }

/// Puts the heap that the pipelines in `files` are about to fill on huge pages, where the kernel gives
/// them on request. A pipeline of thousands of stages is a hundred MB of small nodes: on 4 KB pages,
/// faulting them in took half of `chain check`'s time. Call before loading; the memory is never given
/// back, which only the commands that end after one pipeline can afford.
void heap_on_huge_pages(const std::vector<std::string>& files);

/// The ref to plan for (--branch/--tag, else the repository's HEAD) and the repository's facts; empty,
/// with `exit_code` set and the reason printed, when there is no ref.
std::optional<PlanOptions> plan_options(const PipelineInput& input, int& exit_code);

/// Loads and checks the pipeline, printing the diagnostics; null, with `exit_code` set, when it has
/// errors or a param has no value. The result lives until the process ends.
const CheckResult* checked_pipeline(const PipelineInput& input, int& exit_code);

/// Loads, checks and plans the pipeline for its ref (from --branch/--tag or the repository around the
/// file), printing the diagnostics. Empty, with `exit_code` set, when there is nothing to plan. Each stage's
/// condition is explained step by step only with `explain`; `finished` is PlanOptions::finished.
std::optional<Plan> plan_pipeline(const PipelineInput& input, const std::vector<std::string>& approved,
                                  int& exit_code, bool explain = false,
                                  std::function<void(const Plan&, StageInstance&)> finished = {});

/// Whether every name given with `option` (--stage, --approve) is a stage of the plan (or, with `instances`,
/// a stage instance such as `test[python=3.11]`); else prints the first unknown one with a did-you-mean.
bool known_stages(const Plan& plan, const std::vector<std::string>& names, std::string_view option, bool instances);

/// Prints as errors the plan's secrets that cannot be used (the too short ones only, unless `missing_too`):
/// true when there was one, and the command must stop with exit_usage.
bool refused_secrets(const Plan& plan, bool missing_too, std::string_view nothing_done);

} // namespace chain::cli
