#pragma once
// The worker pool: takes queued runs, fetches and checks out their commit, and runs `chain run` for their
// ref in a child process of its own, one process group per run.

#include "config.hpp"
#include "database.hpp"

#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
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

class RunPool {
  public:
    /// `chain_program`: this chain, which every run runs as `chain run`.
    RunPool(const ServerConfig& config, RunDatabase& database, std::string chain_program);
    ~RunPool();

    /// Marks the runs a killed server left running `interrupted` (their records too), then starts the
    /// workers; `server_url` is where a run's trigger steps reach the server.
    void start(const std::string& server_url);
    /// Queues a run of a push, a re-run or an approval; a worker takes it when one is free.
    std::int64_t queue(const NewRun& run);
    /// Queues the downstream run of `upstream` at the ref the mirror has now, and starts it at once: its
    /// upstream holds a worker only to wait for it.
    TriggerResult trigger(const RunRow& upstream, const std::string& repository, const std::string& ref,
                          std::vector<std::pair<std::string, std::string>> upstream_env);
    /// Starts nothing more; sends SIGTERM to every running run, SIGKILL to those still running after `grace`,
    /// and waits for the workers. Queued runs stay queued for the next start.
    void stop(std::chrono::seconds grace);

  private:
    void work();
    void execute(RunRow run);
    void remove_past_runs(const std::string& repository);

    const ServerConfig& config_;
    RunDatabase& database_;
    std::string chain_program_;
    std::string server_url_;
    std::mutex mutex_;
    std::condition_variable changed_;
    unsigned long wakes_ = 0;
    bool stopping_ = false;
    std::map<std::int64_t, pid_t> children_;
    std::vector<std::thread> threads_;
};

} // namespace chain::server
