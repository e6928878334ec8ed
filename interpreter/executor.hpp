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
    bool verbose = false;
    /// Where to write a copy of the run record too (an upstream's trigger reads it); empty: nowhere.
    std::string record_copy;
};

struct RunResult {
    int exit_code = 0; // 0 success, 1 failed, 130 interrupted
    std::string record_path;
    std::vector<StageStatus> statuses; // by plan stage index
};

/// Runs every stage instance of the plan that runs, in the repository folder of `store`, and writes the
/// run record `.chain/runs/<run-id>/run.json` with the logs beside it.
RunResult execute(const Plan& plan, const RunOptions& options, Store& store, CommandRunner& runner, Status& status);

} // namespace chain
