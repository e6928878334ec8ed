// The only file that spawns processes.

#include "runner.hpp"

// Boost.Process offers use_vfork only below the 2008 POSIX feature level, though glibc has vfork at all.
#define BOOST_POSIX_HAS_VFORK 1
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/posix.hpp>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace chain {

namespace {

namespace bp = boost::process;

constexpr auto termination_grace = std::chrono::seconds(5);

std::string masked(std::string text, const std::vector<std::string>& secrets) {
    for (const std::string& secret : secrets) {
        if (secret.empty()) {
            continue;
        }
        for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
            text.replace(at, secret.size(), "***");
        }
    }
    return text;
}

/// Puts the child into a process group of its own, so that a timeout or an interrupt reaches its
/// children too, and gives it the signal mask chain itself started with.
struct OwnProcessGroup : bp::extend::handler {
    template <typename Executor> void on_exec_setup(Executor&) const {
        setpgid(0, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
    }
};

class ProcessRunner : public CommandRunner {
  public:
    ProcessRunner() {
        // SIGINT and SIGTERM are taken by one thread with sigwait; every other thread has them blocked.
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals, &previous_mask_);
        signal_thread_ = std::thread([this, signals] {
            int received = 0;
            while (sigwait(&signals, &received) == 0) {
                if (stopping_) {
                    return;
                }
                std::lock_guard lock(mutex_);
                interrupted_ = true;
                changed_.notify_all();
            }
        });
    }

    ~ProcessRunner() override {
        for (auto& [token, running] : running_) {
            ::kill(-running.pid, SIGKILL);
        }
        for (auto& [token, thread] : threads_) {
            thread.join();
        }
        stopping_ = true;
        pthread_kill(signal_thread_.native_handle(), SIGTERM);
        signal_thread_.join();
        pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
    }

    void start(std::size_t token, const Command& command) override {
        std::string program = command.argv.at(0);
        if (program == "chain") {
            // As make runs $(MAKE): a pipeline that runs another (trigger) gets this very chain program.
            program = std::filesystem::read_symlink("/proc/self/exe").string();
        } else if (program.find('/') == std::string::npos) {
            program = found_on_path(program);
        }
        if (program.empty()) {
            finish(Finished{token, 127, "", "command not found: " + command.argv[0]});
            return;
        }
        auto environment = boost::this_process::environment();
        bp::environment env = environment;
        for (const auto& [name, value] : command.env) {
            env[name] = value;
        }
        auto output = std::make_shared<bp::pipe>();
        auto child = std::make_shared<bp::child>();
        try {
            *child = bp::child(bp::exe = program,
                               bp::args = std::vector<std::string>(command.argv.begin() + 1, command.argv.end()),
                               (bp::std_out & bp::std_err) > *output, bp::std_in < bp::null,
                               bp::start_dir = command.workdir, bp::env = env, OwnProcessGroup{},
                               // fork would mark chain's whole heap copy-on-write at every start, and the
                               // faults that follow cost more than a small command itself.
                               bp::posix::use_vfork);
        } catch (const std::exception& e) {
            finish(Finished{token, 127, "", std::string("cannot start ") + command.argv[0] + ": " + e.what()});
            return;
        }
        {
            std::lock_guard lock(mutex_);
            running_[token] = Running{child->id(), {}, std::nullopt};
        }
        threads_[token] = std::thread([this, token, command, output, child] { follow(token, command, *output, *child); });
    }

    std::optional<Finished> wait(std::optional<Clock::time_point> until) override {
        std::unique_lock lock(mutex_);
        while (true) {
            if (!finished_.empty()) {
                Finished next = std::move(finished_.front());
                finished_.pop_front();
                // The thread that reported it has nothing left to do but return.
                auto thread = threads_.find(next.token);
                if (thread != threads_.end()) {
                    std::thread done = std::move(thread->second);
                    threads_.erase(thread);
                    lock.unlock();
                    done.join();
                }
                return next;
            }
            if (interrupted_) {
                return std::nullopt;
            }
            auto now = Clock::now();
            for (auto& [token, running] : running_) {
                if (running.kill_at && *running.kill_at <= now) {
                    ::kill(-running.pid, SIGKILL);
                    running.kill_at.reset();
                }
            }
            if (until && *until <= now) {
                return std::nullopt;
            }
            std::optional<Clock::time_point> wake = until;
            for (auto& [token, running] : running_) {
                if (running.kill_at && (!wake || *running.kill_at < *wake)) {
                    wake = running.kill_at;
                }
            }
            if (wake) {
                changed_.wait_until(lock, *wake);
            } else {
                changed_.wait(lock);
            }
        }
    }

    void terminate(std::size_t token) override {
        std::lock_guard lock(mutex_);
        auto it = running_.find(token);
        if (it != running_.end() && !it->second.kill_at) {
            ::kill(-it->second.pid, SIGTERM);
            it->second.kill_at = Clock::now() + termination_grace;
        }
    }

    std::string last_line(std::size_t token) override {
        std::lock_guard lock(mutex_);
        auto it = running_.find(token);
        return it == running_.end() ? "" : it->second.last_line;
    }

    bool interrupted() const override {
        std::lock_guard lock(mutex_);
        return interrupted_;
    }

  private:
    /// PATH is searched once a program per run: a thousand steps of `touch` need one search. A program
    /// not found is searched again, as an earlier stage may have installed it.
    std::string found_on_path(const std::string& name) {
        auto known = programs_on_path_.find(name);
        if (known != programs_on_path_.end()) {
            return known->second;
        }
        std::string found = bp::search_path(name).string();
        if (!found.empty()) {
            programs_on_path_.emplace(name, found);
        }
        return found;
    }

    struct Running {
        pid_t pid;
        std::string last_line;
        std::optional<Clock::time_point> kill_at;
    };

    void finish(Finished done) {
        std::lock_guard lock(mutex_);
        running_.erase(done.token);
        finished_.push_back(std::move(done));
        changed_.notify_all();
    }

    /// Copies the command's output into its log (masked), remembers its last line, and reaps it.
    void follow(std::size_t token, const Command& command, bp::pipe& output, bp::child& child) {
        // The log and its folder are made at the first line, here rather than before the start: making a
        // file costs more than a small command itself on a busy disk, and a step that prints nothing
        // needs none (as ninja keeps no output of a quiet command).
        std::ofstream log;
        std::string pending;
        char buffer[8192];
        auto emit_line = [&](std::string line) {
            line = masked(std::move(line), command.secrets);
            if (!log.is_open()) {
                std::error_code ignored;
                std::filesystem::create_directories(std::filesystem::path(command.log_path).parent_path(), ignored);
                log.open(command.log_path, std::ios::binary);
            }
            log << line << '\n';
            if (!command.echo_prefix.empty()) {
                std::lock_guard lock(mutex_);
                std::fprintf(stdout, "%s%s\n", command.echo_prefix.c_str(), line.c_str());
                std::fflush(stdout);
            }
            std::size_t start = line.find_first_not_of(" \t\r");
            if (start != std::string::npos) {
                std::lock_guard lock(mutex_);
                running_[token].last_line = line.substr(start);
            }
        };
        while (true) {
            int count = output.read(buffer, sizeof buffer);
            if (count <= 0) {
                break;
            }
            pending.append(buffer, static_cast<std::size_t>(count));
            for (std::size_t newline = pending.find('\n'); newline != std::string::npos; newline = pending.find('\n')) {
                emit_line(pending.substr(0, newline));
                pending.erase(0, newline + 1);
            }
        }
        if (!pending.empty()) {
            emit_line(pending);
        }
        log.flush();
        child.wait();
        int status = child.native_exit_code();
        int exit_code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
        std::string last;
        {
            std::lock_guard lock(mutex_);
            last = running_[token].last_line;
        }
        finish(Finished{token, exit_code, last, "", log.is_open()});
    }

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::size_t, Running> running_;
    std::deque<Finished> finished_;
    std::map<std::size_t, std::thread> threads_;
    std::map<std::string, std::string> programs_on_path_;
    std::thread signal_thread_;
    sigset_t previous_mask_{};
    std::atomic<bool> stopping_ = false;
    bool interrupted_ = false;
};

} // namespace

std::unique_ptr<CommandRunner> make_process_runner() { return std::make_unique<ProcessRunner>(); }

} // namespace chain
