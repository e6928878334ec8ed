// `chain verify [FILE]`: every object of the artifact store beside the pipeline checked against its name,
// the SHA-256 of its contents, as `chain run` checks the ones it uses.
#include "commands.hpp"

#include "interpreter/store.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <string>

namespace chain::cli {

namespace fs = std::filesystem;

namespace {

int verify(const std::string& file) {
    Store store(fs::absolute(file).parent_path());
    fs::path objects = store.chain_dir() / "artifacts";
    std::size_t count = 0;
    std::error_code error;
    if (fs::is_directory(objects, error)) {
        for ([[maybe_unused]] const auto& entry : fs::directory_iterator(objects)) {
            ++count;
        }
    }
    std::vector<fs::path> damaged;
    try {
        damaged = store.damaged_objects();
    } catch (const fs::filesystem_error& failure) {
        fmt::print(stderr, "chain: error: cannot read the artifact store: {}\n", failure.what());
        return exit_usage;
    }
    for (const fs::path& object : damaged) {
        fmt::print("damaged: {} (its contents no longer have the SHA-256 it is named by)\n",
                   object.lexically_relative(store.root()).string());
    }
    if (!damaged.empty()) {
        fmt::print(stderr,
                   "chain: {} of {} artifact{} damaged; `chain run` makes them again (the stages that made "
                   "them run again)\n",
                   damaged.size(), count, count == 1 ? "" : "s");
        return exit_failed;
    }
    fmt::print("{} artifact{} in {}, all intact\n", count, count == 1 ? "" : "s",
               objects.lexically_relative(store.root()).string());
    return exit_ok;
}

} // namespace

std::function<int()> setup_verify(CLI::App& app) {
    auto file = std::make_shared<std::string>("pipeline.chain");
    CLI::App* command =
        app.add_subcommand("verify", "Check every artifact in the store beside the pipeline against its SHA-256");
    command->add_option("file", *file, "the pipeline file, whose folder holds .chain/ (default: pipeline.chain)");
    return [command, file] { return command->parsed() ? verify(*file) : -1; };
}

} // namespace chain::cli
