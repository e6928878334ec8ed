#include "commands.hpp"

#include "interpreter/lsp.hpp"

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace chain::cli {

namespace {

/// Reads one message of the base protocol: headers (`Content-Length: N`), a blank line, N bytes.
/// Nothing at the end of the input; an empty body for a frame without a usable length.
std::optional<std::string> read_message(std::istream& in) {
    std::string line;
    std::optional<std::size_t> length;
    bool any_header = false;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.empty()) {
            if (!any_header) {
                continue; // stray blank lines between messages
            }
            if (!length) {
                return std::string();
            }
            std::string body(*length, '\0');
            in.read(body.data(), static_cast<std::streamsize>(body.size()));
            if (static_cast<std::size_t>(in.gcount()) != body.size()) {
                return std::nullopt;
            }
            return body;
        }
        any_header = true;
        constexpr std::string_view content_length = "content-length:";
        std::string lower;
        for (char c : line.substr(0, content_length.size())) {
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (lower == content_length) {
            try {
                length = std::stoul(line.substr(content_length.size()));
            } catch (const std::exception&) {
                length.reset();
            }
        }
    }
    return std::nullopt;
}

void write_message(const std::string& body) {
    std::fprintf(stdout, "Content-Length: %zu\r\n\r\n%s", body.size(), body.c_str());
    std::fflush(stdout);
}

int run_lsp() {
    std::ios::sync_with_stdio(false);
    LanguageServer server;
    while (std::optional<std::string> body = read_message(std::cin)) {
        for (const std::string& reply : server.handle(*body)) {
            write_message(reply);
        }
        if (server.exited()) {
            return server.exit_code();
        }
    }
    return server.exit_code(); // the client went away without `exit`
}

} // namespace

std::function<int()> setup_lsp(CLI::App& app) {
    CLI::App* lsp = app.add_subcommand("lsp", "Serve the Language Server Protocol on stdio, for editors");
    lsp->footer("Diagnostics on open and change, hover, completion, go to definition, document symbols and\n"
                "formatting. Editors start it themselves; see editor-support/.");
    return [lsp]() { return lsp->parsed() ? run_lsp() : -1; };
}

} // namespace chain::cli
