#include "commands.hpp"

#include "interpreter/lsp.hpp"
#include "interpreter/lsp_framing.hpp"

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace chain::cli {

namespace {

void write_message(const std::string& body) {
    std::string framed = lsp_framed(body);
    std::fwrite(framed.data(), 1, framed.size(), stdout);
    std::fflush(stdout);
}

int run_lsp() {
    std::ios::sync_with_stdio(false);
    LanguageServer server;
    while (true) {
        LspFrame frame = read_lsp_frame(std::cin);
        if (!frame.error.empty()) {
            std::fprintf(stderr, "chain lsp: %s\n", frame.error.c_str());
        }
        if (frame.kind == LspFrame::Kind::end) {
            break; // the client went away without `exit`
        }
        std::vector<std::string> replies =
            frame.kind == LspFrame::Kind::message ? server.handle(frame.body) : server.unreadable(frame.error);
        for (const std::string& reply : replies) {
            write_message(reply);
        }
        if (server.exited()) {
            break;
        }
    }
    return server.exit_code();
}

} // namespace

std::function<int()> setup_lsp(CLI::App& app) {
    CLI::App* lsp = app.add_subcommand("lsp", "Serve the Language Server Protocol on stdio, for editors");
    lsp->footer("Diagnostics on open and change, hover, completion, go to definition, document symbols and\n"
                "formatting. Editors start it themselves; see editor-support/.");
    return [lsp]() { return lsp->parsed() ? run_lsp() : -1; };
}

} // namespace chain::cli
