#pragma once
// The worker pool: takes queued runs, fetches and checks out their commit, and runs `chain run` for their
// ref in a child process of its own, one process group per run.

#include "config.hpp"
#include "database.hpp"

#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace chain::server {

/// Where the server keeps a run's own files: `STATE/runs/ID/` with `chain.log` (chain run's output) and
/// `run.json` (the record, once the run ended).
std::filesystem::path run_files(const ServerConfig& config, std::int64_t id);

/// The `.chain/runs/<run-id>/` folder chain run made in the run's work folder; empty before it made one.
std::filesystem::path chain_run_folder(const RunRow& run);

/// What a trigger asked for, or why it cannot be.
struct TriggerResult {
    std::int64_t id = 0;
    int status = 200;
    std::string error;
};

/// Runs the queued runs, `jobs` at a time. A triggered run takes the slot of its upstream, which only waits
/// for it meanwhile (else a free one): a chain of linked runs holds one slot, and `jobs = 1` never deadlocks.
class RunPool {
  public:
    /// `chain_program`: this chain, which every run runs as `chain run`.
    RunPool(const ServerConfig& config, RunDatabase& database, std::string chain_program);
    ~RunPool();

    /// Marks the runs a killed server left running `interrupted` (their records too), then starts what is
    /// queued; `server_url` is where a run's trigger steps reach the server.
    void start(const std::string& server_url);
    /// Queues a run of a push, a re-run or an approval, and starts it when a slot is free.
    std::int64_t queue(const NewRun& run);
    /// Queues the downstream run of `upstream` at the ref the mirror has now; it starts on its upstream's
    /// slot (or a free one) before any queued push.
    TriggerResult trigger(const RunRow& upstream, const std::string& repository, const std::string& ref,
                          std::vector<std::pair<std::string, std::string>> upstream_env);
    /// Starts nothing more; sends SIGTERM to every running run, SIGKILL to those still running after `grace`,
    /// and waits for them. Queued runs stay queued for the next start.
    void stop(std::chrono::seconds grace);

  private:
    /// The slot a running run holds: one of the pool's, or its upstream's, lent while the upstream waits.
    struct Slot {
        std::optional<std::int64_t> lender; // the run whose slot this is; empty for one of the pool's
        bool lent = false;                  // lent on to a downstream of this run
    };

    // These run with mutex_ held.
    void start_ready();
    void launch(RunRow run, Slot slot);
    void give_back(const Slot& slot);
    void finished(std::int64_t id);

    void execute(RunRow run);
    void remove_past_runs(const std::string& repository);

    const ServerConfig& config_;
    RunDatabase& database_;
    std::string chain_program_;
    std::string server_url_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool stopping_ = false;
    unsigned free_slots_ = 0;
    std::map<std::int64_t, Slot> slots_; // by running run
    /// Queued runs with an upstream (triggered, or a re-run of a triggered run), oldest first, each with its
    /// upstream.
    std::vector<std::pair<std::int64_t, std::int64_t>> waiting_downstream_;
    std::map<std::int64_t, pid_t> children_;
    std::map<std::int64_t, std::thread> threads_; // by running run
    std::vector<std::thread> exited_;             // threads whose run has ended, to be joined
};

} // namespace chain::server
