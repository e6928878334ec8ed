#pragma once
// What a run shows while it goes: one line per event, and on a terminal a live area of running stages.

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace chain {

/// A stage instance that is running, as the live area shows it.
struct RunningView {
    std::string name;
    std::chrono::milliseconds elapsed;
    std::string last_line;
};

class Status {
  public:
    virtual ~Status() = default;
    /// Something happened: a stage started or ended.
    virtual void event(const std::string& line) = 0;
    /// The running stages and the progress count, for a live display (called often).
    virtual void refresh(const std::vector<RunningView>& running, std::size_t finished, std::size_t total) = 0;
    /// Removes the live display before the summary.
    virtual void close() = 0;
};

/// One line per event: for pipes, files and CI logs.
std::unique_ptr<Status> make_plain_status(std::FILE* out);
/// Lines per event above a live area that is redrawn in place: for terminals.
std::unique_ptr<Status> make_terminal_status(std::FILE* out);
/// Shows through `shown` with every secret value masked in every line, a running stage's last line masked
/// before it is shortened to fit.
std::unique_ptr<Status> make_masking_status(Status& shown, std::vector<std::string> secrets);

} // namespace chain
