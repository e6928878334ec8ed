#include "actions.hpp"

namespace chain::stdlib {

namespace fs = std::filesystem;

namespace {

/// `collect SOURCE DESTINATION`: a folder's contents, or a file, copied into the artifact folder.
std::string collect(const Step& step, const fs::path& root) {
    fs::path source = step.root.empty() ? root / step.action_args[1]
                                        : fs::path(step.root) / fs::path(step.action_args[1]).relative_path();
    if (!step.root.empty() && fs::path(step.root).is_relative()) {
        source = root / source;
    }
    fs::path destination = root / step.action_args[2];
    std::error_code error;
    if (!fs::exists(source, error)) {
        return source.string() + " does not exist: the steps before did not make it";
    }
    fs::create_directories(destination, error);
    if (fs::is_directory(source)) {
        fs::copy(source, destination,
                 fs::copy_options::recursive | fs::copy_options::copy_symlinks | fs::copy_options::overwrite_existing,
                 error);
    } else {
        fs::copy_file(source, destination / source.filename(), fs::copy_options::overwrite_existing, error);
    }
    return error ? "cannot copy " + source.string() + ": " + error.message() : "";
}

} // namespace

std::string perform_action(const Step& step, const fs::path& root) {
    if (step.action_args.size() == 3 && step.action_args[0] == "collect") {
        return collect(step, root);
    }
    return "chain cannot perform this step yet: " + step.action;
}

} // namespace chain::stdlib
