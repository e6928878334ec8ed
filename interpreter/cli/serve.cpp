#include "commands.hpp"

#include "server/config.hpp"
#include "server/downstream.hpp"
#include "server/page_routes.hpp"
#include "server/server.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <memory>

namespace chain::cli {

namespace {

struct ServeCommand {
    std::string config = "chain-server.toml";
    bool check = false;
};

int run_serve(const ServeCommand& command) {
    std::vector<std::string> errors;
    std::optional<server::ServerConfig> config = server::load_config(command.config, errors);
    for (const std::string& error : errors) {
        fmt::print(stderr, "{}\n", error);
    }
    if (!config) {
        return exit_usage;
    }
    if (command.check) {
        std::size_t count = config->repositories.size();
        fmt::print("{}: ok: {} {}, listening on {}:{}, state in {}\n", command.config, count,
                   count == 1 ? "repository" : "repositories", config->host, config->port,
                   config->state.string());
        return exit_ok;
    }
    std::error_code error;
    std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) {
        fmt::print(stderr, "chain serve: error: cannot find chain's own program: {}\n", error.message());
        return exit_usage;
    }
    return server::serve(*config, self.string(), server::add_page_routes);
}

struct TriggerCommand {
    std::string repository;
    std::string ref;
    std::string record_copy;
};

} // namespace

std::function<int()> setup_serve(CLI::App& app) {
    auto command = std::make_shared<ServeCommand>();
    CLI::App* serve = app.add_subcommand(
        "serve",
        "Be the build server: take push webhooks, queue and run the pipelines, show the runs over HTTP");
    serve->add_option("--config", command->config, "The server's TOML file")
        ->default_str("chain-server.toml");
    serve->add_flag("--check", command->check,
                    "Only validate the configuration file (exit 2 when it has errors)");
    serve->footer("Stops on SIGTERM or Ctrl-C: no new runs, running runs interrupted within grace_seconds.");
    return [serve, command]() { return serve->parsed() ? run_serve(*command) : -1; };
}

std::function<int()> setup_serve_trigger(CLI::App& app) {
    auto command = std::make_shared<TriggerCommand>();
    // The step `trigger(...)` plans inside a run of chain serve; not for people, so not listed.
    CLI::App* trigger = app.add_subcommand("serve-trigger", "");
    trigger->group("");
    trigger->add_option("repository", command->repository)->required();
    trigger->add_option("--ref", command->ref)->required();
    trigger->add_option("--record-copy", command->record_copy)->required();
    return [trigger, command]() {
        return trigger->parsed()
                   ? server::trigger_through_server(command->repository, command->ref, command->record_copy)
                   : -1;
    };
}

} // namespace chain::cli
