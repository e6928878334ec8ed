#include "commands.hpp"
#include "pipeline_input.hpp"

#include "interpreter/repl.hpp"

#include <editline/readline.h>
#include <fmt/format.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>
#include <unistd.h>

namespace chain::cli {

namespace {

struct ReplCommand {
    std::string file;
    std::string branch;
    std::string tag;
    std::vector<std::string> params;
};

/// The session that tab completion asks; libedit's callbacks take no context.
const ReplSession* completing = nullptr;
std::vector<std::string> completion_words;

char* next_completion(const char*, int state) {
    static std::size_t next = 0;
    next = state == 0 ? 0 : next;
    return next < completion_words.size() ? strdup(completion_words[next++].c_str()) : nullptr;
}

char** complete_word(const char* text, int, int end) {
    completion_words = completing->complete(std::string_view(rl_line_buffer, static_cast<std::size_t>(end)));
    rl_attempted_completion_over = 1; // never fall back to completing file names
    return completion_words.empty() ? nullptr : rl_completion_matches(text, next_completion);
}

volatile std::sig_atomic_t interrupted = 0;

/// Reads entries: from the line editor with history on a terminal, plain lines otherwise.
class Input {
  public:
    explicit Input(bool terminal) : terminal_(terminal) {
        if (!terminal_) {
            return;
        }
        const char* home = std::getenv("HOME");
        history_ = home && *home ? std::string(home) + "/.chain_history" : "";
        rl_readline_name = "chain";
        rl_basic_word_break_characters = " \t\n\"(),[]{}=";
        rl_attempted_completion_function = complete_word;
        stifle_history(1000);
        if (!history_.empty()) {
            read_history(history_.c_str());
        }
        // Ctrl-C drops the entry being typed instead of ending the session.
        struct sigaction action {};
        action.sa_handler = [](int) { interrupted = 1; };
        sigaction(SIGINT, &action, &previous_interrupt_);
    }

    ~Input() {
        if (terminal_) {
            sigaction(SIGINT, &previous_interrupt_, nullptr);
        }
    }

    /// The next line, without its newline; nothing at the end of the input.
    std::optional<std::string> line(const std::string& prompt) {
        if (!terminal_) {
            std::string text;
            if (!std::getline(std::cin, text)) {
                return std::nullopt;
            }
            return text;
        }
        while (true) {
            interrupted = 0;
            std::unique_ptr<char, decltype(&std::free)> text(readline(prompt.c_str()), &std::free);
            if (interrupted) {
                return std::string("\x03"); // the caller drops what it has
            }
            if (!text) {
                return std::nullopt;
            }
            std::string entry(text.get());
            if (entry.find_first_not_of(" \t") != std::string::npos) {
                add_history(text.get());
                if (!history_.empty()) {
                    write_history(history_.c_str());
                }
            }
            return entry;
        }
    }

  private:
    bool terminal_;
    std::string history_;
    struct sigaction previous_interrupt_ {};
};

int run_repl(const ReplCommand& command) {
    ReplSettings settings;
    settings.file = command.file.empty() && std::filesystem::exists("pipeline.chain") ? "pipeline.chain" : command.file;
    if (!command.branch.empty()) {
        settings.ref = refs::Ref{false, command.branch};
    } else if (!command.tag.empty()) {
        settings.ref = refs::Ref{true, command.tag};
    }
    settings.params = command.params;
    settings.jobs = std::max(1u, std::thread::hardware_concurrency());
    bool terminal = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);

    ReplSession session(settings);
    completing = &session;
    bool had_error = session.started().error;
    fmt::print("{}", session.started().output);
    std::fflush(stdout);
    Input input(terminal);
    std::string pending;
    EntryScanner scanner;
    while (true) {
        std::string prompt = pending.empty() ? fmt::format("chain {}> ", session.ref_text()) : "   ...> ";
        std::optional<std::string> line = input.line(prompt);
        if (!line) {
            if (!pending.empty()) {
                fmt::print("the input ended inside an open brace, bracket or parenthesis; the entry was dropped\n");
                had_error = true;
            }
            break;
        }
        if (*line == "\x03") {
            pending.clear();
            scanner = {};
            fmt::print("\n");
            continue;
        }
        *line += "\n";
        pending += *line;
        scanner.feed(*line);
        if (scanner.open()) {
            continue;
        }
        ReplReply reply = session.eval(pending);
        pending.clear();
        scanner = {};
        fmt::print("{}", reply.output);
        std::fflush(stdout);
        if (!reply.question.empty()) {
            if (!terminal) {
                fmt::print("{}", reply.question);
            }
            std::optional<std::string> answer = input.line(terminal ? reply.question : "");
            if (!terminal) {
                fmt::print("{}\n", answer.value_or(""));
            }
            bool yes = answer && (answer->starts_with('y') || answer->starts_with('Y'));
            reply = session.answer(yes, stdout);
            fmt::print("{}", reply.output);
            std::fflush(stdout);
        }
        had_error = had_error || reply.error;
        if (reply.quit) {
            break;
        }
    }
    if (terminal) {
        fmt::print("\n");
        return exit_ok;
    }
    return had_error ? exit_failed : exit_ok;
}

} // namespace

std::function<int()> setup_repl(CLI::App& app) {
    auto command = std::make_shared<ReplCommand>();
    CLI::App* repl = app.add_subcommand("repl", "Dry-run a pipeline interactively: plans, types, values, what-ifs");
    repl->add_option("file", command->file, "The pipeline file (default: ./pipeline.chain if there is one)");
    auto* branch = repl->add_option("--branch", command->branch, "Start on this branch instead of the current one");
    auto* tag = repl->add_option("--tag", command->tag, "Start on this tag instead of the current branch");
    branch->excludes(tag);
    add_param_option(*repl, command->params);
    repl->footer("Commands at the prompt: :help. Not on a terminal (a pipe or a file on stdin), it reads one entry\n"
                 "after another with no prompt and exits with 1 if any of them failed.");
    return [repl, command]() { return repl->parsed() ? run_repl(*command) : -1; };
}

} // namespace chain::cli
