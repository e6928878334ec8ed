// Renders pages for the tests that look at them whole:
//   pages_fixture FOLDER                  the sample pages, for the browser test (pages_browser_test.py)
//   pages_fixture --run RUN_FOLDER PAGE   the page of a run `chain run` made (.chain/runs/RUN-ID), its
//                                         record and logs read as the server reads them

#include "server/pages.hpp"
#include "tests/server/pages_samples.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace fs = std::filesystem;
using namespace chain::pages;

namespace {

void write(const fs::path& path, const std::string& text) {
    if (path.has_parent_path()) {
        fs::create_directories(path.parent_path());
    }
    std::ofstream(path, std::ios::binary) << text;
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// What GET /api/runs/1 says of a run chain run made in a repository's folder, and what its logs hold.
int render_real_run(const fs::path& run_folder, const fs::path& page) {
    nlohmann::json record = nlohmann::json::parse(read(run_folder / "run.json"));
    nlohmann::json run{{"id", 1},
                       {"repository", record["pipeline"]},
                       {"ref", (record["ref"]["kind"] == "tag" ? "refs/tags/" : "refs/heads/") +
                                   record["ref"]["name"].get<std::string>()},
                       {"commit", std::string(40, '0')},
                       {"status", record["status"]},
                       {"version", record["version"]},
                       {"pusher", "tester"},
                       {"upstream", nullptr},
                       {"downstream", nlohmann::json::array()},
                       {"record", record},
                       {"logs", nlohmann::json::array()}};
    std::map<std::string, LogExcerpt> logs;
    fs::path logs_folder = run_folder / "logs";
    if (fs::exists(logs_folder)) {
        for (const auto& entry : fs::recursive_directory_iterator(logs_folder)) {
            if (entry.is_regular_file()) {
                std::string name = entry.path().lexically_relative(logs_folder).generic_string();
                run["logs"].push_back(name);
                logs[name] = {read(entry.path()), 0};
            }
        }
    }
    write(page, render_run(run, nlohmann::json::array(), logs));
    return 0;
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
    if (argc == 4 && std::string_view(argv[1]) == "--run") {
        return render_real_run(argv[2], argv[3]);
    }
    if (argc != 2) {
        std::cerr << "usage: pages_fixture FOLDER | pages_fixture --run RUN_FOLDER PAGE\n";
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
