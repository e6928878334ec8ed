#pragma once
// One run at a time in a pipeline folder: `chain run` and `chain gc` hold `.chain/lock` while they work.

#include <filesystem>
#include <optional>
#include <string>

namespace chain::cli {

/// `.chain/lock`, held with flock for as long as the run goes, names the run that holds it. The kernel
/// releases the lock however the run ends, SIGKILL included; the name is cleared only by a run that
/// finished, so a name found by the next holder is a run that did not.
class RunLock {
  public:
    struct Holder {
        std::string run_id;
        long pid = 0;
    };

    explicit RunLock(const std::filesystem::path& chain_dir);
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;
    ~RunLock();

    /// Takes the lock, or says no at once when another run holds it.
    bool try_take();
    void take();
    /// The run named in the lock: the one holding it, or, once taken, one that ended without finishing.
    std::optional<Holder> named() const;
    void claim(const std::string& run_id);

  private:
    std::filesystem::path path_;
    int fd_ = -1;
    bool claimed_ = false;
};

/// `the run ID (pid N)`, or `another run` when the lock names none.
std::string holder_text(const std::optional<RunLock::Holder>& holder);

/// Takes the lock of the folder for a command: at once, or after saying whom it waits for; with
/// `no_wait`, false (and a message naming the holder) when another run holds it.
bool take_run_lock(RunLock& lock, bool no_wait);

} // namespace chain::cli
