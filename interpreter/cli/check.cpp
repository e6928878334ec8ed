#include "commands.hpp"

#include "grammar/diagnostic.hpp"
#include "grammar/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace chain::cli {

namespace {

struct CheckOptions {
    std::vector<std::string> files;
    std::string format = "text";
};

int run_check(const CheckOptions& options) {
    std::vector<std::string> files = options.files;
    if (files.empty()) {
        files.push_back("pipeline.chain");
    }
    bool as_text = options.format == "text";
    int exit_code = exit_ok;
    std::vector<Diagnostic> all;
    std::size_t error_count = 0;
    std::size_t failed_files = 0;
    for (const std::string& path : files) {
        LoadedSource loaded = load_source(path);
        if (!loaded.source) {
            fmt::print(stderr, "chain: error: {}\n", loaded.error);
            exit_code = std::max<int>(exit_code, exit_usage);
            continue;
        }
        ParseResult parsed = parse(loaded.source);
        auto errors = static_cast<std::size_t>(std::count_if(
            parsed.diagnostics.begin(), parsed.diagnostics.end(),
            [](const Diagnostic& d) { return d.severity == Severity::error; }));
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
    return exit_code;
}

} // namespace

std::function<int()> setup_check(CLI::App& app) {
    auto options = std::make_shared<CheckOptions>();
    CLI::App* check = app.add_subcommand("check", "Parse and check .chain files; exit 1 when there are errors");
    check->add_option("files", options->files, "The files to check (default: ./pipeline.chain)");
    check->add_option("--format", options->format, "How to print diagnostics")
        ->check(CLI::IsMember({"text", "json"}))
        ->default_str("text");
    return [check, options]() { return check->parsed() ? run_check(*options) : -1; };
}

} // namespace chain::cli
