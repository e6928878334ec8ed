// Throughput and peak memory of chain's front end on one file: parse alone, then parse + check.
//   chain_parse_bench FILE [REPEATS]
#include "grammar/parser.hpp"
#include "interpreter/checker.hpp"
#include "stdlib/builtin.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <sys/resource.h>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) {
        fmt::print(stderr, "usage: {} FILE [REPEATS]\n", argv[0]);
        return 2;
    }
    int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
    chain::LoadedSource loaded = chain::load_source(argv[1]);
    if (!loaded.source) {
        fmt::print(stderr, "{}\n", loaded.error);
        return 2;
    }
    double megabytes = static_cast<double>(loaded.source->text().size()) / 1e6;
    std::vector<double> seconds;
    std::size_t decls = 0;
    for (int i = 0; i < repeats; ++i) {
        auto start = std::chrono::steady_clock::now();
        chain::ParseResult result = chain::parse(loaded.source);
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        if (!result.diagnostics.empty()) {
            fmt::print(stderr, "{}", chain::render_text(result.diagnostics.front()));
            return 1;
        }
        decls = result.file.decls.size();
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    double parse_peak = static_cast<double>(usage.ru_maxrss) / 1024.0;

    std::vector<double> check_seconds;
    std::size_t diagnostics = 0;
    for (int i = 0; i < repeats; ++i) {
        auto start = std::chrono::steady_clock::now();
        chain::ParseResult parsed = chain::parse(loaded.source);
        chain::LoadedProgram program;
        program.files.push_back(std::make_unique<chain::ProgramFile>(
            chain::ProgramFile{loaded.source, std::move(parsed.file), argv[1]}));
        chain::CheckResult checked = chain::check(std::move(program), chain::stdlib::standard_library(), {});
        check_seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        diagnostics = checked.diagnostics.size();
    }
    getrusage(RUSAGE_SELF, &usage);

    auto report = [&](const char* what, std::vector<double>& times) {
        std::sort(times.begin(), times.end());
        fmt::print("{:<22} best {:7.1f} ms {:6.1f} MB/s   median {:7.1f} ms {:6.1f} MB/s\n", what, times.front() * 1e3,
                   megabytes / times.front(), times[times.size() / 2] * 1e3, megabytes / times[times.size() / 2]);
    };
    fmt::print("{:.2f} MB, {} declarations, {} repeats\n", megabytes, decls, repeats);
    report("parse + AST", seconds);
    report("parse + check", check_seconds);
    fmt::print("check / parse throughput: {:.2f}\n", seconds.front() / check_seconds.front());
    fmt::print("peak memory (max RSS): {:.1f} MB after parsing, {:.1f} MB after checking; {} diagnostics\n",
               parse_peak, static_cast<double>(usage.ru_maxrss) / 1024.0, diagnostics);
    return 0;
}
