// Parse throughput and peak memory of chain's front end on one file.
//   chain_parse_bench FILE [REPEATS]
#include "grammar/parser.hpp"

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
    std::sort(seconds.begin(), seconds.end());
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    fmt::print("chain parse + AST: {:.2f} MB, {} declarations\n", megabytes, decls);
    fmt::print("  best   {:7.1f} ms  {:6.1f} MB/s\n", seconds.front() * 1e3, megabytes / seconds.front());
    fmt::print("  median {:7.1f} ms  {:6.1f} MB/s\n", seconds[seconds.size() / 2] * 1e3,
               megabytes / seconds[seconds.size() / 2]);
    fmt::print("  peak memory (max RSS) {:.1f} MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
    return 0;
}
