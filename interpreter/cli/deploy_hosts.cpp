// `chain deploy-hosts OPTIONS -- HOST...`: what the step of `deploy(to: hosts(...))` runs. One process
// rolls the release out to every host and, when one fails, switches the others back; the plan writes its
// options (stdlib/remote_deploy.cpp reads them back), the private key comes in CHAIN_SSH_KEY.
#include "commands.hpp"

#include "stdlib/files.hpp"
#include "stdlib/remote_deploy.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace chain::cli {

namespace {

int deploy_hosts(const std::vector<std::string>& args) {
    std::string error;
    std::optional<stdlib::ReleaseTarget> target = stdlib::parse_deploy_hosts_args(args, error);
    if (!target) {
        fmt::print(stderr, "chain deploy-hosts: error: {}\n", error);
        return exit_usage;
    }
    const char* key = std::getenv("CHAIN_SSH_KEY");
    if (key == nullptr || *key == '\0') {
        fmt::print(stderr, "chain deploy-hosts: error: no private key in CHAIN_SSH_KEY: give hosts(key:) the secret "
                           "that holds it\n");
        return exit_usage;
    }
    std::string key_text = key;
    // The key goes to ssh as a file of its own; no process started from here needs it in its environment.
    ::unsetenv("CHAIN_SSH_KEY");
    auto progress = [](const std::string& machine, const std::string& what) {
        fmt::print("{}: {}\n", machine, what);
        std::fflush(stdout);
    };
    stdlib::DeployOutcome outcome = stdlib::deploy_to_hosts(*target, key_text, progress);
    if (!target->report.empty()) {
        stdlib::replace_file(target->report, outcome.summary() + "\n" + outcome.error + (outcome.error.empty() ? "" : "\n"));
    }
    if (!outcome.error.empty()) {
        fmt::print(stderr, "chain deploy-hosts: error: {}\n", outcome.error);
        return stdlib::interrupted() ? exit_interrupted : exit_failed;
    }
    fmt::print("{} {} on every host\n", target->strategy, target->release);
    return exit_ok;
}

} // namespace

std::function<int()> setup_deploy_hosts(CLI::App& app) {
    CLI::App* command = app.add_subcommand(
        "deploy-hosts", "Roll a release out to hosts over ssh (the step of deploy(to: hosts(...)))");
    command->prefix_command();
    return [command] { return command->parsed() ? deploy_hosts(command->remaining()) : -1; };
}

} // namespace chain::cli
