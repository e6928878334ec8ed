#pragma once
// Threads for work done beside the main thread's: reading ahead what the last run left, reading git,
// removing old runs.

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include <pthread.h>

namespace chain {

/// A thread that starts on another core than the one starting it, when the process may use another.
/// Linux often puts a new thread on its creator's core, and there it waits until the creator is
/// preempted: 3 to 4 ms on a virtual machine's busy core while the other one idled, longer than the work
/// it was started for. Once running, the thread may move to any core the process may use. Its name (at
/// most 15 bytes) is what `top -H` and `perf` show. Like std::thread, a joinable SideThread must be joined
/// before it is destroyed or assigned, and `work` must not throw.
class SideThread {
  public:
    SideThread() = default;
    SideThread(const char* name, std::function<void()> work);
    SideThread(SideThread&& other) noexcept : thread_(std::exchange(other.thread_, std::nullopt)) {}
    SideThread& operator=(SideThread&& other) noexcept;
    SideThread(const SideThread&) = delete;
    SideThread& operator=(const SideThread&) = delete;
    ~SideThread();

    bool joinable() const { return thread_.has_value(); }
    void join();

  private:
    std::optional<pthread_t> thread_;
};

/// A value computed on a SideThread. get() waits for it and throws what computing it threw. Destroyed
/// without get(), it still waits for the thread.
template <typename T> class SideTask {
  public:
    template <typename Compute>
    SideTask(const char* name, Compute compute)
        : thread_(name, [this, compute = std::move(compute)]() mutable {
              try {
                  value_.emplace(compute());
              } catch (...) {
                  failure_ = std::current_exception();
              }
          }) {}
    SideTask(const SideTask&) = delete;
    SideTask& operator=(const SideTask&) = delete;
    ~SideTask() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }

    T get() {
        if (thread_.joinable()) {
            thread_.join();
        }
        if (failure_) {
            std::rethrow_exception(failure_);
        }
        return std::move(*value_);
    }

  private:
    std::optional<T> value_;
    std::exception_ptr failure_;
    SideThread thread_; // last: started once the members it writes exist
};

} // namespace chain
