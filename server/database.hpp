#pragma once
// The server's queue and history: one SQLite file in the state folder, so that nothing accepted is lost
// when the server stops, however it stops.

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace chain::server {

/// One run as the server keeps it.
struct RunRow {
    std::int64_t id = 0;
    std::string repository;
    std::string ref; // refs/heads/develop, refs/tags/v1.0.0
    std::string commit;
    std::string status; // queued, running, success, failed, interrupted, superseded
    std::string pusher;
    std::vector<std::string> approved; // manual stages this run runs
    std::string queued_at;             // ISO-8601 UTC
    std::optional<std::string> started_at;
    std::optional<std::string> finished_at;
    std::optional<double> duration_seconds;
    std::optional<std::string> version;
    std::optional<std::int64_t> upstream;
    std::optional<std::int64_t> approves; // the run whose waiting manual stage this run approves
    std::optional<std::int64_t> superseded_by;
    std::string work_dir; // where it was checked out; empty until it starts
    std::string error;    // why the server could not run it
    std::string trigger_token;
    /// `CHAIN_UPSTREAM_<name>` of a triggered run: the upstream's artifacts it was given (`with:`).
    std::vector<std::pair<std::string, std::string>> upstream_env;
};

/// What a new run is: a push, a re-run, an approval, or a trigger of an upstream run.
struct NewRun {
    std::string repository;
    std::string ref;
    std::string commit;
    std::string pusher;
    std::vector<std::string> approved;
    std::optional<std::int64_t> upstream;
    std::vector<std::pair<std::string, std::string>> upstream_env;
    std::optional<std::int64_t> approves;
};

/// The runs table, safe to use from every thread of the server.
class RunDatabase {
  public:
    explicit RunDatabase(const std::filesystem::path& file);
    ~RunDatabase();

    /// Queues a run. A run without an upstream replaces the queued runs of the same repository and ref that
    /// have none either (they become `superseded`); a triggered run replaces nothing.
    std::int64_t enqueue(const NewRun& run);
    /// Marks the oldest queued run without an upstream `running`; nothing when none is queued.
    std::optional<RunRow> claim_next();
    /// Marks this queued run `running`; false when it is no longer queued.
    bool claim(std::int64_t id);
    /// Puts a run the server took but never started back in the queue (the server is stopping).
    void requeue(std::int64_t id);
    void set_work(std::int64_t id, const std::string& work_dir, const std::string& trigger_token);
    void finish(std::int64_t id, const std::string& status, const std::optional<std::string>& version,
                double duration_seconds, const std::string& error);
    /// At start: the runs a previous server left `running` become `interrupted`; returned so that their
    /// run records are marked too.
    std::vector<RunRow> interrupt_running();
    /// Queued runs that have an upstream (each gets a worker of its own).
    std::vector<RunRow> queued_downstream();

    std::optional<RunRow> get(std::int64_t id);
    /// Newest first; every repository when `repository` is empty.
    std::vector<RunRow> list(const std::string& repository, std::size_t limit);
    std::vector<std::int64_t> downstream_of(std::int64_t id);
    /// The runs that approve a manual stage of run `id`, oldest first.
    std::vector<std::int64_t> approvals_of(std::int64_t id);
    /// The last run of each branch of a repository, branches by name.
    std::vector<RunRow> last_run_per_branch(const std::string& repository);
    /// The finished runs of `repository` past the newest `keep`, oldest last. Queued and running runs are
    /// never among them.
    std::vector<RunRow> finished_past(const std::string& repository, unsigned keep);
    /// Removes runs from the history.
    void remove(const std::vector<std::int64_t>& ids);

  private:
    std::mutex mutex_;
    std::unique_ptr<SQLite::Database> db_;
};

/// The time now as ISO-8601 UTC: `2026-12-02T09:43:45Z`.
std::string utc_now();

} // namespace chain::server
