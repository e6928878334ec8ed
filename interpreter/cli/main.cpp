#include "commands.hpp"

#include "interpreter/file_error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chain_version.hpp"

int main(int argc, char** argv) {
    using namespace chain::cli;
    CLI::App app("chain: check, plan and run a repository's development, build and deployment chain", "chain");
    app.set_version_flag("--version", "chain " CHAIN_VERSION);
    app.require_subcommand(1);
    app.footer("Run 'chain COMMAND --help' for the options of a command.");

    using Setup = std::function<int()> (*)(CLI::App&);
    static constexpr std::pair<std::string_view, Setup> setups[] = {
        {"check", setup_check},     {"plan", setup_plan},         {"run", setup_run},
        {"log", setup_log},         {"repl", setup_repl},         {"fmt", setup_fmt},
        {"lsp", setup_lsp},         {"export", setup_export},     {"verify", setup_verify},
        {"gc", setup_gc},           {"rollback", setup_rollback}, {"releases", setup_releases},
        {"serve", setup_serve},     {"chroot-exec", setup_chroot_exec}, {"deploy-hosts", setup_deploy_hosts},
        {"serve-trigger", setup_serve_trigger}};

    // Only the command that is named is set up: setting up all of them, each with its options, was a
    // tenth of a no-op run's instructions. `chain --help` and an unknown command need them all.
    std::vector<std::function<int()>> commands;
    std::string_view named = argc > 1 ? argv[1] : "";
    for (const auto& [name, setup] : setups) {
        if (name == named) {
            commands.push_back(setup(app));
        }
    }
    if (commands.empty()) {
        for (const auto& [name, setup] : setups) {
            commands.push_back(setup(app));
        }
    }

    // CLI11 would call an unknown command a missing one; name it instead.
    if (argc > 1 && argv[1][0] != '-') {
        std::string_view word = argv[1];
        const auto& known = app.get_subcommands({});
        bool is_command = std::any_of(known.begin(), known.end(), [&](const CLI::App* c) { return c->get_name() == word; });
        if (!is_command) {
            std::string names;
            for (const CLI::App* command : known) {
                // A command without a group is hidden from --help (a step's command, not a person's).
                if (!command->get_group().empty()) {
                    names += (names.empty() ? "" : ", ") + command->get_name();
                }
            }
            fmt::print(stderr, "chain: error: unknown command '{}'; the commands are {}\n", word, names);
            return exit_usage;
        }
    }
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
    // The last resort: a file-system failure that no command turned into its own message is still a
    // message and exit 2, never an abort.
    try {
        for (const auto& command : commands) {
            if (int code = command(); code >= 0) {
                return code;
            }
        }
    } catch (const std::filesystem::filesystem_error& error) {
        fmt::print(stderr, "chain: error: {}\n", chain::file_error_text(error));
    }
    return exit_usage;
}
