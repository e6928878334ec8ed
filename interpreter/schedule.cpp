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
    }
    return "";
}

Schedule::Schedule(std::vector<ScheduledStage> stages, std::vector<bool> selected, bool keep_going)
    : stages_(std::move(stages)), status_(stages_.size(), StageStatus::waiting), reason_(stages_.size()),
      keep_going_(keep_going) {
    for (std::size_t i = 0; i < stages_.size(); ++i) {
        if (!stages_[i].runs) {
            status_[i] = StageStatus::not_run;
            reason_[i] = "the plan does not run it on this ref";
        } else if (!selected.empty() && !selected[i]) {
            status_[i] = StageStatus::not_run;
            reason_[i] = "not selected with --stage";
        }
    }
}

std::optional<std::size_t> Schedule::start_next() {
    if (stopped_) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < stages_.size(); ++i) {
        if (status_[i] != StageStatus::waiting) {
            continue;
        }
        bool ready = true;
        for (std::size_t need : stages_[i].needs) {
            ready = ready && (status_[need] == StageStatus::success || status_[need] == StageStatus::up_to_date);
        }
        if (ready) {
            status_[i] = StageStatus::running;
            ++running_;
            return i;
        }
    }
    return std::nullopt;
}

void Schedule::skip_dependents(std::size_t stage) {
    for (std::size_t i = 0; i < stages_.size(); ++i) {
        if (status_[i] != StageStatus::waiting) {
            continue;
        }
        for (std::size_t need : stages_[i].needs) {
            if (need == stage) {
                status_[i] = StageStatus::skipped;
                reason_[i] = "a stage it needs did not succeed";
                skip_dependents(i);
                break;
            }
        }
    }
}

void Schedule::finished(std::size_t stage, StageStatus result) {
    status_[stage] = result;
    --running_;
    if (result == StageStatus::failed) {
        skip_dependents(stage);
        if (!keep_going_) {
            stop_starting();
        }
    }
}

void Schedule::stop_starting() {
    stopped_ = true;
    for (std::size_t i = 0; i < stages_.size(); ++i) {
        if (status_[i] == StageStatus::waiting) {
            status_[i] = StageStatus::not_run;
            reason_[i] = "the run stopped before it could start";
        }
    }
}

bool Schedule::done() const {
    if (running_ > 0) {
        return false;
    }
    if (stopped_) {
        return true;
    }
    for (std::size_t i = 0; i < stages_.size(); ++i) {
        if (status_[i] != StageStatus::waiting) {
            continue;
        }
        bool blocked = false;
        for (std::size_t need : stages_[i].needs) {
            blocked = blocked || status_[need] == StageStatus::not_run;
        }
        if (!blocked) {
            return false;
        }
    }
    return true;
}

} // namespace chain
