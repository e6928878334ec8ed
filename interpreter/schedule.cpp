#include "schedule.hpp"

namespace chain {

const char* status_name(StageStatus status) {
    switch (status) {
    case StageStatus::waiting: return "waiting";
    case StageStatus::running: return "running";
    case StageStatus::success: return "success";
    case StageStatus::failed: return "failed";
    case StageStatus::skipped: return "skipped";
    case StageStatus::up_to_date: return "up-to-date";
    case StageStatus::not_run: return "not-run";
    case StageStatus::interrupted: return "interrupted";
    }
    return "";
}

Schedule::Schedule(std::vector<ScheduledStage> stages, std::vector<bool> selected, bool keep_going)
    : stages_(std::move(stages)), dependents_(stages_.size()), unmet_(stages_.size()),
      status_(stages_.size(), StageStatus::waiting), reason_(stages_.size()), keep_going_(keep_going) {
    for (std::size_t i = 0; i < stages_.size(); ++i) {
        if (!stages_[i].runs) {
            // As the plan says: its condition does not match, or it waits for approval.
            status_[i] = StageStatus::skipped;
            reason_[i] = "the plan does not run it on this ref";
        } else if (!selected.empty() && !selected[i]) {
            status_[i] = StageStatus::not_run;
            reason_[i] = "not selected with --stage";
        }
        unmet_[i] = stages_[i].needs.size();
        for (std::size_t need : stages_[i].needs) {
            dependents_[need].push_back(i);
        }
    }
    for (std::size_t i = 0; i < stages_.size(); ++i) {
        if (status_[i] == StageStatus::waiting && unmet_[i] == 0) {
            ready_.insert(i);
        }
    }
}

std::optional<std::size_t> Schedule::start_next() {
    if (stopped_ || ready_.empty()) {
        return std::nullopt;
    }
    std::size_t next = *ready_.begin();
    ready_.erase(ready_.begin());
    status_[next] = StageStatus::running;
    ++running_;
    return next;
}

void Schedule::skip_dependents(std::size_t stage) {
    for (std::size_t dependent : dependents_[stage]) {
        if (status_[dependent] == StageStatus::waiting) {
            status_[dependent] = StageStatus::skipped;
            reason_[dependent] = "a stage it needs did not succeed";
            skip_dependents(dependent);
        }
    }
}

void Schedule::finished(std::size_t stage, StageStatus result) {
    status_[stage] = result;
    --running_;
    if (counts_as_done(stage)) {
        for (std::size_t dependent : dependents_[stage]) {
            if (--unmet_[dependent] == 0 && status_[dependent] == StageStatus::waiting) {
                ready_.insert(dependent);
            }
        }
    } else if (result == StageStatus::failed || result == StageStatus::interrupted) {
        skip_dependents(stage);
        if (!keep_going_) {
            stop_starting();
        }
    }
}

void Schedule::stop_starting() {
    stopped_ = true;
    ready_.clear();
    for (std::size_t i = 0; i < stages_.size(); ++i) {
        if (status_[i] == StageStatus::waiting) {
            status_[i] = StageStatus::not_run;
            reason_[i] = "the run stopped before it could start";
        }
    }
}

bool Schedule::done() const { return running_ == 0 && (stopped_ || ready_.empty()); }

} // namespace chain
