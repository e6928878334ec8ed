#pragma once
// The run record, `.chain/runs/<run-id>/run.json`: what the run is (pipeline, ref, version), how it went,
// and each stage instance with its steps, their logs and exit codes, and the artifacts it made. Written when
// the run starts (status `running`), kept current while it goes, and whole at its end.

#include "executor.hpp"
#include "stage_run.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace chain {

class RunRecord {
  public:
    RunRecord(const Plan& plan, const RunOptions& options, const std::filesystem::path& chain_dir, std::string id);

    const std::string& id() const { return id_; }
    /// `.chain/runs/<run-id>/`, where the record and the logs go.
    const std::filesystem::path& dir() const { return dir_; }

    /// Makes the run's folder and writes the record of a run that has started: its status `running` and
    /// chain's process id, so that a run whose chain was killed can be told apart.
    void write_start() const;

    /// Writes the record with every stage instance, a stage at a time into a file beside run.json, then
    /// renames it over the record: a run of many stages never holds its record in memory, and a chain
    /// killed while writing it leaves the record that was there. Returns its path.
    std::filesystem::path write(const std::string& overall, const std::vector<StageStatus>& statuses,
                                const std::vector<StageRun>& runs, const Schedule& schedule,
                                std::chrono::milliseconds duration, const std::string& error) const;

    /// Keeps the newest `--keep-runs` run folders, this run's among them; a folder whose name is not a run
    /// id is not chain's and stays. Returns a warning for each that cannot be removed. Reads only what does
    /// not change while the run goes, so that it may work beside the run.
    std::vector<std::string> remove_old_runs(const Store& store) const;

  private:
    /// What the run is, and how it goes: the members every record begins with.
    nlohmann::ordered_json head(const std::string& status) const;

    const Plan& plan_;
    const RunOptions& options_;
    std::string id_;
    std::filesystem::path dir_;
};

/// `20260101T120000Z-4242`: the time in UTC and chain's process id.
std::string new_run_id();

/// Marks the record of a run whose chain ended without finishing it (killed, or the machine stopped) as
/// interrupted. False when there is no such record to mark.
bool record_interrupted_run(const std::filesystem::path& chain_dir, const std::string& run_id);

} // namespace chain
