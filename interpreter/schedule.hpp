#pragma once
// Which stage instance may start next: the ready queue of a run, without processes, so that it can be
// tested on its own (ninja's Plan, beside its CommandRunner).

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace chain {

/// What became of a stage instance in a run (SPEC.md section 5).
enum class StageStatus { waiting, running, success, failed, skipped, up_to_date, not_run, interrupted };
const char* status_name(StageStatus status);

/// One stage instance as the scheduler sees it: whether the plan runs it, and what it needs (by index).
struct ScheduledStage {
    bool runs = false;
    std::vector<std::size_t> needs;
    bool allow_failure = false; // its failure lets what needs it start, and stops nothing
};

class Schedule {
  public:
    /// `selected`: the instances to run (all when empty); `keep_going`: failures stop only what needs them.
    Schedule(std::vector<ScheduledStage> stages, std::vector<bool> selected, bool keep_going);

    /// An instance whose needs all succeeded (or were up to date), in plan order; it is then running.
    std::optional<std::size_t> start_next();
    void finished(std::size_t stage, StageStatus result);
    /// No new instance starts any more (a failure without --keep-going, or an interrupt).
    void stop_starting();
    /// Nothing runs and nothing can start.
    bool done() const;
    std::size_t running() const { return running_; }
    StageStatus status(std::size_t stage) const { return status_[stage]; }
    /// The reason an instance was skipped or not run, in words.
    const std::string& reason(std::size_t stage) const { return reason_[stage]; }

  private:
    void skip_dependents(std::size_t stage);
    bool counts_as_done(std::size_t stage) const {
        return status_[stage] == StageStatus::success || status_[stage] == StageStatus::up_to_date ||
               (status_[stage] == StageStatus::failed && stages_[stage].allow_failure);
    }

    std::vector<ScheduledStage> stages_;
    // As ninja's Plan: each instance counts the needs still to succeed, and is ready at zero, so that a
    // run of thousands of stages never scans them all to find the next.
    std::vector<std::vector<std::size_t>> dependents_;
    std::vector<std::size_t> unmet_;
    std::set<std::size_t> ready_; // waiting, every need succeeded; ordered to start in plan order

    std::vector<StageStatus> status_;
    std::vector<std::string> reason_;
    bool keep_going_;
    bool stopped_ = false;
    std::size_t running_ = 0;
};

} // namespace chain
