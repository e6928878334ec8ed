#pragma once
// Runs a plan: the start/reap loop over stage instances, with the scheduler choosing what starts and
// the command runner starting it.

#include "plan.hpp"
#include "runner.hpp"
#include "schedule.hpp"
#include "status.hpp"
#include "store.hpp"

#include <string>
#include <vector>

namespace chain {

struct RunOptions {
    std::size_t jobs = 1;
    std::vector<std::string> stages; // --stage: these and what they need; all when empty
    /// --no-deps: only the stages named, as if what they need had succeeded (a CI engine ran it and
    /// restored its artifacts into .chain/).
    bool no_deps = false;
    bool keep_going = false;
    bool use_cache = true;
    /// --rehearse: every step but the effects runs; an effect is shown and recorded as what it would do, and
    /// a stage that has one is never remembered as up to date (a real run must still carry it out).
    bool rehearse = false;
    bool verbose = false;
    /// How many of a failed step's last log lines to show after its failure (GitLab's inline job log).
    std::size_t failure_log_lines = 20;
    /// Where to write a copy of the run record too (an upstream's trigger reads it); empty: nowhere.
    std::string record_copy;
    /// The run's id, as new_run_id() (run_record.hpp) makes it; empty: a new one.
    std::string run_id;
    /// The line that names the run, shown before its first event: a run with nothing to do shows one line
    /// of its own instead (as `ninja: no work to do.`). Empty: none.
    std::string heading;
    /// How many run records (with their logs) to keep in `.chain/runs/`, this one included; 0: all.
    std::size_t keep_runs = 50;
};

struct RunResult {
    int exit_code = 0; // 0 success, 1 failed, 2 a file-system failure stopped the run, 130 interrupted
    std::string record_path;
    std::string error; // what stopped the run, when exit_code is 2
    std::vector<StageStatus> statuses; // by plan stage index
};

/// Runs every stage instance of the plan that runs, in the repository folder of `store`, and writes the
/// run record `.chain/runs/<run-id>/run.json` with the logs beside it. The record says `running` until the
/// run ends, so that one whose chain was killed can be told apart.
RunResult execute(const Plan& plan, const RunOptions& options, Store& store, CommandRunner& runner, Status& status);

} // namespace chain
