#include "commands.hpp"
#include "run_lock.hpp"

#include "interpreter/store.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <string>

namespace chain::cli {

namespace {

namespace fs = std::filesystem;

struct GcCommand {
    std::string file = "pipeline.chain";
    bool dry_run = false;
    bool no_wait = false;
};

std::string size_text(std::uintmax_t bytes) {
    if (bytes < 1024) {
        return fmt::format("{} B", bytes);
    }
    double value = static_cast<double>(bytes) / 1024;
    const char* unit = "KiB";
    for (const char* larger : {"MiB", "GiB", "TiB"}) {
        if (value < 1024) {
            break;
        }
        value /= 1024;
        unit = larger;
    }
    return fmt::format("{:.1f} {}", value, unit);
}

std::string objects_text(std::size_t count) { return fmt::format("{} object{}", count, count == 1 ? "" : "s"); }

int run_gc(const GcCommand& command) {
    fs::path folder = fs::absolute(command.file).parent_path();
    Store store(folder);
    std::error_code missing;
    if (!fs::is_directory(store.chain_dir() / "artifacts", missing)) {
        fmt::print("nothing to remove: {} has no artifact store\n", (store.chain_dir() / "artifacts").string());
        return exit_ok;
    }
    // A running run refers to objects its record does not name yet: gc waits for it, as a second run would.
    RunLock lock(store.chain_dir());
    if (!take_run_lock(lock, command.no_wait)) {
        return exit_usage;
    }
    std::vector<Store::Unreferenced> unreferenced = store.unreferenced_objects();
    std::uintmax_t total = 0;
    std::size_t removed = 0;
    for (const Store::Unreferenced& object : unreferenced) {
        std::string shown = object.path.lexically_relative(folder).string();
        if (command.dry_run) {
            fmt::print("would remove {}  {}\n", shown, size_text(object.bytes));
        } else {
            try {
                store.remove_object(object.path);
            } catch (const std::exception& error) {
                fmt::print(stderr, "chain: error: cannot remove {}: {}\n", shown, error.what());
                continue;
            }
        }
        total += object.bytes;
        ++removed;
    }
    if (unreferenced.empty()) {
        fmt::print("nothing to remove: every object in .chain/artifacts is referred to by a kept run, the cache or "
                   ".chain/out\n");
    } else if (command.dry_run) {
        fmt::print("{} would be removed, {} freed (--dry-run: nothing was removed)\n", objects_text(removed),
                   size_text(total));
    } else {
        fmt::print("removed {} from .chain/artifacts, {} freed\n", objects_text(removed), size_text(total));
    }
    return removed == unreferenced.size() ? exit_ok : exit_failed;
}

} // namespace

std::function<int()> setup_gc(CLI::App& app) {
    auto command = std::make_shared<GcCommand>();
    CLI::App* gc = app.add_subcommand(
        "gc", "Remove the artifacts in .chain/ that no kept run, cache record or .chain/out link uses");
    gc->add_option("file", command->file, "The pipeline file whose folder's .chain/ to clean (default: ./pipeline.chain)");
    gc->add_flag("--dry-run", command->dry_run, "List what would be removed, with sizes, and remove nothing");
    gc->add_flag("--no-wait", command->no_wait,
                 "When a run holds this folder, fail at once (exit 2) instead of waiting for it");
    return [gc, command]() { return gc->parsed() ? run_gc(*command) : -1; };
}

} // namespace chain::cli
