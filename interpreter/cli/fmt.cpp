#include "commands.hpp"

#include "grammar/ast_dump.hpp"
#include "grammar/diagnostic.hpp"
#include "grammar/format.hpp"
#include "grammar/parser.hpp"
#include "stdlib/files.hpp"

#include <fmt/format.h>

#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace chain::cli {

namespace {

struct FmtCommand {
    std::vector<std::string> files;
    bool check = false;
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t end = text.find('\n', at);
        end = end == std::string::npos ? text.size() : end;
        lines.push_back(text.substr(at, end - at));
        at = end + 1;
    }
    return lines;
}

/// A unified diff (3 lines of context) from a longest common subsequence of lines; files are small.
std::string unified_diff(const std::string& name, const std::string& before, const std::string& after) {
    std::vector<std::string> a = lines_of(before);
    std::vector<std::string> b = lines_of(after);
    std::vector<std::vector<std::uint32_t>> common(a.size() + 1, std::vector<std::uint32_t>(b.size() + 1, 0));
    for (std::size_t i = a.size(); i-- > 0;) {
        for (std::size_t j = b.size(); j-- > 0;) {
            common[i][j] = a[i] == b[j] ? common[i + 1][j + 1] + 1 : std::max(common[i + 1][j], common[i][j + 1]);
        }
    }
    struct Edit {
        char kind; // ' ', '-', '+'
        std::size_t a_line, b_line;
    };
    std::vector<Edit> edits;
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        if (i < a.size() && j < b.size() && a[i] == b[j]) {
            edits.push_back({' ', i++, j++});
        } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
            edits.push_back({'-', i++, j});
        } else {
            edits.push_back({'+', i, j++});
        }
    }
    constexpr std::size_t context = 3;
    std::string out = fmt::format("--- {}\n+++ {} (formatted)\n", name, name);
    for (std::size_t start = 0; start < edits.size();) {
        while (start < edits.size() && edits[start].kind == ' ') {
            ++start;
        }
        if (start == edits.size()) {
            break;
        }
        std::size_t first = start > context ? start - context : 0;
        std::size_t last = start;
        for (std::size_t k = start; k < edits.size() && k <= last + 2 * context; ++k) {
            if (edits[k].kind != ' ') {
                last = k;
            }
        }
        std::size_t end = std::min(edits.size(), last + context + 1);
        std::size_t a_count = 0, b_count = 0;
        for (std::size_t k = first; k < end; ++k) {
            a_count += edits[k].kind != '+' ? 1 : 0;
            b_count += edits[k].kind != '-' ? 1 : 0;
        }
        out += fmt::format("@@ -{},{} +{},{} @@\n", edits[first].a_line + 1, a_count, edits[first].b_line + 1, b_count);
        for (std::size_t k = first; k < end; ++k) {
            const Edit& edit = edits[k];
            out += edit.kind + (edit.kind == '+' ? b[edit.b_line] : a[edit.a_line]) + "\n";
        }
        start = end;
    }
    return out;
}

/// The formatted text, or nothing after printing why there is none.
std::optional<std::string> formatted(const std::shared_ptr<const SourceFile>& source) {
    ParseResult parsed = parse(source);
    if (!parsed.diagnostics.empty()) {
        for (const Diagnostic& diagnostic : parsed.diagnostics) {
            fmt::print(stderr, "{}", render_text(diagnostic));
        }
        fmt::print(stderr, "chain: {} has syntax errors; it was not formatted\n", source->name());
        return std::nullopt;
    }
    std::string text = format_file(parsed.file, *source);
    // The formatter prints from the AST, so this holds by construction; it is checked all the same,
    // because a file is about to be replaced.
    ParseResult again = parse(std::make_shared<const SourceFile>(source->name(), text));
    if (!again.diagnostics.empty() || ast::dump(again.file) != ast::dump(parsed.file)) {
        fmt::print(stderr, "chain: internal error: formatting {} would change its meaning; it was left as it is\n",
                   source->name());
        return std::nullopt;
    }
    return text;
}

int run_fmt(const FmtCommand& command) {
    std::vector<std::string> files = command.files.empty() ? std::vector<std::string>{"pipeline.chain"} : command.files;
    int exit_code = exit_ok;
    for (const std::string& file : files) {
        std::shared_ptr<const SourceFile> source;
        if (file == "-") {
            source = std::make_shared<const SourceFile>(
                "<stdin>", std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()));
        } else {
            LoadedSource loaded = load_source(file);
            if (!loaded.source) {
                fmt::print(stderr, "chain: error: {}\n", loaded.error);
                exit_code = exit_failed;
                continue;
            }
            source = loaded.source;
        }
        std::optional<std::string> text = formatted(source);
        if (!text) {
            exit_code = exit_failed;
            continue;
        }
        if (file == "-") {
            fmt::print("{}", *text);
            continue;
        }
        if (*text == source->text()) {
            continue;
        }
        if (command.check) {
            fmt::print("{}", unified_diff(file, source->text(), *text));
            fmt::print(stderr, "chain: {} is not formatted\n", file);
            exit_code = exit_failed;
        } else {
            stdlib::replace_file(file, *text);
            fmt::print("reformatted {}\n", file);
        }
    }
    return exit_code;
}

} // namespace

std::function<int()> setup_fmt(CLI::App& app) {
    auto command = std::make_shared<FmtCommand>();
    CLI::App* fmt_command = app.add_subcommand("fmt", "Rewrite .chain files in the one canonical layout, comments kept");
    fmt_command->add_option("files", command->files, "The files (default: ./pipeline.chain; - reads standard input "
                                                     "and writes standard output)");
    fmt_command->add_flag("--check", command->check,
                          "Change nothing: show how each file would change, exit 1 if any would");
    return [fmt_command, command]() { return fmt_command->parsed() ? run_fmt(*command) : -1; };
}

} // namespace chain::cli
