#pragma once
// What a run keeps of each stage instance while it goes: the executor fills it, the run record reads it.

#include "runner.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chain {

struct StepRecord {
    std::size_t step;
    int exit_code;
    std::string log;
    std::chrono::milliseconds duration;
    std::string error;
    std::string summary; // of the step's report: tests, findings, coverage
    std::vector<std::string> rehearsal{}; // an effect a rehearsal did not carry out: what it would have done
};

/// The state of one stage instance during the run.
struct StageRun {
    std::size_t step = 0;
    std::int64_t attempt = 1;
    Clock::time_point started;
    Clock::time_point step_started;
    std::string step_log; // where the running step's output goes (absolute)
    std::optional<Clock::time_point> deadline;
    bool timed_out = false;
    bool active = false;
    std::chrono::milliseconds duration{0};
    std::string failure;
    std::vector<StepRecord> records;
    std::map<std::string, std::string> artifact_hashes;
    std::string cache_key;
    bool command_running = false; // started, and its end not yet taken from the runner

    /// Whether a step was rehearsed, not run: such a stage is never remembered as up to date.
    bool rehearsed() const {
        for (const StepRecord& record : records) {
            if (!record.rehearsal.empty()) {
                return true;
            }
        }
        return false;
    }
};

} // namespace chain
