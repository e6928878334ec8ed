#include "commands.hpp"

#include "interpreter/file_error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "chain_version.hpp"

int main(int argc, char** argv) {
    using namespace chain::cli;
    CLI::App app("chain: check, plan and run a repository's development, build and deployment chain", "chain");
    app.set_version_flag("--version", "chain " CHAIN_VERSION);
    app.require_subcommand(1);
    app.footer("Run 'chain COMMAND --help' for the options of a command.");

    std::vector<std::function<int()>> commands = {setup_check(app), setup_plan(app), setup_run(app), setup_log(app),
                                                  setup_repl(app), setup_fmt(app), setup_lsp(app),
                                                  setup_export(app), setup_verify(app), setup_gc(app),
                                                  setup_rollback(app), setup_releases(app), setup_serve(app),
                                                  setup_chroot_exec(app), setup_deploy_hosts(app),
                                                  setup_serve_trigger(app)};

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
