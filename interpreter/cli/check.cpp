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
    int exit_code = exit_ok;
    std::vector<Diagnostic> all;
    std::size_t failed_files = 0;
    for (const std::string& path : files) {
        LoadedSource loaded = load_source(path);
        if (!loaded.source) {
            fmt::print(stderr, "chain: error: {}\n", loaded.error);
            exit_code = std::max<int>(exit_code, exit_usage);
            continue;
        }
        ParseResult parsed = parse(loaded.source);
        if (has_errors(parsed.diagnostics)) {
            exit_code = std::max<int>(exit_code, exit_failed);
            ++failed_files;
        } else if (options.format == "text") {
            fmt::print("{}: ok\n", path);
        }
        all.insert(all.end(), parsed.diagnostics.begin(), parsed.diagnostics.end());
    }
    if (options.format == "json") {
        fmt::print("{}", render_json(all));
        return exit_code;
    }
    for (const Diagnostic& diagnostic : all) {
        fmt::print(stderr, "{}", render_text(diagnostic));
    }
    if (!all.empty()) {
        auto errors = std::count_if(all.begin(), all.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
        fmt::print(stderr, "chain: {} error{} in {} file{}\n", errors, errors == 1 ? "" : "s", failed_files,
                   failed_files == 1 ? "" : "s");
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
