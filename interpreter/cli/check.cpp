#include "commands.hpp"
#include "pipeline_input.hpp"

#include "grammar/diagnostic.hpp"
#include "interpreter/checker.hpp"
#include "stdlib/builtin.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace chain::cli {

namespace {

struct CheckCommand {
    std::vector<std::string> files;
    std::string format = "text";
    std::vector<std::string> params;
    bool werror = false;
};

int run_check(const CheckCommand& options) {
    std::vector<std::string> files = options.files;
    if (files.empty()) {
        files.push_back("pipeline.chain");
    }
    bool as_text = options.format == "text";
    int exit_code = exit_ok;
    std::vector<Diagnostic> all;
    std::size_t error_count = 0;
    std::size_t warning_count = 0;
    std::size_t failed_files = 0;
    heap_on_huge_pages(files);
    for (const std::string& path : files) {
        std::string error;
        LoadedProgram loaded = load_program(path, error);
        if (loaded.files.empty()) {
            fmt::print(stderr, "chain: error: {}\n", error);
            exit_code = std::max<int>(exit_code, exit_usage);
            continue;
        }
        // Kept until exit: freeing a large program node by node costs a tenth of the check or more.
        const CheckResult& parsed =
            kept_until_exit(check(std::move(loaded), stdlib::standard_library(), CheckOptions{options.params}));
        auto errors = static_cast<std::size_t>(std::count_if(
            parsed.diagnostics.begin(), parsed.diagnostics.end(), [&](const Diagnostic& d) {
                return d.severity == Severity::error || options.werror;
            }));
        warning_count += parsed.diagnostics.size() - std::min(parsed.diagnostics.size(), errors);
        if (errors > 0) {
            exit_code = std::max<int>(exit_code, exit_failed);
            error_count += errors;
            ++failed_files;
        }
        if (!as_text) {
            all.insert(all.end(), parsed.diagnostics.begin(), parsed.diagnostics.end());
            continue;
        }
        for (const Diagnostic& diagnostic : parsed.diagnostics) {
            fmt::print(stderr, "{}", render_text(diagnostic));
        }
        if (errors == 0) {
            fmt::print("{}: ok\n", path);
            std::fflush(stdout); // keep "ok" lines in order with the diagnostics on stderr
        }
    }
    if (!as_text) {
        fmt::print("{}", render_json(all));
    } else if (error_count > 0) {
        fmt::print(stderr, "chain: {} error{} in {} file{}\n", error_count, error_count == 1 ? "" : "s",
                   failed_files, failed_files == 1 ? "" : "s");
    }
    if (as_text && error_count == 0 && warning_count > 0) {
        fmt::print(stderr, "chain: {} warning{}\n", warning_count, warning_count == 1 ? "" : "s");
    }
    return exit_code;
}

} // namespace

std::function<int()> setup_check(CLI::App& app) {
    auto options = std::make_shared<CheckCommand>();
    CLI::App* check = app.add_subcommand("check", "Parse and check .chain files; exit 1 when there are errors");
    check->add_option("files", options->files, "The files to check (default: ./pipeline.chain)");
    add_param_option(*check, options->params);
    check->add_flag("--werror", options->werror, "Treat warnings as errors");
    check->add_option("--format", options->format, "How to print diagnostics")
        ->check(CLI::IsMember({"text", "json"}))
        ->default_str("text");
    return [check, options]() { return check->parsed() ? run_check(*options) : -1; };
}

} // namespace chain::cli
