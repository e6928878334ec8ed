#pragma once
// Starting commands and learning when they end. The executor talks only to this interface; the process
// runner is the one implementation that spawns, as ninja's CommandRunner.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace chain {

using Clock = std::chrono::steady_clock;

/// One process to start: its argv exactly as planned, where it runs and where its output goes.
struct Command {
    std::vector<std::string> argv;
    std::vector<std::pair<std::string, std::string>> env; // added to chain's own environment
    std::string workdir;                                  // absolute
    std::string log_path;                                 // stdout and stderr, secrets masked; made at the first byte
    std::vector<std::string> secrets;
    std::string echo_prefix; // with --verbose: every line also to chain's stdout, after this prefix
};

/// How a command ended.
struct Finished {
    std::size_t token = 0;
    int exit_code = 0; // 128 + N when killed by signal N; 127 when it could not start
    std::string last_line;
    std::string error;   // why it could not start
    bool logged = false; // it printed something, so its log exists
};

class CommandRunner {
  public:
    virtual ~CommandRunner() = default;
    /// Starts a command in a process group of its own; `token` names it in Finished. It ends when its
    /// leader exits: a process it left behind neither holds it up nor is waited for.
    virtual void start(std::size_t token, const Command& command) = 0;
    /// The next command to end; nothing when `until` passes first, or once when the run is interrupted.
    /// It blocks meanwhile, and sends the SIGKILL that follows a terminate() when its time comes.
    virtual std::optional<Finished> wait(std::optional<Clock::time_point> until) = 0;
    /// Terminates a command's whole process group (children of children too): SIGTERM, then SIGKILL.
    virtual void terminate(std::size_t token) = 0;
    /// The last line a running command printed.
    virtual std::string last_line(std::size_t token) = 0;
    /// True once SIGINT or SIGTERM reached chain.
    virtual bool interrupted() const = 0;
};

/// Runs commands as real processes with Boost.Process; catches SIGINT and SIGTERM for as long as it lives.
std::unique_ptr<CommandRunner> make_process_runner();

} // namespace chain
