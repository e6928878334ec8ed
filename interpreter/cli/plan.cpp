#include "commands.hpp"
#include "pipeline_input.hpp"

#include "interpreter/plan_diff.hpp"
#include "interpreter/plan_render.hpp"
#include "interpreter/ref_kinds.hpp"
#include "interpreter/revision_files.hpp"
#include "stdlib/builtin.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>

#include <filesystem>
#include <memory>

namespace chain::cli {

namespace {

struct PlanCommand {
    PipelineInput input;
    bool explain = false;
    std::string format = "text";
    std::vector<std::string> approved;
    std::string diff_revision;
    bool exit_code = false;
    bool all_refs = false;
    bool params = false;
};

/// The repository's facts for version(): the same for every ref planned.
GitFacts facts_around(const std::string& file) {
    std::filesystem::path folder = std::filesystem::path(file).parent_path();
    return read_repository(folder.empty() ? "." : folder.string()).facts;
}

bool format_allowed(const PlanCommand& command, std::string_view option, std::initializer_list<std::string_view> formats) {
    if (std::find(formats.begin(), formats.end(), command.format) != formats.end()) {
        return true;
    }
    fmt::print(stderr, "chain: error: {} prints no '{}' format; use {}\n", option, command.format,
               fmt::join(formats, " or "));
    return false;
}

int run_all_refs(const PlanCommand& command) {
    if (!format_allowed(command, "--all-refs", {"text", "json", "mermaid"})) {
        return exit_usage;
    }
    int exit_code = exit_ok;
    const CheckResult* checked = checked_pipeline(command.input, exit_code);
    if (!checked) {
        return exit_code;
    }
    PlanOptions options;
    options.git = facts_around(command.input.file);
    std::vector<KindPlan> plans = plan_every_kind(checked->program, ref_kinds({&checked->program}), options);
    if (command.format == "json") {
        fmt::print("{}", render_kinds_json(checked->program.pipeline_name, plans, options.git));
    } else if (command.format == "mermaid") {
        fmt::print("{}", render_kinds_mermaid(plans, options.git));
    } else {
        fmt::print("{}", render_kinds_text(checked->program.pipeline_name, plans, options.git));
    }
    return exit_ok;
}

/// The pipeline as it is at the revision, checked; null when the file is not there (`missing` set) or
/// when it cannot be compared with (`exit_code` set, the reason printed).
const CheckResult* checked_at_revision(const PlanCommand& command, bool& missing, int& exit_code) {
    const std::string& revision = command.diff_revision;
    RevisionFiles files(command.input.file, revision);
    if (!files.problem().empty()) {
        fmt::print(stderr, "chain: error: {}\n  give --diff a commit, branch or tag of the repository that holds {}\n",
                   files.problem(), command.input.file);
        exit_code = exit_usage;
        return nullptr;
    }
    LoadedSource main = files.read(command.input.file);
    if (!main.source) {
        if (main.error.starts_with("no such file")) {
            missing = true;
        } else {
            fmt::print(stderr, "chain: error: cannot read {} at {}: {}\n", command.input.file, revision, main.error);
            exit_code = exit_usage;
        }
        return nullptr;
    }
    LoadedProgram loaded = load_program(main.source, command.input.file,
                                        [&files](const std::string& path) { return files.read(path); });
    CheckResult checked = check(std::move(loaded), stdlib::standard_library(), CheckOptions{command.input.params});
    if (has_errors(checked.diagnostics)) {
        for (const Diagnostic& diagnostic : checked.diagnostics) {
            if (diagnostic.severity == Severity::error) {
                fmt::print(stderr, "{}", render_text(diagnostic));
            }
        }
        fmt::print(stderr, "chain: error: {} at {} has errors: there is no plan to compare with\n",
                   command.input.file, revision);
        exit_code = exit_usage;
        return nullptr;
    }
    return &kept_until_exit(std::move(checked));
}

int run_diff(const PlanCommand& command) {
    if (!format_allowed(command, "--diff", {"text", "json"})) {
        return exit_usage;
    }
    int exit_code = exit_ok;
    const CheckResult* now = checked_pipeline(command.input, exit_code);
    if (!now) {
        return exit_code;
    }
    bool missing = false;
    const CheckResult* before = checked_at_revision(command, missing, exit_code);
    if (!before && !missing) {
        return exit_code;
    }
    PlanOptions options;
    options.git = facts_around(command.input.file);
    PlanDiff diff = compare_programs(before ? &before->program : nullptr, now->program, options);
    const std::string& pipeline = now->program.pipeline_name;
    fmt::print("{}", command.format == "json" ? render_diff_json(diff, pipeline, command.diff_revision)
                                              : render_diff_text(diff, pipeline, command.diff_revision));
    return command.exit_code && diff.changed() ? exit_failed : exit_ok;
}

int run_params(const PlanCommand& command) {
    if (!format_allowed(command, "--params", {"text"})) {
        return exit_usage;
    }
    int exit_code = exit_ok;
    const CheckResult* checked = checked_pipeline(command.input, exit_code);
    std::optional<PlanOptions> options = checked ? plan_options(command.input, exit_code) : std::nullopt;
    if (!options) {
        return exit_code;
    }
    // The plan knows every secret's value, for masking them wherever a value shows one.
    Plan plan = make_plan(checked->program, *options);
    fmt::print("{}", render_value_sources(plan, value_sources(checked->program, *options)));
    return exit_ok;
}

/// The plan as text or JSON, each stage rendered as soon as it is planned and its steps dropped: the steps of
/// 10,000 stages are never held together.
int run_plan_streamed(const PlanCommand& command, PlanFormat format) {
    int exit_code = exit_ok;
    const CheckResult* checked = checked_pipeline(command.input, exit_code);
    std::optional<PlanOptions> options = checked ? plan_options(command.input, exit_code) : std::nullopt;
    if (!options) {
        return exit_code;
    }
    options->approved = command.approved;
    options->explain = command.explain && format == PlanFormat::text; // the JSON has no explanations
    PlanStream stream(format, command.explain);
    PlanOptions rendering = *options;
    rendering.finished = [&stream](const Plan& so_far, StageInstance& stage) { stream.add(so_far, stage); };
    // Kept until exit: freeing every instance one by one costs time for nothing.
    const Plan& plan = kept_until_exit(make_plan(checked->program, rendering));
    if (!known_stages(plan, command.approved, "--approve", false)) {
        return exit_usage;
    }
    // A missing secret is shown in the plan; a too short one cannot be masked in it.
    if (refused_secrets(plan, false, "nothing was planned")) {
        return exit_usage;
    }
    auto out = [](std::string_view part) { std::fwrite(part.data(), 1, part.size(), stdout); };
    if (!stream.write(plan, out)) {
        // A secret first met late could stand unmasked in a stage rendered before it: planned again whole.
        write_plan(kept_until_exit(make_plan(checked->program, *options)), format, command.explain, out);
    }
    return exit_ok;
}

int run_plan(const PlanCommand& command) {
    if (command.params) {
        return run_params(command);
    }
    if (!command.diff_revision.empty()) {
        return run_diff(command);
    }
    if (command.all_refs) {
        return run_all_refs(command);
    }
    if (command.format == "text" || command.format == "json") {
        return run_plan_streamed(command, command.format == "text" ? PlanFormat::text : PlanFormat::json);
    }
    int exit_code = exit_ok;
    // A graph reads only each instance's name, verdict and needs.
    std::optional<Plan> planned = plan_pipeline(command.input, command.approved, exit_code, false,
                                                [](const Plan&, StageInstance& stage) { keep_for_graph(stage); });
    if (!planned) {
        return exit_code;
    }
    // Kept until exit: freeing every step one by one costs about a tenth of the plan.
    const Plan& plan = kept_until_exit(std::move(*planned));
    // A missing secret is shown in the plan; a too short one cannot be masked in it.
    if (refused_secrets(plan, false, "nothing was planned")) {
        return exit_usage;
    }
    std::string out = command.format == "dot" ? render_plan_dot(plan) : render_plan_mermaid(plan);
    std::fwrite(out.data(), 1, out.size(), stdout);
    return exit_ok;
}

} // namespace

std::function<int()> setup_plan(CLI::App& app) {
    auto command = std::make_shared<PlanCommand>();
    CLI::App* plan = app.add_subcommand("plan", "Show what would run on a branch or tag, step by step, without running it");
    add_pipeline_options(*plan, command->input);
    auto* explain = plan->add_flag("--explain", command->explain, "Show how each stage's condition evaluates on the ref");
    plan->add_option("--format", command->format, "How to print the plan")
        ->check(CLI::IsMember({"text", "json", "dot", "mermaid"}))
        ->default_str("text");
    auto* approve =
        plan->add_option("--approve", command->approved, "Plan this manual stage as approved")->allow_extra_args(false);
    auto* diff = plan->add_option("--diff", command->diff_revision,
                                  "Compare what runs on every kind of ref with the pipeline at this git revision")
                     ->type_name("REV");
    plan->add_flag("--exit-code", command->exit_code, "With --diff: exit 1 when what runs changes")->needs(diff);
    auto* all_refs =
        plan->add_flag("--all-refs", command->all_refs, "Show which stages run on every kind of ref, as a table");
    auto* params = plan->add_flag("--params", command->params,
                                  "List every param, let and secret with its value on the ref and where it came from");
    params->excludes(explain);
    params->excludes(diff)->excludes(all_refs);
    for (CLI::Option* whole : {diff, all_refs}) {
        whole->excludes(plan->get_option("--branch"))->excludes(plan->get_option("--tag"))->excludes(explain)->excludes(approve);
    }
    diff->excludes(all_refs);
    return [plan, command]() { return plan->parsed() ? run_plan(*command) : -1; };
}

} // namespace chain::cli
