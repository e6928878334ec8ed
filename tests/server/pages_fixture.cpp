// Renders the sample pages into a folder for the browser test (tests/server/pages_browser_test.py), which
// serves them as the server would: pages_fixture FOLDER.

#include "server/pages.hpp"
#include "tests/server/pages_samples.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace fs = std::filesystem;
using namespace chain::pages;

namespace {

void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

/// Run 7 as a README shows it: plain names, a real-looking log.
nlohmann::json showcase_run() {
    nlohmann::json run = samples::finished_run();
    run["ref"] = "refs/heads/develop";
    run["record"]["ref"]["name"] = "develop";
    run["pusher"] = "alice";
    run["message"] = "Parse versions with a local part";
    run["record"]["stages"][1]["steps"][0]["argv"] = {"python3.12", "-m", "pytest", "-q"};
    return run;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: pages_fixture FOLDER\n";
        return 2;
    }
    fs::path folder = argv[1];
    const std::string running_log = "test%5Bpython=3.11%5D/1-test.log";
    write(folder / "repositories.html", render_repositories(samples::repositories()));
    write(folder / "repository.html",
          render_repository("acme-utils", nlohmann::json::array({samples::run_object(7, "success")})));
    write(folder / "run-running.html", render_run(samples::running_run(), nlohmann::json::array(),
                                                  {{running_log, {"collecting ...\n", 0}}}));
    write(folder / "run-running.json", samples::running_run().dump());
    write(folder / "logs" / running_log, "collecting ...\n");
    write(folder / "run-finished.html",
          render_run(samples::finished_run(), samples::linked_runs(), samples::finished_logs()));
    write(folder / "run-finished.json", samples::finished_run().dump());
    std::map<std::string, LogExcerpt> showcase_logs = samples::finished_logs();
    showcase_logs["test%5Bpython=3.12%5D/1-sh.log"] = {"............ [100%]\n12 passed in 0.44s\n", 0};
    write(folder / "run-showcase.html", render_run(showcase_run(), samples::linked_runs(), showcase_logs));
    write(folder / "badge.svg", render_badge("acme-utils develop", "success"));
    return 0;
}
