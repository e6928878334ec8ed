#include "commands.hpp"
#include "pipeline_input.hpp"

#include "interpreter/export.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

namespace chain::cli {

namespace {

struct ExportCommand {
    PipelineInput input;
    std::string to;
};

int run_export(ExportCommand command) {
    // The jobs name the file in their scripts and its folder in artifact paths, one path a line.
    if (std::any_of(command.input.file.begin(), command.input.file.end(), [](char c) { return (c >= 0 && c < 0x20) || c == 0x7f; })) {
        fmt::print(stderr, "chain: cannot export {}: its path has a control character, which a CI file cannot carry "
                           "as a path; rename it\n",
                   nlohmann::json(command.input.file).dump());
        return exit_usage;
    }
    if (command.to == "github" && command.input.file.find("${{") != std::string::npos) {
        fmt::print(stderr, "chain: cannot export {} to GitHub Actions: its path has '${{{{', which GitHub would "
                           "evaluate as an expression in the jobs' scripts; rename it\n",
                   nlohmann::json(command.input.file).dump());
        return exit_usage;
    }
    // The plan gives each matrix stage's instances, which no ref changes: any ref will do.
    if (command.input.branch.empty() && command.input.tag.empty()) {
        command.input.branch = "develop";
    }
    int exit_code = exit_ok;
    const CheckResult* checked = checked_pipeline(command.input, exit_code);
    if (!checked) {
        return exit_code;
    }
    std::optional<PlanOptions> options = plan_options(command.input, exit_code);
    if (!options) {
        return exit_code;
    }
    Plan plan = make_plan(checked->program, *options);
    ExportResult exported = export_pipeline(checked->program, plan, command.to == "github" ? CiEngine::github : CiEngine::gitlab,
                                            command.input.file, command.input.params);
    for (const Diagnostic& diagnostic : exported.diagnostics) {
        fmt::print(stderr, "{}", render_text(diagnostic));
    }
    if (!exported.diagnostics.empty()) {
        fmt::print(stderr, "chain: {} cannot run on {} as it is; nothing was exported\n", command.input.file,
                   command.to == "github" ? "GitHub Actions" : "GitLab CI");
        return exit_failed;
    }
    fmt::print("{}", exported.text);
    return exit_ok;
}

} // namespace

std::function<int()> setup_export(CLI::App& app) {
    auto command = std::make_shared<ExportCommand>();
    CLI::App* export_command =
        app.add_subcommand("export", "Print the pipeline as a .gitlab-ci.yml or a GitHub Actions workflow");
    export_command->add_option("--to", command->to, "The CI engine: gitlab or github")
        ->required()
        ->check(CLI::IsMember({"gitlab", "github"}));
    export_command->add_option("file", command->input.file, "The pipeline file (default: ./pipeline.chain)");
    add_param_option(*export_command, command->input.params);
    export_command->footer("Each job runs `chain run FILE --stage NAME --no-deps`. A condition the engine cannot express\n"
                           "exactly is refused (exit 1), never approximated.");
    return [export_command, command]() { return export_command->parsed() ? run_export(*command) : -1; };
}

} // namespace chain::cli
