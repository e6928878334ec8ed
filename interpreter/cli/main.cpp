#include "commands.hpp"

#include <fmt/format.h>

#include <functional>
#include <vector>

#ifndef CHAIN_VERSION
#define CHAIN_VERSION "unknown"
#endif

int main(int argc, char** argv) {
    using namespace chain::cli;
    CLI::App app("chain: check, plan and run a repository's development, build and deployment chain", "chain");
    app.set_version_flag("--version", "chain " CHAIN_VERSION);
    app.require_subcommand(1);
    app.footer("Run 'chain COMMAND --help' for the options of a command.");

    std::vector<std::function<int()>> commands = {setup_check(app)};

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return exit_usage;
    }
    for (const auto& command : commands) {
        if (int code = command(); code >= 0) {
            return code;
        }
    }
    return exit_usage;
}
