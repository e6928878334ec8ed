#include "run_lock.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace chain::cli {

namespace fs = std::filesystem;

RunLock::RunLock(const fs::path& chain_dir) : path_(chain_dir / "lock") {
    fs::create_directories(chain_dir);
    // Close-on-exec: a step's leftover process must not hold the lock of a run that has ended.
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        throw fs::filesystem_error("cannot open the run lock", path_, std::error_code(errno, std::generic_category()));
    }
}

RunLock::~RunLock() {
    if (claimed_) {
        // Only a run that named itself clears the name: one that took the lock without naming itself (gc, or a
        // run that stopped before it began) leaves an interrupted run's name for the next run to report.
        // Should this fail, the next run calls this one interrupted: a wrong note, but no harm.
        [[maybe_unused]] int cleared = ::ftruncate(fd_, 0);
    }
    ::close(fd_);
}

bool RunLock::try_take() { return ::flock(fd_, LOCK_EX | LOCK_NB) == 0; }

void RunLock::take() {
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno != EINTR) {
            throw fs::filesystem_error("cannot lock", path_, std::error_code(errno, std::generic_category()));
        }
    }
}

std::optional<RunLock::Holder> RunLock::named() const {
    char text[128] = {};
    ssize_t length = ::pread(fd_, text, sizeof text - 1, 0);
    Holder holder;
    char id[64] = {};
    if (length <= 0 || std::sscanf(text, "%63s %ld", id, &holder.pid) != 2) {
        return std::nullopt;
    }
    holder.run_id = id;
    return holder;
}

void RunLock::claim(const std::string& run_id) {
    std::string text = fmt::format("{} {}\n", run_id, getpid());
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
        throw fs::filesystem_error("cannot write", path_, std::error_code(errno, std::generic_category()));
    }
    claimed_ = true;
}

std::string holder_text(const std::optional<RunLock::Holder>& holder) {
    return holder ? fmt::format("the run {} (pid {})", holder->run_id, holder->pid) : "another run";
}

bool take_run_lock(RunLock& lock, bool no_wait) {
    if (lock.try_take()) {
        return true;
    }
    if (no_wait) {
        fmt::print(stderr, "chain: error: {} is running in this folder (--no-wait)\n", holder_text(lock.named()));
        return false;
    }
    fmt::print("waiting for {} in this folder\n", holder_text(lock.named()));
    std::fflush(stdout);
    lock.take();
    return true;
}

} // namespace chain::cli
